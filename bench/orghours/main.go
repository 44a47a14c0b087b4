// Command orghours measures what migration 0015 changes for issue 5: training.Store.OrgHours
// (a unit's subtree's hours in one year) on SQLite, with the covering index 0015 adds
// (org_id, year, voided_at, hours) against the index it replaces (org_id, year, from 0009).
// Two stores in temp dirs get the same demo org tree and the same ledger; calls alternate
// between them, and a ceiling is measured in the same run, interleaved: one plain query
// through the driver summing the same index entries with the subtree's unit ids given
// (no join, no bun).
//
//	go run ./bench/orghours [-per 20] [-calls 300]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/curriculum/training"
	"clerkskill/rbac"
)

func main() {
	per := flag.Int("per", 20, "ledger entries per clerk and year (three years)")
	calls := flag.Int("calls", 300, "OrgHours calls per store")
	flag.Parse()
	if err := run(context.Background(), *per, *calls); err != nil {
		fmt.Fprintln(os.Stderr, "orghours:", err)
		os.Exit(1)
	}
}

// store is one SQLite database with the training store over it.
type store struct {
	name string
	d    *bun.DB
	t    *training.Store
}

func run(ctx context.Context, per, calls int) error {
	var stores []*store
	for _, name := range []string{"0015 covering index", "0009 index (org_id, year)"} {
		s, done, err := open(ctx, name, per)
		if err != nil {
			return err
		}
		defer done()
		stores = append(stores, s)
	}
	if _, err := stores[1].d.ExecContext(ctx, "DROP INDEX training_hours_org_year_hours_idx; CREATE INDEX training_hours_org_idx ON training_hours (org_id, year)"); err != nil {
		return err
	}
	county, ids, err := subtree(ctx, stores[0].d, "QS")
	if err != nil {
		return err
	}
	for _, s := range stores {
		plan(ctx, s)
	}
	ceiling := "SELECT COALESCE(SUM(hours), 0.0) FROM training_hours WHERE org_id IN (" + ids + ") AND year = ? AND voided_at IS NULL"
	times := make([][]time.Duration, 3)
	var sums [3]float64
	for range calls {
		for i, s := range stores {
			t0 := time.Now()
			if sums[i], err = s.t.OrgHours(ctx, county, 2025); err != nil {
				return err
			}
			times[i] = append(times[i], time.Since(t0))
		}
		t0 := time.Now()
		if err := stores[0].d.DB.QueryRowContext(ctx, ceiling, 2025).Scan(&sums[2]); err != nil {
			return err
		}
		times[2] = append(times[2], time.Since(t0))
	}
	if training.Round1(sums[2]) != sums[0] || sums[0] != sums[1] {
		return fmt.Errorf("the figures differ: %v", sums)
	}
	fmt.Printf("county subtree, 2025: %v hours\n", sums[0])
	report(stores, times)
	return nil
}

// open migrates a fresh SQLite store, seeds the demo org tree and fills the ledger.
func open(ctx context.Context, name string, per int) (*store, func(), error) {
	dir, err := os.MkdirTemp("", "clerkskill-orghours-")
	if err != nil {
		return nil, nil, err
	}
	d, err := db.Open(ctx, "", dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	done := func() { d.Close(); os.RemoveAll(dir) }
	if err := seed(ctx, d, per); err != nil {
		done()
		return nil, nil, err
	}
	return &store{name: name, d: d, t: training.NewStore(d, nil, nil)}, done, nil
}

// seed writes the demo people and per entries for each clerk in 2024, 2025 and 2026; one
// entry in twenty is voided.
func seed(ctx context.Context, d *bun.DB, per int) error {
	if _, err := db.Migrate(ctx, d); err != nil {
		return err
	}
	rs, err := rbac.NewStore(d, nil)
	if err != nil {
		return err
	}
	if _, err := rs.SeedDemo(ctx); err != nil {
		return err
	}
	var clerks []struct {
		UserID int64 `bun:"user_id"`
		OrgID  int64 `bun:"org_id"`
	}
	err = d.NewSelect().TableExpr("users AS u").ColumnExpr("u.id AS user_id, s.org_id").
		Join("JOIN staff AS s ON s.id = u.staff_id").OrderExpr("u.id").Scan(ctx, &clerks)
	if err != nil {
		return err
	}
	t0 := time.Now()
	for _, c := range clerks {
		if err := fillClerk(ctx, d, c.UserID, c.OrgID, per); err != nil {
			return err
		}
	}
	fmt.Printf("store: %d clerks, %d entries written in %s; %s, %d CPU, %s\n", len(clerks), len(clerks)*per*3,
		time.Since(t0).Round(time.Millisecond), time.Now().UTC().Format(time.RFC3339), runtime.NumCPU(), runtime.Version())
	return nil
}

func fillClerk(ctx context.Context, d *bun.DB, user, org int64, per int) error {
	list := make([]*training.Entry, 0, per*3)
	for y := 2024; y <= 2026; y++ {
		for i := range per {
			at := time.Date(y, time.Month(1+i%12), 1+i%28, 2, 0, 0, 0, time.UTC)
			key := fmt.Sprintf("bench/%d/%d/%d", user, y, i)
			e := &training.Entry{UserID: user, OrgID: &org, Source: training.SourceCourse, SourceKey: &key, Title: "测速课程",
				Hours: 1.5, EarnedAt: at, Year: y, CreatedAt: at}
			if i%20 == 19 {
				e.VoidedAt, e.VoidReason = &at, "测速作废"
			}
			list = append(list, e)
		}
	}
	_, err := d.NewInsert().Model(&list).Exec(ctx)
	return err
}

// subtree returns the unit's id and the ids of every unit under it, as SQL text.
func subtree(ctx context.Context, d *bun.DB, code string) (int64, string, error) {
	var root struct {
		ID   int64  `bun:"id"`
		Path string `bun:"path"`
	}
	if err := d.NewSelect().Table("org_units").Column("id", "path").Where("code = ?", code).Scan(ctx, &root); err != nil {
		return 0, "", err
	}
	var ids []string
	err := d.NewSelect().Table("org_units").ColumnExpr("CAST(id AS TEXT)").
		Where("substr(path, 1, length(?)) = ?", root.Path, root.Path).Scan(ctx, &ids)
	return root.ID, strings.Join(ids, ","), err
}

// plan prints SQLite's plan for the query OrgHours runs.
func plan(ctx context.Context, s *store) {
	rows, err := s.d.DB.QueryContext(ctx, "EXPLAIN QUERY PLAN SELECT COALESCE(SUM(h.hours), 0.0) FROM training_hours AS h "+
		"JOIN org_units AS o ON o.id = h.org_id WHERE h.year = ? AND h.voided_at IS NULL AND o.path >= ? AND o.path < ?", 2025, "/1/", "/10")
	if err != nil {
		fmt.Println("plan:", err)
		return
	}
	defer rows.Close()
	fmt.Printf("plan with %s:\n", s.name)
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if rows.Scan(&id, &parent, &unused, &detail) == nil {
			fmt.Println("   ", detail)
		}
	}
}

func report(stores []*store, times [][]time.Duration) {
	pct := func(ds []time.Duration, p float64) time.Duration {
		s := slices.Clone(ds)
		slices.Sort(s)
		return s[min(len(s)-1, int(p*float64(len(s))))]
	}
	total := func(ds []time.Duration) (t time.Duration) {
		for _, d := range ds {
			t += d
		}
		return t
	}
	row := func(name string, ds []time.Duration) {
		fmt.Printf("%-44s %10s %10s %10s\n", name, pct(ds, .5).Round(time.Microsecond), pct(ds, .99).Round(time.Microsecond), total(ds).Round(time.Millisecond))
	}
	fmt.Printf("%-44s %10s %10s %10s\n", "", "p50", "p99", "total")
	row("OrgHours, "+stores[0].name, times[0])
	row("OrgHours, "+stores[1].name, times[1])
	row("ceiling: plain SUM over the unit ids, driver", times[2])
	ratio := func(a, b []time.Duration) string {
		return fmt.Sprintf("%10.2f× %9.2f× %9.2f×", float64(pct(a, .5))/float64(pct(b, .5)),
			float64(pct(a, .99))/float64(pct(b, .99)), float64(total(a))/float64(total(b)))
	}
	fmt.Printf("%-44s %s\n", "ratio 0015 / ceiling", ratio(times[0], times[2]))
	fmt.Printf("%-44s %s\n", "ratio 0009 / ceiling", ratio(times[1], times[2]))
	fmt.Printf("%-44s %s\n", "ratio 0009 / 0015 (speed-up)", ratio(times[1], times[0]))
}
