package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/uptrace/bun"

	"clerkskill/exams"
	"clerkskill/exams/certify"
	"clerkskill/exports"
	"clerkskill/exports/pay"
	"clerkskill/rbac"
)

// cliPay opens the pay store as the server does, with levels from the certificate register.
func cliPay(d *bun.DB) *pay.Store {
	return pay.NewStore(d, certify.NewStore(d, exams.NewStore(d, nil), nil, nil), nil)
}

// exportPay: clerkskill export pay -period 2026-11 -org CODE -o FILE. The sheet is
// computed and streamed to the file chunk by chunk, with a progress bar on stderr.
func exportPay(env Env, args []string) error {
	var period, org, out string
	store, d, _, err := opCommand(env, "export pay", args, func(fs *flag.FlagSet) {
		fs.StringVar(&period, "period", "", "month, e.g. 2026-11")
		fs.StringVar(&org, "org", "", "code of the unit (its subtree is included; default: the top unit)")
		fs.StringVar(&out, "o", "", "output .xlsx file")
	})
	if err != nil {
		return err
	}
	defer d.Close()
	if !strings.HasSuffix(strings.ToLower(out), ".xlsx") {
		return fmt.Errorf("-o must name an .xlsx file")
	}
	if period, err = pay.ParsePeriod(period); err != nil {
		return fmt.Errorf("-period: month as 2026-11")
	}
	unit, err := ownerUnit(env, store, org)
	if err != nil {
		return err
	}
	ps := cliPay(d)
	total, err := ps.CountClerks(env.Ctx, unit.Path)
	if err != nil {
		return err
	}
	file, err := os.Create(out)
	if err != nil {
		return err
	}
	progress := bar(env.Stderr, "计算并写入")
	title := fmt.Sprintf("%s %s 差异化绩效工资表", unit.Name, period)
	n, err := ps.ExportSheet(env.Ctx, pay.SheetQuery{Path: unit.Path, Period: period}, title, file,
		func(done int) { progress(done, max(total, done)) })
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
		return err
	}
	writeln(env.Stdout, "exported the %s pay sheet of %s (%s): %d clerk(s) to %s", period, unit.Name, unit.Code, n, out)
	return nil
}

// importRatings: clerkskill import ratings FILE (either layout), all or nothing.
func importRatings(env Env, args []string) error {
	return importPayFile(env, "ratings", args, (*pay.Store).ImportRatingsFile)
}

// importWorkload: clerkskill import workload FILE, all or nothing.
func importWorkload(env Env, args []string) error {
	return importPayFile(env, "workload", args, (*pay.Store).ImportWorkloadFile)
}

// payImport is ImportRatingsFile or ImportWorkloadFile.
type payImport func(*pay.Store, context.Context, int64, rbac.Scope, io.Reader, pay.Progress) (int, *exports.Report, error)

// importPayFile imports FILE over the whole tree as the operator; on refusal it prints
// every row error and exits non-zero.
func importPayFile(env Env, kind string, args []string, fn payImport) error {
	_, d, rest, err := opCommand(env, "import "+kind, positionalLast(args), nil)
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
	writeln(env.Stdout, "importing %s as %s", filepath.Base(path), kind)
	n, rep, err := fn(cliPay(d), env.Ctx, 0, rbac.Scope{"/"}, file, pay.Progress(bar(env.Stderr, "保存")))
	if err != nil {
		if rep != nil {
			printReport(env.Stderr, rep)
		}
		return err
	}
	writeln(env.Stdout, "imported %d row(s)", n)
	return nil
}
