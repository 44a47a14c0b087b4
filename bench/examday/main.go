// Command examday measures exam day on PostgreSQL: N candidates start one exam part
// together, autosave answers and submit, through the session store (the code behind the
// /api/v1/attempts routes, without HTTP). Each step is printed next to the same number of
// raw single-row upserts through the driver, with the same concurrency, in the same run
// (house style rule 15). Usage:
//
//	go run ./bench/examday -pg 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable'
//
// It creates database clerkskill_examday_<pid> and drops it afterwards.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"sort"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"clerkskill/app/db"
)

type options struct {
	pg                       string
	candidates, saves, items int
	think                    time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.pg, "pg", "", "PostgreSQL server URL (required); a database is created and dropped on it")
	flag.IntVar(&o.candidates, "candidates", 1000, "candidates starting together")
	flag.IntVar(&o.saves, "saves", 10, "autosaves per candidate")
	flag.IntVar(&o.items, "items", 50, "questions per paper")
	flag.DurationVar(&o.think, "think", 0, "pause between one candidate's saves (0: back to back, a stress test)")
	flag.Parse()
	if !db.IsPostgresDSN(o.pg) || o.candidates < 1 || o.items < 2 {
		fmt.Fprintln(os.Stderr, "usage: examday -pg postgres://… [-candidates N] [-saves N] [-items N] [-think D]")
		os.Exit(2)
	}
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "bench examday:", err)
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
	t0 := time.Now()
	w, err := setup(ctx, d, o)
	if err != nil {
		return err
	}
	fmt.Printf("setup: %d candidates, a %d-question paper, in %.1f s; pool of %d connections\n",
		o.candidates, o.items, time.Since(t0).Seconds(), d.DB.Stats().MaxOpenConnections)
	if err := w.measure(ctx, o); err != nil {
		return err
	}
	fmt.Printf("load average at the end: %s\n", loadAvg())
	return w.check(ctx, o)
}

// timings are the latencies of one step's operations and the step's wall time.
type timings struct {
	lat  []time.Duration
	wall time.Duration
}

// fanOut runs per(i) for each of n workers at once, each worker doing k operations in a
// row, and times every operation.
func fanOut(n, k int, think time.Duration, op func(i, j int) error) (timings, error) {
	lat := make([]time.Duration, n*k)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-gate
			for j := range k {
				if j > 0 && think > 0 {
					time.Sleep(think)
				}
				t := time.Now()
				if err := op(i, j); err != nil {
					errs <- err
					return
				}
				lat[i*k+j] = time.Since(t)
			}
		})
	}
	start := time.Now()
	close(gate)
	wg.Wait()
	wall := time.Since(start)
	select {
	case err := <-errs:
		return timings{}, err
	default:
	}
	return timings{lat: lat, wall: wall}, nil
}

func (t timings) pct(p float64) time.Duration {
	s := append([]time.Duration(nil), t.lat...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

func (t timings) rate() float64 { return float64(len(t.lat)) / t.wall.Seconds() }

func report(step string, got, raw timings) {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Printf("%-9s %6d ops  p50 %7.1f ms (raw %6.1f, ×%5.1f)  p99 %7.1f ms (raw %6.1f, ×%5.1f)  %7.0f ops/s (raw %7.0f, %.2f of raw)\n",
		step, len(got.lat), ms(got.pct(0.5)), ms(raw.pct(0.5)), ms(got.pct(0.5))/ms(raw.pct(0.5)),
		ms(got.pct(0.99)), ms(raw.pct(0.99)), ms(got.pct(0.99))/ms(raw.pct(0.99)), got.rate(), raw.rate(), got.rate()/raw.rate())
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
	name := fmt.Sprintf("clerkskill_examday_%d", os.Getpid())
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
