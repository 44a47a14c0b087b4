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

// exportPay: clerkskill export pay -period 2026-11 -org CODE -o FILE, or -run ID. A month
// closed (核定) for the unit is written from its stored rows, as is the run named by -run;
// otherwise the sheet is computed and streamed to the file chunk by chunk. A progress bar
// runs on stderr.
func exportPay(env Env, args []string) error {
	var period, org, out string
	var runID int64
	store, d, _, err := opCommand(env, "export pay", args, func(fs *flag.FlagSet) {
		fs.StringVar(&period, "period", "", "month, e.g. 2026-11")
		fs.StringVar(&org, "org", "", "code of the unit (its subtree is included; default: the top unit)")
		fs.Int64Var(&runID, "run", 0, "id of a pay run (核定) to write as stored; -period and -org are then not used")
		fs.StringVar(&out, "o", "", "output .xlsx file")
	})
	if err != nil {
		return err
	}
	defer d.Close()
	if !strings.HasSuffix(strings.ToLower(out), ".xlsx") {
		return fmt.Errorf("-o must name an .xlsx file")
	}
	ps := cliPay(d)
	job, err := payJobOf(env, store, ps, org, period, runID)
	if err != nil {
		return err
	}
	n, err := writePayFile(env, ps, job, out)
	if err != nil {
		return err
	}
	writeln(env.Stdout, "exported %s: %d clerk(s) to %s", job.Title, n, out)
	return nil
}

// payJobOf names the sheet to write: the run with runID, else the unit's month.
func payJobOf(env Env, store *rbac.Store, ps *pay.Store, org, period string, runID int64) (pay.SheetJob, error) {
	if runID != 0 {
		run, err := ps.FindRun(env.Ctx, runID)
		if err != nil {
			return pay.SheetJob{}, err
		}
		return pay.SheetJob{OrgID: run.OrgID, OrgPath: run.OrgPath, Period: run.Period, Title: run.Title, RunID: run.ID}, nil
	}
	period, err := pay.ParsePeriod(period)
	if err != nil {
		return pay.SheetJob{}, fmt.Errorf("-period: month as 2026-11")
	}
	unit, err := ownerUnit(env, store, org)
	if err != nil {
		return pay.SheetJob{}, err
	}
	title := pay.SheetTitle(&pay.Unit{Name: unit.Name}, period)
	return pay.SheetJob{OrgID: unit.ID, OrgPath: unit.Path, Period: period, Title: title}, nil
}

// writePayFile writes the sheet to out with a progress bar, removing it on failure.
func writePayFile(env Env, ps *pay.Store, job pay.SheetJob, out string) (int, error) {
	file, err := os.Create(out)
	if err != nil {
		return 0, err
	}
	progress, n := bar(env.Stderr, "计算并写入"), 0
	err = ps.WriteSheetJob(env.Ctx, file, job, func(done, total int) { n = done; progress(done, max(total, done)) })
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
	}
	return n, err
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
