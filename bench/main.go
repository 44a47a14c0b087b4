// Command bench measures what issue 2 asks to be measured: the cost of the access check
// with 100k staff and 10k org units, login latency at 20 concurrent logins, and memory at
// idle. Every figure is printed next to a ceiling measured in the same run.
//
//	go run ./bench [-pg URL] [-staff 100000] [-orgs 10000] [-duration 10s] [access|login|idle|all]
//
// Traffic goes only to 127.0.0.1; every loop has a count or a time limit.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"time"
)

type options struct {
	pg          string
	staff, orgs int
	duration    time.Duration
	conc        int
	rounds      int
	logins      int
	loginRounds int
	idleWait    time.Duration
	cpuprofile  string
	bin         string
	rev         string
	what        string
}

func parseOptions() options {
	var o options
	flag.StringVar(&o.pg, "pg", "", "postgres:// URL of a server to create a throwaway database on (default: SQLite in a temp dir)")
	flag.IntVar(&o.staff, "staff", 100000, "staff members (each with an account and a trainee grant)")
	flag.IntVar(&o.orgs, "orgs", 10000, "org units (province → cities → counties → townships → villages), at least 200")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "load time per HTTP scenario, split over -rounds")
	flag.IntVar(&o.conc, "conc", 8, "concurrent HTTP clients for the access-check load")
	flag.IntVar(&o.rounds, "rounds", 3, "interleaved rounds per HTTP comparison (guarded, bare, guarded, …)")
	flag.IntVar(&o.logins, "logins", 20, "concurrent logins")
	flag.IntVar(&o.loginRounds, "login-rounds", 10, "logins per concurrent client")
	flag.DurationVar(&o.idleWait, "idle-wait", 5*time.Second, "how long the idle server sits before memory is read")
	flag.StringVar(&o.bin, "bin", "", "clerkskill binary for the idle measurements (default: build one to bench/out/ at start)")
	flag.StringVar(&o.rev, "rev", "", "the commit these programs were built from, for the report (default: git HEAD now)")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of extra guarded show-route load to this file")
	flag.Parse()
	o.what = "all"
	if flag.NArg() > 0 {
		o.what = flag.Arg(0)
	}
	return o
}

func main() {
	o := parseOptions()
	if !slices.Contains([]string{"all", "access", "login", "idle"}, o.what) || o.orgs < 200 || o.staff < 100 {
		fmt.Fprintln(os.Stderr, "usage: bench [flags] [access|login|idle|all]; -orgs ≥ 200, -staff ≥ 100")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r := newReport()
	err := run(ctx, o, r)
	r.note("load average at the end: %s", loadAvg())
	r.print(os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		stop()
		os.Exit(1)
	}
}

func run(ctx context.Context, o options, r *report) error {
	r.header(o)
	if o.bin == "" && (o.what == "all" || o.what == "idle") {
		bin, err := buildBinary(ctx) // now, so it is built from the same source as this program
		if err != nil {
			return err
		}
		o.bin = bin
	}
	if o.what == "idle" {
		return measureIdleDemo(ctx, o, r)
	}
	ds, err := openDataset(ctx, o)
	if err != nil {
		return err
	}
	defer ds.close()
	if err := ds.fill(ctx, o, r); err != nil {
		return err
	}
	return runOnDataset(ctx, o, r, ds)
}

func runOnDataset(ctx context.Context, o options, r *report, ds *dataset) error {
	if o.what == "all" || o.what == "access" {
		if err := measureAccess(ctx, o, r, ds); err != nil {
			return fmt.Errorf("access: %w", err)
		}
	}
	if o.what == "all" || o.what == "login" {
		if err := measureLogin(ctx, o, r, ds); err != nil {
			return fmt.Errorf("login: %w", err)
		}
	}
	if o.what != "all" {
		return nil
	}
	if err := measureIdleDataset(ctx, o, r, ds); err != nil {
		return err
	}
	if o.pg != "" {
		return nil // the demo's idle memory is a SQLite figure; measured once, in the SQLite run
	}
	return measureIdleDemo(ctx, o, r)
}
