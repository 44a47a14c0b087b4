package app

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/uptrace/bun"

	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/rbac"
)

type importFlags struct {
	owner, format, levels, code, pool string
	score, difficulty                 int
}

func (f *importFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.owner, "owner", "", "code of the owning unit (default: the top unit)")
	fs.StringVar(&f.format, "format", "", "xlsx|aiken|gift (default: by the file extension)")
	fs.StringVar(&f.levels, "level", "", "default levels, e.g. 5,4 (needed for Aiken and GIFT)")
	fs.StringVar(&f.code, "code", "", "default standard code, e.g. 2.1 (needed for Aiken and GIFT)")
	fs.StringVar(&f.pool, "pool", "", "default pool: exam|practice|both")
	fs.IntVar(&f.score, "score", 0, "default score (1 when absent)")
	fs.IntVar(&f.difficulty, "difficulty", 0, "default difficulty 1-5 (3 when absent)")
}

// importQuestions reads FILE and stores every question in it or none, showing progress
// on stderr; on refusal it prints every row error and exits non-zero.
func importQuestions(env Env, args []string) error {
	var f importFlags
	store, d, rest, err := opCommand(env, "import questions", positionalLast(args), f.register)
	if err != nil {
		return err
	}
	defer d.Close()
	path, err := needArg(rest, "FILE")
	if err != nil {
		return err
	}
	in, err := f.input(env, store, path)
	if err != nil {
		return err
	}
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	in.Body = file
	bk, err := cliBank(env, d)
	if err != nil {
		return err
	}
	qs, rep, err := bk.Import(env.Ctx, 0, in)
	if err != nil {
		if rep != nil {
			printReport(env.Stderr, &rep.Report)
		}
		return err
	}
	writeln(env.Stdout, "imported %d question(s)", len(qs))
	return nil
}

// input builds the import from the flags, with progress bars for checking and storing.
func (f *importFlags) input(env Env, store *rbac.Store, path string) (bank.ImportInput, error) {
	d := bank.Defaults{Code: f.code, Difficulty: f.difficulty, Score: f.score}
	var bad string
	if d.Levels, bad = bank.ParseLevels(f.levels); bad != "" {
		return bank.ImportInput{}, fmt.Errorf("--level: cannot read %q (use 5,4 or 五级,四级)", bad)
	}
	if f.pool != "" {
		p, ok := bank.ParsePool(f.pool)
		if !ok {
			return bank.ImportInput{}, fmt.Errorf("--pool must be exam, practice or both")
		}
		d.Pool = p
	}
	owner, err := ownerUnit(env, store, f.owner)
	if err != nil {
		return bank.ImportInput{}, err
	}
	d.Owner = owner.ID
	writeln(env.Stdout, "importing %s into %s (%s)", filepath.Base(path), owner.Name, owner.Code)
	return bank.ImportInput{Format: f.format, Filename: path, Stored: bar(env.Stderr, "保存"),
		Options: bank.ImportOptions{Defaults: d, Progress: bar(env.Stderr, "检查")}}, nil
}

func ownerUnit(env Env, store *rbac.Store, code string) (*rbac.OrgUnit, error) {
	if code != "" {
		return store.FindOrgByCode(env.Ctx, code)
	}
	units, err := store.FindOrgs(env.Ctx, rbac.OrgFilter{Scope: rbac.Scope{"/"}})
	if err != nil {
		return nil, err
	}
	if len(units) == 0 {
		return nil, fmt.Errorf("no org units yet: add one with `clerkskill org add` first")
	}
	return units[0], nil
}

// bar returns a progress callback drawing a bar on w, created at the first report.
func bar(w io.Writer, what string) func(done, total int) {
	var b *progressbar.ProgressBar
	return func(done, total int) {
		if b == nil {
			b = progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(what),
				progressbar.OptionShowCount(), progressbar.OptionSetWidth(30), progressbar.OptionThrottle(0),
				progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
		}
		_ = b.Set(done)
	}
}

// cliBank opens the standard (storing the default profile if none) and the bank, as the
// server does.
func cliBank(env Env, d *bun.DB) (*bank.Store, error) {
	stds := exams.NewStore(d, nil)
	if _, err := stds.EnsureDefaultStandard(env.Ctx); err != nil {
		return nil, err
	}
	return bank.NewStore(d, stds, nil), nil
}

// exportQuestions writes every latest version to -o FILE in the import template's layout.
func exportQuestions(env Env, args []string) error {
	var out string
	_, d, _, err := opCommand(env, "export questions", args, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "o", "", "output .xlsx file")
	})
	if err != nil {
		return err
	}
	defer d.Close()
	if !strings.HasSuffix(strings.ToLower(out), ".xlsx") {
		return fmt.Errorf("-o must name an .xlsx file")
	}
	bk, err := cliBank(env, d)
	if err != nil {
		return err
	}
	n, err := writeExport(env, bk, out)
	if err != nil {
		return err
	}
	writeln(env.Stdout, "exported %d question(s) to %s", n, out)
	return nil
}

func writeExport(env Env, bk *bank.Store, out string) (int, error) {
	std, err := bk.Standard(env.Ctx)
	if err != nil {
		return 0, err
	}
	x, err := bank.NewExport(std)
	if err != nil {
		return 0, err
	}
	defer x.Close()
	n := 0
	for f := (bank.Filter{Limit: 500}); ; f.Offset += f.Limit {
		page, total, err := bk.FindQuestions(env.Ctx, f)
		if err != nil {
			return 0, err
		}
		for _, q := range page {
			if err := x.Add(q); err != nil {
				return 0, err
			}
		}
		if n += len(page); len(page) == 0 || n >= total {
			break
		}
	}
	file, err := os.Create(out)
	if err != nil {
		return 0, err
	}
	if err := x.Finish(file); err != nil {
		file.Close()
		return 0, err
	}
	return n, file.Close()
}

// positionalLast moves leading positional arguments after the flags, so both
// "import questions FILE --owner X" and "import questions --owner X FILE" parse.
func positionalLast(args []string) []string {
	i := 0
	for i < len(args) && !strings.HasPrefix(args[i], "-") {
		i++
	}
	return append(append([]string{}, args[i:]...), args[:i]...)
}
