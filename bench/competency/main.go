// Command competency measures the competency matrix of a county of 5,000 clerks over 30
// standard branches: building the matrix the page and API serve (competency.Store
// BuildMatrix for the county, first page of 50 people, encoded as the API's JSON), timed
// next to a ceiling measured in the same run, interleaved round by round: the bare
// aggregate query that feeds it (the same released, complete part results of the same
// subtree with the same joins and conditions, grouped per person, through database/sql).
//
//	go run ./bench/competency [-pg URL] [-clerks 5000] [-branches 30] [-rounds 40]
//
// SQLite runs in a temp dir; with -pg a throwaway database is created and dropped. The
// data is written straight into the tables: a county with 20 townships, a sibling
// county of 500 clerks the matrix must leave out, three released sessions and one held,
// each clerk sitting two or three of them.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/exams"
	"clerkskill/exams/competency"
)

type options struct {
	pg                       string
	clerks, branches, rounds int
	cpuprofile               string
}

func main() {
	var o options
	flag.StringVar(&o.pg, "pg", "", "postgres:// URL of a server to create a throwaway database on (default: SQLite in a temp dir)")
	flag.IntVar(&o.clerks, "clerks", 5000, "clerks in the county")
	flag.IntVar(&o.branches, "branches", 30, "top branches in every result")
	flag.IntVar(&o.rounds, "rounds", 40, "timed rounds (matrix, then ceiling)")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the timed rounds to this file")
	flag.Parse()
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "bench competency:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	d, cleanup, err := open(ctx, o.pg)
	if err != nil {
		return err
	}
	defer cleanup()
	fmt.Printf("date: %s\nmachine: %d CPU, %s, %s/%s, %s\nload average at the start: %s\n", time.Now().UTC().Format(time.RFC3339),
		runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH, d.Dialect().Name(), loadAvg())
	std := exams.NewStore(d, nil)
	v, err := std.EnsureDefaultStandard(ctx)
	if err != nil {
		return err
	}
	t0 := time.Now()
	results, err := setup(ctx, d, v.ID, o)
	if err != nil {
		return err
	}
	fmt.Printf("setup: %d + 500 clerks, %d part results × %d branches in %.1f s\n", o.clerks, results, o.branches, time.Since(t0).Seconds())
	stop := profile(o.cpuprofile)
	defer stop()
	return measure(ctx, d, competency.NewStore(d, std, nil, nil, nil), o)
}

// profile starts a CPU profile when asked and returns what stops it.
func profile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cpuprofile:", err)
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

// measure interleaves the matrix and its ceiling and prints both and their ratio.
func measure(ctx context.Context, d *bun.DB, s *competency.Store, o options) error {
	var build, ceil []time.Duration
	var size, people int
	for r := 0; r < o.rounds+2; r++ {
		t0 := time.Now()
		m, err := s.BuildMatrix(ctx, competency.MatrixFilter{OrgID: countyID, Limit: 50})
		if err != nil {
			return err
		}
		body, err := json.Marshal(m)
		if err != nil {
			return err
		}
		b := time.Since(t0)
		t0 = time.Now()
		n, err := aggregate(ctx, d)
		if err != nil {
			return err
		}
		c := time.Since(t0)
		if r >= 2 { // the first two rounds warm caches
			build, ceil = append(build, b), append(ceil, c)
		}
		size, people = len(body), n
		if m.Staff != o.clerks || len(m.Columns) != o.branches+9 {
			return fmt.Errorf("matrix of %d people × %d columns", m.Staff, len(m.Columns))
		}
	}
	fmt.Printf("matrix: %d people, first page of 50 (%d bytes of JSON); ceiling rows: %d people with results\n", o.clerks, size, people)
	report(build, ceil)
	fmt.Printf("load average at the end: %s\n", loadAvg())
	return nil
}

// aggregate is the bare query that feeds the matrix: released, complete part results of
// the county's subtree, per person.
func aggregate(ctx context.Context, b *bun.DB) (int, error) {
	q := `SELECT u.staff_id, COUNT(*), MAX(COALESCE(a.submitted_at, es.closes_at)), SUM(LENGTH(CAST(pr.branches AS TEXT)))
FROM part_results AS pr JOIN users AS u ON u.id = pr.user_id JOIN exam_sessions AS es ON es.id = pr.session_id
JOIN attempts AS a ON a.id = pr.attempt_id JOIN staff AS st ON st.id = u.staff_id JOIN org_units AS o ON o.id = st.org_id
WHERE pr.complete AND (EXISTS (SELECT 1 FROM result_releases AS rr WHERE rr.session_id = pr.session_id)
  OR (NOT es.results_held AND es.closes_at <= ?)) AND o.path >= ? AND o.path < ?
GROUP BY u.staff_id`
	// bun writes the literals as the store's queries get them (times in the dialect's format).
	q = b.QueryGen().FormatQuery(q, time.Now().UTC(), countyPath, countyPath[:len(countyPath)-1]+"0")
	rows, err := b.DB.QueryContext(ctx, q)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var staff, count int64
		var last any
		var size int64
		if err := rows.Scan(&staff, &count, &last, &size); err != nil {
			return 0, err
		}
		n++
	}
	return n, rows.Err()
}

func report(build, ceil []time.Duration) {
	p := func(xs []time.Duration, q float64) time.Duration {
		s := slices.Clone(xs)
		slices.Sort(s)
		return s[min(len(s)-1, int(q*float64(len(s))))]
	}
	ms := func(x time.Duration) string { return fmt.Sprintf("%.1f ms", float64(x.Microseconds())/1000) }
	fmt.Printf("%-28s %10s %10s\n", "", "p50", "p99")
	fmt.Printf("%-28s %10s %10s\n", "matrix (build + JSON)", ms(p(build, 0.5)), ms(p(build, 0.99)))
	fmt.Printf("%-28s %10s %10s\n", "ceiling: aggregate query", ms(p(ceil, 0.5)), ms(p(ceil, 0.99)))
	fmt.Printf("%-28s %9.2f× %9.2f×\n", "ratio", float64(p(build, 0.5))/float64(p(ceil, 0.5)), float64(p(build, 0.99))/float64(p(ceil, 0.99)))
}

func open(ctx context.Context, pgURL string) (*bun.DB, func(), error) {
	dir, err := os.MkdirTemp("", "clerkskill-competency-")
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
	if err == nil {
		_, err = db.Migrate(ctx, d)
	}
	if err != nil {
		drop()
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return d, func() { d.Close(); drop(); os.RemoveAll(dir) }, nil
}

// createPGDatabase makes clerkskill_competency_<pid> and returns its URL and its drop.
func createPGDatabase(ctx context.Context, adminURL string) (string, func(), error) {
	u, err := url.Parse(adminURL)
	if err != nil || !db.IsPostgresDSN(adminURL) {
		return "", nil, fmt.Errorf("-pg: want a postgres:// URL")
	}
	admin, err := sql.Open("pgx", adminURL)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("clerkskill_competency_%d", os.Getpid())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database %s: %w", name, err)
	}
	drop := func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			fmt.Fprintln(os.Stderr, "bench competency: drop database:", err)
		}
		admin.Close()
	}
	u.Path = "/" + name
	return u.String(), drop, nil
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil || len(b) < 14 {
		return "unknown"
	}
	return string(b[:14])
}
