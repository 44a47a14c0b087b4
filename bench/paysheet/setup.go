package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/exports/pay"
	"clerkskill/rbac"
)

// period is the month the bench computes.
const period = "2026-11"

// prepare makes the database (SQLite file in a temp dir, or a throwaway PostgreSQL
// database), migrates and fills it, and returns what the measured sides open.
func prepare(ctx context.Context, o options) (dsn, dir string, cleanup func(), err error) {
	if dir, err = os.MkdirTemp("", "clerkskill-paysheet-"); err != nil {
		return "", "", nil, err
	}
	drop := func() {}
	if o.pg != "" {
		if dsn, drop, err = createPGDatabase(ctx, o.pg); err != nil {
			os.RemoveAll(dir)
			return "", "", nil, err
		}
	}
	cleanup = func() {
		if o.keep {
			fmt.Fprintln(os.Stderr, "paysheet: kept", dir, dsn)
			return
		}
		drop()
		os.RemoveAll(dir)
	}
	d, err := db.Open(ctx, dsn, dir)
	if err != nil {
		cleanup()
		return "", "", nil, err
	}
	defer d.Close()
	t0 := time.Now()
	if _, err := db.Migrate(ctx, d); err != nil {
		cleanup()
		return "", "", nil, err
	}
	if err := fill(ctx, d, o.clerks); err != nil {
		cleanup()
		return "", "", nil, err
	}
	fmt.Fprintf(os.Stderr, "paysheet: filled %d clerks in %s\n", o.clerks, time.Since(t0).Round(time.Second))
	return dsn, dir, cleanup, nil
}

// fill writes a county with 40 townships of 9 village stations each, the clerks spread
// over the 401 units, three rating rows (grade counts) and a workload row per clerk for
// the month, and two policies: the county's and one township's.
func fill(ctx context.Context, d *bun.DB, clerks int) error {
	people, err := rbac.NewStore(d, nil)
	if err != nil {
		return err
	}
	units, err := orgTree(ctx, people)
	if err != nil {
		return err
	}
	if err := insertStaff(ctx, d, clerks, units); err != nil {
		return err
	}
	if err := insertInputs(ctx, d, clerks); err != nil {
		return err
	}
	ps := pay.NewStore(d, nil, nil)
	town := pay.DefaultRules()
	town.GradePoints, town.WorkloadScale, town.WorkloadTarget = [5]float64{10, 8, 6, 3, 0}, pay.ScaleTarget, 260
	for i, r := range []pay.Rules{pay.DefaultRules(), town} {
		p := &pay.Policy{OrgID: units[i], EffectiveFrom: rbac.Date{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, Rules: r}
		if err := ps.CreatePolicy(ctx, 0, p); err != nil {
			return err
		}
	}
	return nil
}

func orgTree(ctx context.Context, s *rbac.Store) ([]int64, error) {
	county := &rbac.OrgUnit{Tier: rbac.TierCounty, Code: "BX", Name: "百县政务服务中心"}
	if err := s.CreateOrg(ctx, 0, county); err != nil {
		return nil, err
	}
	units := []int64{county.ID}
	for t := range 40 {
		town := &rbac.OrgUnit{ParentID: &county.ID, Tier: rbac.TierTownship, Code: fmt.Sprintf("BX-%02d", t+1), Name: fmt.Sprintf("第%d镇便民服务中心", t+1)}
		if err := s.CreateOrg(ctx, 0, town); err != nil {
			return nil, err
		}
		units = append(units, town.ID)
		for v := range 9 {
			vil := &rbac.OrgUnit{ParentID: &town.ID, Tier: rbac.TierVillage, Code: fmt.Sprintf("BX-%02d-%d", t+1, v+1), Name: fmt.Sprintf("第%d镇%d村便民服务站", t+1, v+1)}
			if err := s.CreateOrg(ctx, 0, vil); err != nil {
				return nil, err
			}
			units = append(units, vil.ID)
		}
	}
	return units, nil
}

type staffRow struct {
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

var surnames, given = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"), []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂")

func insertStaff(ctx context.Context, d *bun.DB, clerks int, units []int64) error {
	now := time.Now().UTC()
	for start := 0; start < clerks; start += 1000 {
		rows := make([]*staffRow, 0, 1000)
		for i := start; i < min(start+1000, clerks); i++ {
			name := string(surnames[i%len(surnames)]) + string(given[(i/7)%len(given)]) + string(given[(i/3)%len(given)])
			rows = append(rows, &staffRow{EmpNo: fmt.Sprintf("BX%06d", i+1), Name: name, OrgID: units[i%len(units)],
				EmploymentType: string(rbac.EmployDispatched), Active: true, CreatedAt: now, UpdatedAt: now})
		}
		if _, err := d.NewInsert().Model(&rows).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// insertInputs writes the month's ratings and workload straight into the tables.
func insertInputs(ctx context.Context, d *bun.DB, clerks int) error {
	now := time.Now().UTC()
	var staff []struct {
		ID    int64 `bun:"id"`
		OrgID int64 `bun:"org_id"`
	}
	if err := d.NewSelect().Table("staff").Column("id", "org_id").Order("id").Scan(ctx, &staff); err != nil {
		return err
	}
	for start := 0; start < len(staff); start += 500 {
		var ratings []*pay.Rating
		var work []*pay.Workload
		for i, s := range staff[start:min(start+500, len(staff))] {
			n := start + i
			for g, c := range map[int]int{5: 3 + n%7, 4: 2 + n%3, 2: n % 2} {
				ratings = append(ratings, &pay.Rating{StaffID: s.ID, OrgID: s.OrgID, Period: period, Grade: g, Count: c, Batch: "bench", CreatedAt: now})
			}
			work = append(work, &pay.Workload{StaffID: s.ID, Period: period, OrgID: s.OrgID, Cases: 40 + n%60, Calls: 30 + n%40, Consults: 20 + n%25, Errands: n % 15, UpdatedAt: now})
		}
		if _, err := d.NewInsert().Model(&ratings).Exec(ctx); err != nil {
			return err
		}
		if _, err := d.NewInsert().Model(&work).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// createPGDatabase makes clerkskill_paysheet_<pid> and returns its URL and its drop.
func createPGDatabase(ctx context.Context, adminURL string) (string, func(), error) {
	u, err := url.Parse(adminURL)
	if err != nil || !db.IsPostgresDSN(adminURL) {
		return "", nil, fmt.Errorf("-pg: want a postgres:// URL")
	}
	admin, err := sql.Open("pgx", adminURL)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("clerkskill_paysheet_%d", os.Getpid())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database %s: %w", name, err)
	}
	drop := func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			fmt.Fprintln(os.Stderr, "paysheet: drop database:", err)
		}
		admin.Close()
	}
	u.Path = "/" + name
	return u.String(), drop, nil
}

// outFile is where a measured side writes its workbook.
func outFile(dir, mode string) string { return filepath.Join(dir, mode+".xlsx") }
