// Command examday measures exam day on PostgreSQL through the real HTTP server:
// N candidates, each signed in with their own bearer token, arrive over a ramp, start one
// exam part, autosave answers with think time between saves, and submit, against
// app.NewServer with every middleware on a loopback listener. The same exam shape
// (same arrivals, same think times, same client) is first played against two ceilings in
// the same run: one raw single-row upsert through the driver per operation, and a bare
// Fiber handler doing that upsert over HTTP. Usage:
//
//	go run ./bench/examday -pg 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable'
//	go run ./bench/examday -pg … -ramp 0 -think 0     # stress: everyone at once, back to back
//
// It creates database clerkskill_examday_<pid> and drops it afterwards.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"clerkskill/app"
	"clerkskill/app/db"
)

type options struct {
	pg, cpuprofile                 string
	candidates, saves, items, pool int
	ramp, think                    time.Duration
	jitter                         float64
	noCeilings                     bool
}

func main() {
	var o options
	flag.StringVar(&o.pg, "pg", "", "PostgreSQL server URL (required); a database is created and dropped on it")
	flag.IntVar(&o.candidates, "candidates", 2000, "candidates sitting the exam")
	flag.IntVar(&o.saves, "saves", 10, "autosaves per candidate")
	flag.IntVar(&o.items, "items", 50, "questions per paper")
	flag.DurationVar(&o.ramp, "ramp", 60*time.Second, "arrivals spread evenly over this long (0: all at once)")
	flag.DurationVar(&o.think, "think", 5*time.Second, "think time before each save and the submit (0: back to back, a stress test)")
	flag.Float64Var(&o.jitter, "jitter", 0.5, "think time varies by ± this fraction")
	flag.IntVar(&o.pool, "pool", 0, "database pool size (0: what app/db opens)")
	flag.BoolVar(&o.noCeilings, "no-ceilings", false, "play only the server, to look into its timeline (no ratios)")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the server run to this file")
	flag.Parse()
	if !db.IsPostgresDSN(o.pg) || o.candidates < 1 || o.items < 2 || o.saves < 1 {
		fmt.Fprintln(os.Stderr, "usage: examday -pg postgres://… [-candidates N] [-saves N] [-items N] [-ramp D] [-think D] [-jitter F] [-pool N] [-cpuprofile F]")
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
	if o.pool > 0 {
		d.DB.SetMaxOpenConns(o.pool)
	}
	d.DB.SetMaxIdleConns(d.DB.Stats().MaxOpenConnections) // connections (and their CPU counters) live through a run
	if _, err := db.Migrate(ctx, d); err != nil {
		return err
	}
	fmt.Printf("date: %s\nmachine: %d CPU, %s, %s/%s\nload average at the start: %s\n",
		time.Now().UTC().Format(time.RFC3339), runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH, loadAvg())
	cfg := app.Config{BodyLimitMB: 20, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second,
		SessionIdle: 30 * time.Minute, SessionAbsolute: 12 * time.Hour}
	srv, err := app.NewServer(ctx, cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		return err
	}
	t0 := time.Now()
	w, err := setup(ctx, srv, o)
	if err != nil {
		return err
	}
	return exam(ctx, w, o, t0)
}

// exam serves the app and the bare ceiling, signs everyone in, plays the exam against
// the driver, the bare handler and the server in turn, reports and checks.
func exam(ctx context.Context, w *world, o options, t0 time.Time) error {
	base, stop, err := serve(ctx, w.srv)
	if err != nil {
		return err
	}
	defer stop()
	bare, stopBare, err := serveBare(w.srv.DB)
	if err != nil {
		return err
	}
	defer stopBare()
	c := newClient(o.candidates)
	st := &serverTarget{c: c, url: base, w: w, items: o.items}
	if err := st.login(ctx); err != nil {
		return fmt.Errorf("login: %w", err)
	}
	fmt.Printf("setup: %d candidates signed in, a %d-question paper, in %.1f s; pool of %d connections\n",
		o.candidates, o.items, time.Since(t0).Seconds(), w.srv.DB.DB.Stats().MaxOpenConnections)
	p := plan{n: o.candidates, saves: o.saves, ramp: o.ramp, think: o.think, jitter: o.jitter, cpu: cpuOf(ctx, w.srv.DB),
		wal: walOf(ctx, w.srv.DB)}
	fmt.Printf("shape: arrivals over %s, think %s ± %.0f%%, %d saves each, barrier between steps: %v\n",
		o.ramp, o.think, o.jitter*100, o.saves, p.barrier())
	per := int64(o.saves + 2)
	var results []*result
	if !o.noCeilings {
		results = append(results, p.run(ctx, &driverTarget{d: w.srv.DB, k: keys{0, per}, saves: o.saves}),
			p.run(ctx, &fiberTarget{c: c, url: bare, k: keys{int64(o.candidates) * per, per}, saves: o.saves}))
	}
	waits := sampleWaits(ctx, w.srv.DB, time.Now())
	if err := profile(o.cpuprofile, func() { results = append(results, p.run(ctx, st)) }); err != nil {
		return err
	}
	report(results)
	timeline(results[len(results)-1], waits)
	fmt.Printf("load average at the end: %s\n", loadAvg())
	return w.check(ctx, st)
}

// serve runs the whole server (middleware, routes, background loops) on a loopback port.
func serve(ctx context.Context, srv *app.Server) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(ctx, ln) }()
	return "http://" + ln.Addr().String(), func() { cancel(); <-done }, nil
}

func profile(path string, fn func()) error {
	if path == "" {
		fn()
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	fn()
	pprof.StopCPUProfile()
	return nil
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
