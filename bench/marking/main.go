// Command marking measures marking throughput on PostgreSQL: MarkAttempt per second over
// submitted 100-item attempts, against raw inserts of the same rows through the driver
// in the same run (house style rule 15). Usage:
//
//	go run ./bench/marking -pg 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable'
//
// It creates database clerkskill_markbench_<pid> and drops it afterwards.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/exams"
	"clerkskill/exams/marking"
)

type options struct {
	pg                       string
	attempts, items, workers int
	rounds                   int
	cpuprofile               string
}

func main() {
	var o options
	flag.StringVar(&o.pg, "pg", "", "PostgreSQL server URL (required); a database is created and dropped on it")
	flag.IntVar(&o.attempts, "attempts", 1000, "submitted attempts to mark")
	flag.IntVar(&o.items, "items", 100, "items per attempt")
	flag.IntVar(&o.workers, "workers", 8, "concurrent markers (and concurrent raw writers)")
	flag.IntVar(&o.rounds, "rounds", 2, "interleaved rounds: raw inserts, then marking, per share of the attempts")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the marking rounds to this file")
	flag.Parse()
	if !db.IsPostgresDSN(o.pg) || o.attempts < o.rounds || o.items < 4 {
		fmt.Fprintln(os.Stderr, "usage: marking -pg postgres://… [-attempts N] [-items N] [-workers N] [-rounds N]")
		os.Exit(2)
	}
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "bench marking:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	dsn, drop, err := createDatabase(ctx, o.pg)
	if err != nil {
		return err
	}
	defer drop()
	d, err := db.Open(ctx, dsn, "")
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := db.Migrate(ctx, d); err != nil {
		return err
	}
	fmt.Printf("date: %s\nmachine: %d CPU, %s, %s/%s\nload average at the start: %s\n",
		time.Now().UTC().Format(time.RFC3339), runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH, loadAvg())
	std := exams.NewStore(d, nil)
	if _, err := std.EnsureDefaultStandard(ctx); err != nil {
		return err
	}
	t0 := time.Now()
	ids, err := setup(ctx, d, std, o)
	if err != nil {
		return err
	}
	fmt.Printf("setup: %d closed attempts × %d objective items with answers in %.1f s\n", len(ids), o.items, time.Since(t0).Seconds())
	return measure(ctx, d, marking.NewStore(d, std, nil), ids, o)
}

// measure runs the rounds: raw inserts of one share's rows into shadow tables, then
// MarkAttempt over the same share, and prints both rates and their ratio.
func measure(ctx context.Context, d *bun.DB, store *marking.Store, ids []int64, o options) error {
	if err := shadowTables(ctx, d); err != nil {
		return err
	}
	var rawTotal, markTotal time.Duration
	share := len(ids) / o.rounds
	for r := 0; r < o.rounds; r++ {
		part := ids[r*share : (r+1)*share]
		raw, err := timeRaw(ctx, d.DB, part, o)
		if err != nil {
			return err
		}
		stop := profile(o.cpuprofile, r)
		mark, err := timeMarking(ctx, store, part, o.workers)
		stop()
		if err != nil {
			return err
		}
		rawTotal, markTotal = rawTotal+raw, markTotal+mark
		fmt.Printf("round %d: %d attempts  raw inserts %7.1f attempts/s   MarkAttempt %7.1f attempts/s   ratio %.2f\n",
			r+1, len(part), rate(len(part), raw), rate(len(part), mark), raw.Seconds()/mark.Seconds())
	}
	n := share * o.rounds
	fmt.Printf("total: %d attempts (%d item marks + %d audit rows + 1 claim + 1 result each)\n", n, o.items, o.items)
	fmt.Printf("  MarkAttempt          %7.1f attempts/s  (%.0f item marks/s)\n", rate(n, markTotal), rate(n*o.items, markTotal))
	fmt.Printf("  ceiling: raw inserts %7.1f attempts/s  (same rows, one transaction per attempt, %d writers)\n", rate(n, rawTotal), o.workers)
	fmt.Printf("  MarkAttempt throughput = %.2f × the raw-insert ceiling\n", rawTotal.Seconds()/markTotal.Seconds())
	fmt.Printf("load average at the end: %s\n", loadAvg())
	return checkMarked(ctx, d, n, o.items)
}

// profile starts a CPU profile of the first marking round when asked; it returns the
// function that stops it.
func profile(path string, round int) func() {
	if path == "" || round > 0 {
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

func rate(n int, d time.Duration) float64 { return float64(n) / d.Seconds() }

func checkMarked(ctx context.Context, d *bun.DB, attempts, items int) error {
	c, err := d.NewSelect().Table("item_marks").Count(ctx)
	n := int(c)
	if err == nil && n != attempts*items {
		err = fmt.Errorf("%d item marks after marking %d attempts × %d items", n, attempts, items)
	}
	return err
}

func createDatabase(ctx context.Context, adminURL string) (string, func(), error) {
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", nil, err
	}
	admin, err := sql.Open("pgx", adminURL)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("clerkskill_markbench_%d", os.Getpid())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database %s: %w", name, err)
	}
	drop := func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			fmt.Fprintln(os.Stderr, "drop database:", err)
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
