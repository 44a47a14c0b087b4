// Command lesson measures lesson-page throughput: a clerk's GET /learn/lessons/:id through
// the real server (session, guard, store queries, Markdown rendering, template), against
// Fiber serving a static file of the same bytes in the same run (house style rule 15).
//
//	go run ./bench/lesson [-pg URL] [-duration 10s] [-rounds 3] [-conc 32] [-cpuprofile FILE]
//
// Load comes from wrk when it is installed (apt-get install -y wrk), else from a Go load
// generator. Traffic goes only to 127.0.0.1; the database is a temp SQLite file or a
// throwaway PostgreSQL database, dropped afterwards.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"sort"
	"time"
)

type options struct {
	pg       string
	duration time.Duration
	rounds   int
	conc     int
	threads  int
	goLoad   bool
	profile  string
}

func main() {
	var o options
	flag.StringVar(&o.pg, "pg", "", "postgres:// URL of a server to create a throwaway database on (default: SQLite in a temp dir)")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "load time per measurement")
	flag.IntVar(&o.rounds, "rounds", 3, "interleaved rounds (lesson page, static file, …)")
	flag.IntVar(&o.conc, "conc", 32, "concurrent connections")
	flag.IntVar(&o.threads, "threads", 2, "wrk threads")
	flag.BoolVar(&o.goLoad, "go", false, "use the Go load generator even when wrk is installed")
	flag.StringVar(&o.profile, "cpuprofile", "", "write a CPU profile of the lesson-page runs to this file (with wrk: the server alone)")
	flag.Parse()
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "bench/lesson:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	env, err := setup(ctx, o.pg)
	if err != nil {
		return err
	}
	defer env.close()
	load := goLoad
	tool := "Go load generator"
	if _, err := exec.LookPath("wrk"); err == nil && !o.goLoad {
		load, tool = wrkLoad, "wrk"
	}
	fmt.Printf("lesson page: %s (%d bytes, %s), static copy: %s\n", env.lessonURL, env.size, env.store, env.staticURL)
	fmt.Printf("load: %s, %d connections, %s per run, %d rounds, GOMAXPROCS %d\n", tool, o.conc, o.duration, o.rounds, runtime.GOMAXPROCS(0))
	var page, static []result
	for i := 0; i < o.rounds; i++ {
		r, err := profiled(o.profile, func() (result, error) { return load(o, env.lessonURL, env.cookie) })
		if err != nil {
			return err
		}
		page = append(page, r)
		if r, err = load(o, env.staticURL, ""); err != nil {
			return err
		}
		static = append(static, r)
		fmt.Printf("round %d: lesson %.0f req/s (p50 %s, p99 %s, errors %d); static %.0f req/s (p50 %s, p99 %s)\n",
			i+1, page[i].rps, page[i].p50, page[i].p99, page[i].errors, static[i].rps, static[i].p50, static[i].p99)
	}
	pm, sm := median(page), median(static)
	fmt.Printf("median: lesson page %.0f req/s, static file %.0f req/s, lesson/static = %.3f (%.1f%% of the ceiling)\n",
		pm, sm, pm/sm, 100*pm/sm)
	return nil
}

// profiled runs fn under the CPU profiler when file is set; each round overwrites the
// profile, so the file holds the last lesson-page run.
func profiled(file string, fn func() (result, error)) (result, error) {
	if file == "" {
		return fn()
	}
	f, err := os.Create(file)
	if err != nil {
		return result{}, err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return result{}, err
	}
	defer pprof.StopCPUProfile()
	return fn()
}

// result is one load run.
type result struct {
	rps      float64
	p50, p99 time.Duration
	errors   int
}

func median(rs []result) float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = r.rps
	}
	sort.Float64s(v)
	return v[len(v)/2]
}
