// Command paperdraw measures what issue 3 asks: drawing individual papers from a bank of
// 5,000 questions, time per paper. Each draw (paper.Store.Draw: read the blueprint, read
// its candidate rows, pick by seed, shuffle options) is timed next to a ceiling measured
// in the same run, interleaved paper by paper: the raw database reading the same
// candidate rows with one plain query per paper through the driver (database/sql, no bun,
// no picking).
//
//	go run ./bench/paperdraw [-pg URL] [-questions 5000] [-papers 2000]
//
// SQLite runs in a temp dir; with -pg a throwaway database is created and dropped.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/exams/paper"
	"clerkskill/rbac"
)

type options struct {
	pg               string
	questions, paper int
}

func main() {
	var o options
	flag.StringVar(&o.pg, "pg", "", "postgres:// URL of a server to create a throwaway database on (default: SQLite in a temp dir)")
	flag.IntVar(&o.questions, "questions", 5000, "questions in the bank")
	flag.IntVar(&o.paper, "papers", 2000, "individual papers to draw")
	flag.Parse()
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "paperdraw:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	d, cleanup, err := open(ctx, o.pg)
	if err != nil {
		return err
	}
	defer cleanup()
	papers, bp, err := setup(ctx, d, o)
	if err != nil {
		return err
	}
	raw, args := ceilingQuery(d, bp)
	var candidates int
	draw, ceiling := make([]time.Duration, 0, o.paper), make([]time.Duration, 0, o.paper)
	distinct := map[string]bool{}
	for i := range o.paper {
		t0 := time.Now()
		items, err := papers.Draw(ctx, paper.Source{BlueprintID: bp.ID}, int64(i)*7919+1)
		draw = append(draw, time.Since(t0))
		if err != nil || len(items) != bp.Questions() {
			return fmt.Errorf("paper %d: %d items, %v", i, len(items), err)
		}
		distinct[fmt.Sprint(items)] = true
		t0 = time.Now()
		n, err := readRaw(ctx, d.DB, raw, args)
		ceiling = append(ceiling, time.Since(t0))
		if err != nil {
			return err
		}
		candidates = n
	}
	fmt.Printf("papers: %d drawn, %d different; %d questions each; %d candidate rows read per paper\n",
		o.paper, len(distinct), bp.Questions(), candidates)
	report(draw, ceiling)
	return nil
}

// setup migrates, stores the default standard, a unit, the bank and the blueprint.
func setup(ctx context.Context, d *bun.DB, o options) (*paper.Store, *paper.Blueprint, error) {
	if _, err := db.Migrate(ctx, d); err != nil {
		return nil, nil, err
	}
	std := exams.NewStore(d, nil)
	if _, err := std.EnsureDefaultStandard(ctx); err != nil {
		return nil, nil, err
	}
	rs, err := rbac.NewStore(d, nil)
	if err != nil {
		return nil, nil, err
	}
	if _, err := rs.Bootstrap(ctx, "测速用政务服务中心", ""); err != nil {
		return nil, nil, err
	}
	var owner int64
	if err := d.NewSelect().Table("org_units").Column("id").Limit(1).Scan(ctx, &owner); err != nil {
		return nil, nil, err
	}
	b := bank.NewStore(d, std, nil)
	t0 := time.Now()
	if err := fillBank(ctx, b, o.questions, owner); err != nil {
		return nil, nil, err
	}
	if db.IsPostgres(d) {
		if _, err := d.ExecContext(ctx, "ANALYZE"); err != nil {
			return nil, nil, err
		}
	}
	ps := paper.NewStore(d, b, nil)
	bp := benchBlueprint(owner)
	if err := ps.CreateBlueprint(ctx, 0, bp); err != nil {
		return nil, nil, err
	}
	if short, err := ps.CheckFillable(ctx, bp.ID); err != nil || len(short) > 0 {
		return nil, nil, fmt.Errorf("the bench blueprint cannot be filled: %v %v", short, err)
	}
	fmt.Printf("store: %s; bank: %d questions (+%d edits) written in %s; %s, %d CPU, %s\n", storeName(d), o.questions,
		(o.questions+19)/20, time.Since(t0).Round(time.Millisecond), time.Now().UTC().Format(time.RFC3339), runtime.NumCPU(), runtime.Version())
	return ps, bp, nil
}

// ceilingQuery is the plain SQL reading the candidate rows of bp, as Draw's one query does
// but without bun: the same columns and the same conditions, the driver's placeholders.
func ceilingQuery(d *bun.DB, bp *paper.Blueprint) (string, []any) {
	pg := db.IsPostgres(d)
	var args []any
	ph := func(v any) string {
		args = append(args, v)
		if pg {
			return fmt.Sprintf("$%d", len(args))
		}
		return "?"
	}
	count := "CASE WHEN json_type(options) = 'array' THEN json_array_length(options) ELSE 0 END"
	if pg {
		count = "CASE WHEN jsonb_typeof(options) = 'array' THEN jsonb_array_length(options) ELSE 0 END"
	}
	head := "SELECT id, type, code, difficulty, " + count + " FROM questions WHERE latest = " + ph(true) +
		" AND status = " + ph("active") + " AND pool IN (" + ph("exam") + ", " + ph("both") + ") AND (levels & " +
		ph(int(bank.LevelsOf(bp.Level))) + ") <> 0"
	var types, codes []string
	var seenType []bank.Type
	var seenCode []string
	for _, r := range bp.Rows {
		if !slices.Contains(seenType, r.Type) {
			seenType = append(seenType, r.Type)
			types = append(types, ph(string(r.Type)))
		}
	}
	for _, r := range bp.Rows {
		if !slices.Contains(seenCode, r.Code) {
			seenCode = append(seenCode, r.Code)
			codes = append(codes, "code = "+ph(r.Code)+" OR code LIKE "+ph(r.Code+".%"))
		}
	}
	q := head + " AND type IN (" + strings.Join(types, ", ") + ") AND (" + strings.Join(codes, " OR ") + ") ORDER BY id"
	return q, args
}

// readRaw runs the ceiling query and scans every row, returning how many there were.
func readRaw(ctx context.Context, d *sql.DB, q string, args []any) (int, error) {
	rows, err := d.QueryContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		var typ, code string
		var diff, opts int
		if err := rows.Scan(&id, &typ, &code, &diff, &opts); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

func report(draw, ceiling []time.Duration) {
	total := func(ds []time.Duration) time.Duration {
		var t time.Duration
		for _, d := range ds {
			t += d
		}
		return t
	}
	pct := func(ds []time.Duration, p float64) time.Duration {
		s := slices.Clone(ds)
		slices.Sort(s)
		return s[min(len(s)-1, int(p*float64(len(s))))]
	}
	fmt.Printf("%-34s %10s %10s %10s\n", "", "p50", "p99", "total")
	row := func(name string, ds []time.Duration) {
		fmt.Printf("%-34s %10s %10s %10s\n", name, pct(ds, .5).Round(time.Microsecond), pct(ds, .99).Round(time.Microsecond), total(ds).Round(time.Millisecond))
	}
	row("Draw (paper.Store.Draw)", draw)
	row("ceiling: one plain query, driver", ceiling)
	ratio := func(a, b time.Duration) string { return fmt.Sprintf("%.2f×", float64(a)/float64(b)) }
	fmt.Printf("%-34s %10s %10s %10s\n", "ratio Draw / ceiling", ratio(pct(draw, .5), pct(ceiling, .5)),
		ratio(pct(draw, .99), pct(ceiling, .99)), ratio(total(draw), total(ceiling)))
}

func storeName(d *bun.DB) string {
	if db.IsPostgres(d) {
		return "postgres"
	}
	return "sqlite"
}

// open returns a fresh store: SQLite in a temp dir, or a database made on the -pg server.
func open(ctx context.Context, pgURL string) (*bun.DB, func(), error) {
	dir, err := os.MkdirTemp("", "clerkskill-paperdraw-")
	if err != nil {
		return nil, nil, err
	}
	dsn, drop := "", func() {}
	if pgURL != "" {
		if dsn, drop, err = createPGDatabase(ctx, pgURL); err != nil {
			os.RemoveAll(dir)
			return nil, nil, err
		}
	}
	d, err := db.Open(ctx, dsn, dir)
	if err != nil {
		drop()
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return d, func() { d.Close(); drop(); os.RemoveAll(dir) }, nil
}

// createPGDatabase makes clerkskill_paperdraw_<pid> and returns its URL and its drop.
func createPGDatabase(ctx context.Context, adminURL string) (string, func(), error) {
	u, err := url.Parse(adminURL)
	if err != nil || !db.IsPostgresDSN(adminURL) {
		return "", nil, fmt.Errorf("-pg: want a postgres:// URL")
	}
	admin, err := sql.Open("pgx", adminURL)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("clerkskill_paperdraw_%d", os.Getpid())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database %s: %w", name, err)
	}
	drop := func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			fmt.Fprintln(os.Stderr, "paperdraw: drop database:", err)
		}
		admin.Close()
	}
	u.Path = "/" + name
	return u.String(), drop, nil
}
