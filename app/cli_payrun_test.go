package app_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"clerkskill/app/db"
	"clerkskill/app/db/dbtest"
	"clerkskill/exports/pay"
)

// TestExportPayRunCommand: export pay writes a month computed now, a closed month or
// a run named by -run from its stored rows, and refuses an unknown run.
func TestExportPayRunCommand(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			c := newCLI(t, d)
			dir := t.TempDir()
			c.must("schema at version", "migrate")
			c.must("created", "org", "add", "--code", "QS", "--name", "青山县政务服务中心", "--tier", "county")
			c.must("青山县政务服务中心 2025-10 差异化绩效工资表: 0 clerk(s)", "export", "pay", "-period", "2025-10", "-org", "QS", "-o", filepath.Join(dir, "live.xlsx"))
			id := closeRunDirect(t, c, "QS", "2025-10")
			c.must("2025-10 差异化绩效工资表: 0 clerk(s)", "export", "pay", "-run", fmt.Sprint(id), "-o", filepath.Join(dir, "run.xlsx"))
			c.fails("不存在", "export", "pay", "-run", "9999", "-o", filepath.Join(dir, "none.xlsx"))
			c.fails("-period", "export", "pay", "-org", "QS", "-o", filepath.Join(dir, "none.xlsx"))
		})
	}
}

// closeRunDirect closes the unit's month in the CLI's store, as HR would on the page.
func closeRunDirect(t *testing.T, c *cli, code, period string) int64 {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, c.env["DATABASE_URL"], c.env["CLERKSKILL_DATA"])
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ps := pay.NewStore(d, nil, nil)
	u, err := ps.FindUnitByCode(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	run, err := ps.CloseRun(ctx, 0, u, period)
	if err != nil {
		t.Fatal(err)
	}
	return run.ID
}
