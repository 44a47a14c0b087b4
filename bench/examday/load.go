package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// The three steps of a candidate's exam.
const (
	stepStart = iota
	stepSave
	stepSubmit
)

var stepNames = [3]string{"start", "autosave", "submit"}

// plan is the exam-day shape: arrivals spread over ramp, think (± jitter) before every
// save and before the submit. With no think time the steps run one after another for
// everyone (a barrier between them), as a stress test.
type plan struct {
	n, saves int
	ramp     time.Duration
	think    time.Duration
	jitter   float64
	cpu      func() float64 // CPU seconds used so far by the bench process and its database backends
	wal      func() walMark // WAL written and transactions committed so far, server-wide
}

func (p plan) barrier() bool { return p.think == 0 }

// arrival is when candidate i opens the paper, evenly spread over the ramp.
func (p plan) arrival(i int) time.Duration { return p.ramp * time.Duration(i) / time.Duration(p.n) }

// pause is one think time; the same candidate gets the same sequence in every run.
func (p plan) pause(rng *rand.Rand) time.Duration {
	return time.Duration(float64(p.think) * (1 + p.jitter*(2*rng.Float64()-1)))
}

// stepStats are one step's latencies (successful operations), errors and span.
type stepStats struct {
	mu       sync.Mutex
	lat      []time.Duration
	origin   time.Time // when the run began: slow operations are placed from here
	slow     []slowOp  // operations over slowOver, for the timeline
	errs     int
	firstErr string
	t0, t1   time.Time
}

// slowOver is the latency from which an operation is put on the timeline.
const slowOver = 100 * time.Millisecond

// slowOp is one slow operation: when it began and how long it took.
type slowOp struct {
	at, took time.Duration
}

func (s *stepStats) record(begin time.Time, err error) {
	end := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.t0.IsZero() || begin.Before(s.t0) {
		s.t0 = begin
	}
	if end.After(s.t1) {
		s.t1 = end
	}
	if err != nil {
		if s.errs++; s.firstErr == "" {
			s.firstErr = err.Error()
		}
		return
	}
	s.lat = append(s.lat, end.Sub(begin))
	if took := end.Sub(begin); took >= slowOver {
		s.slow = append(s.slow, slowOp{at: begin.Sub(s.origin), took: took})
	}
}

func (s *stepStats) pct(p float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	l := append([]time.Duration(nil), s.lat...)
	sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
	return l[min(len(l)-1, int(p*float64(len(l))))]
}

func (s *stepStats) rate() float64 {
	if s.t1.Sub(s.t0) <= 0 {
		return 0
	}
	return float64(len(s.lat)) / s.t1.Sub(s.t0).Seconds()
}

// result is one target's run.
type result struct {
	name  string
	steps [3]*stepStats
	wall  time.Duration
	load  [2]string
	cpu   float64    // CPU seconds the run used, bench process and database backends
	step  [3]float64 // the same per step, when a barrier keeps the steps apart
	wal   walMark    // WAL bytes written and transactions committed during the run
}

// run plays the whole exam against t: every candidate arrives, starts, saves and submits.
func (p plan) run(ctx context.Context, t target) *result {
	r := &result{name: t.Name(), load: [2]string{loadAvg(), ""}}
	cpu0, wal0, begin := p.cpu(), p.wal(), time.Now()
	for i := range r.steps {
		r.steps[i] = &stepStats{origin: begin}
	}
	var bars [3]sync.WaitGroup
	for i := range bars {
		bars[i].Add(p.n)
	}
	var wg, marks sync.WaitGroup
	at := [3]float64{cpu0}
	if p.barrier() {
		marks.Go(func() {
			bars[stepStart].Wait()
			at[1] = p.cpu()
			bars[stepSave].Wait()
			at[2] = p.cpu()
		})
	}
	for i := range p.n {
		wg.Go(func() { p.candidate(ctx, t, i, begin, r, &bars) })
	}
	wg.Wait()
	marks.Wait()
	r.wall, r.load[1], r.cpu = time.Since(begin), loadAvg(), p.cpu()-cpu0
	r.wal = p.wal().minus(wal0)
	if p.barrier() {
		r.step = [3]float64{at[1] - at[0], at[2] - at[1], cpu0 + r.cpu - at[2]}
	}
	return r
}

// candidate is one person's exam. A failed start ends it (nothing to save into); a failed
// save is counted and the next one tried, as the page retries later.
func (p plan) candidate(ctx context.Context, t target, i int, begin time.Time, r *result, bars *[3]sync.WaitGroup) {
	rng := rand.New(rand.NewPCG(uint64(i), 2026))
	time.Sleep(time.Until(begin.Add(p.arrival(i))))
	ok := timed(r.steps[stepStart], func() error { return t.Start(ctx, i) })
	p.sync(&bars[stepStart])
	for j := range p.saves {
		if !ok {
			break
		}
		time.Sleep(p.pause(rng))
		timed(r.steps[stepSave], func() error { return t.Save(ctx, i, j) })
	}
	p.sync(&bars[stepSave])
	if ok {
		time.Sleep(p.pause(rng))
		timed(r.steps[stepSubmit], func() error { return t.Submit(ctx, i) })
	}
}

func (p plan) sync(b *sync.WaitGroup) {
	b.Done()
	if p.barrier() {
		b.Wait()
	}
}

func timed(s *stepStats, op func() error) bool {
	begin := time.Now()
	err := op()
	s.record(begin, err)
	return err == nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// report prints each target's steps, then the server's ratios to both ceilings.
func report(results []*result) {
	for _, r := range results {
		ops := 0
		for _, s := range r.steps {
			ops += len(s.lat)
		}
		fmt.Printf("%-7s wall %6.1f s, load average %s → %s, CPU %.1f s (%.2f ms per operation)\n",
			r.name, r.wall.Seconds(), r.load[0], r.load[1], r.cpu, 1000*r.cpu/float64(max(ops, 1)))
		fmt.Printf("        WAL %.1f MB (%.1f KB per operation), %.2f commits per operation\n",
			float64(r.wal.bytes)/1e6, float64(r.wal.bytes)/1e3/float64(max(ops, 1)), float64(r.wal.commits)/float64(max(ops, 1)))
		for k, s := range r.steps {
			fmt.Printf("  %-8s %6d ops %4d errors  p50 %8.1f ms  p99 %8.1f ms  %7.0f ops/s",
				stepNames[k], len(s.lat), s.errs, ms(s.pct(0.5)), ms(s.pct(0.99)), s.rate())
			if r.step[k] > 0 {
				fmt.Printf("  CPU %.2f ms/op", 1000*r.step[k]/float64(max(len(s.lat), 1)))
			}
			fmt.Println()
			if s.firstErr != "" {
				fmt.Printf("           first error: %.300s\n", s.firstErr)
			}
		}
	}
	srv := results[len(results)-1]
	for _, ceil := range results[:len(results)-1] {
		fmt.Printf("server / %s: CPU per operation ×%.1f, WAL per operation ×%.1f\n", ceil.name, srv.cpu/ceil.cpu,
			float64(srv.wal.bytes)/float64(max(ceil.wal.bytes, 1)))
		for k, s := range srv.steps {
			c := ceil.steps[k]
			fmt.Printf("  %-8s p50 ×%5.1f  p99 ×%5.1f  throughput %.2f of the ceiling\n",
				stepNames[k], ms(s.pct(0.5))/ms(c.pct(0.5)), ms(s.pct(0.99))/ms(c.pct(0.99)), s.rate()/c.rate())
		}
	}
}

// cpuOf returns the CPU seconds used so far by this process and by the PostgreSQL
// backends connected to the bench database (pool connections stay open for the run, so
// none of their time is lost; the server's shared background processes are not counted).
func cpuOf(ctx context.Context, d *bun.DB) func() float64 {
	return func() float64 {
		total := procCPU("self")
		var pids []int
		_ = d.NewRaw("SELECT pid FROM pg_stat_activity WHERE datname = current_database()").Scan(ctx, &pids)
		for _, pid := range pids {
			total += procCPU(strconv.Itoa(pid))
		}
		return total
	}
}

// walMark is where the server's WAL and commit counters stood. Every target writes the
// same number of operations, so their differences compare per operation. Commit counts
// come from the statistics collector, which lags by up to a second: the bench database's
// own commits, read after a pause.
type walMark struct{ bytes, commits int64 }

func (m walMark) minus(o walMark) walMark { return walMark{m.bytes - o.bytes, m.commits - o.commits} }

func walOf(ctx context.Context, d *bun.DB) func() walMark {
	return func() walMark {
		time.Sleep(1100 * time.Millisecond)
		var m walMark
		_ = d.NewRaw(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint,
			(SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())`).Scan(ctx, &m.bytes, &m.commits)
		return m
	}
}

// procCPU is user + system time of a process from /proc (clock ticks of 1/100 s).
func procCPU(pid string) float64 {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	i := strings.LastIndexByte(string(b), ')')
	if err != nil || i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100
}
