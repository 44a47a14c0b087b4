package app

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/curriculum/training"
	"clerkskill/exports"
	"clerkskill/exports/sheets"
	"clerkskill/rbac"
)

// sheetFlags are the flags of the HR workbook commands.
type sheetFlags struct {
	out, org, staff string
	year            int
	pii             bool
}

func (f *sheetFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.out, "o", "", "output .xlsx file")
	fs.StringVar(&f.org, "org", "", "code of the unit (default: every unit)")
	fs.BoolVar(&f.pii, "pii", false, "write whole national ID numbers (default: masked)")
}

// sheetCommand opens the store for an export or import of HR workbooks.
func sheetCommand(env Env, name string, args []string, f *sheetFlags, more func(*flag.FlagSet)) (*sheets.Store, *bun.DB, rbac.Scope, []string, error) {
	people, d, rest, err := opCommand(env, name, args, func(fs *flag.FlagSet) {
		f.register(fs)
		if more != nil {
			more(fs)
		}
	})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	scope := rbac.Scope{"/"}
	if f.org != "" {
		o, err := people.FindOrgByCode(env.Ctx, f.org)
		if err != nil {
			d.Close()
			return nil, nil, nil, nil, fmt.Errorf("--org %s: %w", f.org, err)
		}
		scope = rbac.Scope{o.Path}
	}
	hours := training.NewStore(d, training.NewMemFiles(), nil)
	return sheets.NewStore(d, sheets.Deps{People: people, Hours: hours}, nil), d, scope, rest, nil
}

func (f *sheetFlags) ids(scope rbac.Scope) exports.IDView {
	if f.pii {
		return exports.IDView{PII: scope}
	}
	return exports.IDView{}
}

// writeOut creates -o FILE (an .xlsx) and writes it with write.
func (f *sheetFlags) writeOut(write func(io.Writer) (int, error)) (int, error) {
	if !strings.HasSuffix(strings.ToLower(f.out), ".xlsx") {
		return 0, fmt.Errorf("-o must name an .xlsx file")
	}
	file, err := os.Create(f.out)
	if err != nil {
		return 0, err
	}
	n, err := write(file)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.out)
	}
	return n, err
}

// exportRoster: clerkskill export roster [--org CODE] [--pii] -o FILE.
func exportRoster(env Env, args []string) error {
	var f sheetFlags
	st, d, scope, _, err := sheetCommand(env, "export roster", args, &f, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	n, err := f.writeOut(func(w io.Writer) (int, error) {
		return st.WriteRoster(env.Ctx, w, scope, f.ids(scope), bar(env.Stderr, "导出"))
	})
	if err != nil {
		return err
	}
	writeln(env.Stdout, "exported %d staff to %s", n, f.out)
	return nil
}

// exportCertificates: clerkskill export certificates [--org CODE] [--pii] -o FILE.
func exportCertificates(env Env, args []string) error {
	var f sheetFlags
	st, d, scope, _, err := sheetCommand(env, "export certificates", args, &f, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	n, err := f.writeOut(func(w io.Writer) (int, error) {
		return st.WriteRegister(env.Ctx, w, scope, f.ids(scope), bar(env.Stderr, "导出"))
	})
	if err != nil {
		return err
	}
	writeln(env.Stdout, "exported %d certificate(s) to %s", n, f.out)
	return nil
}

// exportAssessment: clerkskill export assessment --org CODE [--year Y] [--staff EMPNO] -o FILE.
func exportAssessment(env Env, args []string) error {
	var f sheetFlags
	st, d, scope, _, err := sheetCommand(env, "export assessment", args, &f, func(fs *flag.FlagSet) {
		fs.IntVar(&f.year, "year", time.Now().Year(), "assessment year")
		fs.StringVar(&f.staff, "staff", "", "工号 of one clerk (default: everyone in the unit)")
	})
	if err != nil {
		return err
	}
	defer d.Close()
	staffID, err := staffByEmpNo(env, d, f.staff)
	if err != nil {
		return err
	}
	list, err := st.Assessments(env.Ctx, scope[0], staffID, f.year)
	if err != nil {
		return err
	}
	n, err := f.writeOut(func(w io.Writer) (int, error) {
		return len(list), sheets.WriteAssessments(w, f.year, list, f.ids(scope))
	})
	if err != nil {
		return err
	}
	writeln(env.Stdout, "exported %d 考核表 for %d to %s", n, f.year, f.out)
	return nil
}

func staffByEmpNo(env Env, d *bun.DB, empNo string) (int64, error) {
	if empNo == "" {
		return 0, nil
	}
	var id int64
	err := d.NewSelect().Table("staff").Column("id").Where("emp_no = ?", empNo).Scan(env.Ctx, &id)
	if err != nil {
		return 0, fmt.Errorf("--staff %s: no such 工号", empNo)
	}
	return id, nil
}

// importRoster: clerkskill import roster FILE [--org CODE]: every row or none; on refusal
// it prints every row error and exits non-zero.
func importRoster(env Env, args []string) error {
	var f sheetFlags
	st, d, scope, rest, err := sheetCommand(env, "import roster", positionalLast(args), &f, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	path, err := needArg(rest, "FILE")
	if err != nil {
		return err
	}
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	res, err := st.ImportRoster(env.Ctx, 0, scope, file, bar(env.Stderr, "检查"))
	if err != nil {
		if res != nil && res.Report != nil {
			printReport(env.Stderr, res.Report)
		}
		return err
	}
	writeln(env.Stdout, "imported %d row(s): %d added, %d updated", res.Rows, res.Added, res.Updated)
	for _, a := range res.Accounts {
		writeln(env.Stdout, "%s\t%s\t%s\t%s", a.EmpNo, a.Name, a.Username, a.Password)
	}
	return nil
}

// printReport lists an import's row errors, one a line, and how many were left off.
func printReport(w io.Writer, rep *exports.Report) {
	for _, e := range rep.Errors {
		fmt.Fprintln(w, e.String())
	}
	if rep.Total > len(rep.Errors) {
		fmt.Fprintf(w, "… and %d more\n", rep.Total-len(rep.Errors))
	}
}
