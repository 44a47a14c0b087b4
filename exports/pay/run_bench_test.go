package pay_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db/dbtest"
	"clerkskill/exports/pay"
	"clerkskill/rbac"
)

// BenchmarkPayRun measures, per store, closing a month (compute and store every row),
// writing the stored run, and, interleaved in the same rounds as the ceiling, computing
// and writing the same sheet live; it prints the ratios and the load average. Clerks:
// PAYRUN_BENCH_CLERKS (default 20000). Run with -bench PayRun -benchtime 1x -run '^$'.
func BenchmarkPayRun(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("PAYRUN_BENCH_CLERKS")); err == nil && v > 0 {
		n = v
	}
	for _, dialect := range dbtest.Dialects(b) {
		b.Run(dialect, func(b *testing.B) {
			ctx := context.Background()
			d := dbtest.New(b, dialect)
			unit := benchFill(b, d, n)
			s := pay.NewStore(d, fixedLevels{}, nil)
			b.Logf("load at start: %s", loadAvg())
			var live, closing, stored time.Duration
			for range b.N {
				live += timed(b, func() error { return writeLive(ctx, s, unit) })
				var run *pay.Run
				closing += timed(b, func() (err error) { run, err = s.CloseRun(ctx, 0, unit, "2026-11"); return err })
				stored += timed(b, func() error { _, err := s.ExportRun(ctx, run, &bytes.Buffer{}, nil); return err })
				if err := s.ReopenRun(ctx, 0, run, "基准测试重开"); err != nil {
					b.Fatal(err)
				}
			}
			b.Logf("%s, %d clerks, %d round(s): live sheet %s; close %s (%.2f× live); stored download %s (%.2f× live)",
				dialect, n, b.N, live/time.Duration(b.N), closing/time.Duration(b.N), float64(closing)/float64(live),
				stored/time.Duration(b.N), float64(stored)/float64(live))
			b.Logf("load at end: %s", loadAvg())
		})
	}
}

func writeLive(ctx context.Context, s *pay.Store, u *pay.Unit) error {
	_, err := s.ExportSheet(ctx, pay.SheetQuery{Path: u.Path, Period: "2026-11"}, pay.SheetTitle(u, "2026-11"), &bytes.Buffer{}, nil)
	return err
}

func timed(b *testing.B, fn func() error) time.Duration {
	t0 := time.Now()
	if err := fn(); err != nil {
		b.Fatal(err)
	}
	return time.Since(t0)
}

func loadAvg() string {
	raw, _ := os.ReadFile("/proc/loadavg")
	return strings.Join(strings.Fields(string(raw))[:min(3, len(strings.Fields(string(raw))))], " ")
}

// benchFill writes a county with 20 townships, n clerks spread over them, a month of
// rating counts and workload per clerk, and the county's policy.
func benchFill(b *testing.B, d *bun.DB, n int) *pay.Unit {
	ctx := context.Background()
	people, err := rbac.NewStore(d, nil)
	if err != nil {
		b.Fatal(err)
	}
	county := &rbac.OrgUnit{Tier: rbac.TierCounty, Code: "BX", Name: "百县政务服务中心"}
	if err := people.CreateOrg(ctx, 0, county); err != nil {
		b.Fatal(err)
	}
	units := []int64{county.ID}
	for t := range 20 {
		town := &rbac.OrgUnit{ParentID: &county.ID, Tier: rbac.TierTownship, Code: fmt.Sprintf("BX-%02d", t+1), Name: fmt.Sprintf("第%d镇便民服务中心", t+1)}
		if err := people.CreateOrg(ctx, 0, town); err != nil {
			b.Fatal(err)
		}
		units = append(units, town.ID)
	}
	benchStaff(b, d, n, units)
	s := pay.NewStore(d, fixedLevels{}, nil)
	p := &pay.Policy{OrgID: county.ID, EffectiveFrom: day("2026-01-01"), Rules: pay.DefaultRules()}
	if err := s.CreatePolicy(ctx, 0, p); err != nil {
		b.Fatal(err)
	}
	u, err := s.FindUnit(ctx, county.ID)
	if err != nil {
		b.Fatal(err)
	}
	return u
}

type benchStaffRow struct {
	bun.BaseModel `bun:"table:staff"`

	ID             int64     `bun:"id,pk,autoincrement"`
	EmpNo          string    `bun:"emp_no"`
	Name           string    `bun:"name"`
	OrgID          int64     `bun:"org_id"`
	EmploymentType string    `bun:"employment_type"`
	Active         bool      `bun:"active"`
	CreatedAt      time.Time `bun:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at"`
}

func benchStaff(b *testing.B, d *bun.DB, n int, units []int64) {
	ctx, now := context.Background(), time.Now().UTC()
	for start := 0; start < n; start += 500 {
		rows := make([]*benchStaffRow, 0, 500)
		for i := start; i < min(start+500, n); i++ {
			rows = append(rows, &benchStaffRow{EmpNo: fmt.Sprintf("BX%06d", i+1), Name: "测试" + strconv.Itoa(i%97), OrgID: units[i%len(units)],
				EmploymentType: string(rbac.EmployDispatched), Active: true, CreatedAt: now, UpdatedAt: now})
		}
		if _, err := d.NewInsert().Model(&rows).Exec(ctx); err != nil {
			b.Fatal(err)
		}
		var ratings []*pay.Rating
		var work []*pay.Workload
		for i, r := range rows {
			ratings = append(ratings, &pay.Rating{StaffID: r.ID, OrgID: r.OrgID, Period: "2026-11", Grade: 5 - i%3, Count: 1 + i%5, Batch: "bench", CreatedAt: now})
			work = append(work, &pay.Workload{StaffID: r.ID, Period: "2026-11", OrgID: r.OrgID, Cases: 40 + i%60, Calls: 30 + i%40, UpdatedAt: now})
		}
		if _, err := d.NewInsert().Model(&ratings).Exec(ctx); err != nil {
			b.Fatal(err)
		}
		if _, err := d.NewInsert().Model(&work).Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
