package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// window is the timeline's resolution.
const window = 5 * time.Second

// timeline prints, per window of the run, how many operations of each step took longer
// than slowOver and the longest, then what the database backends were waiting on in
// those windows: it tells stalls (everything slow at once) from a steady tail.
func timeline(r *result, waits *waitSampler) {
	slow := map[int][3][]time.Duration{}
	for k, s := range r.steps {
		for _, op := range s.slow {
			w := slow[int(op.at/window)]
			w[k] = append(w[k], op.took)
			slow[int(op.at/window)] = w
		}
	}
	if len(slow) == 0 {
		fmt.Printf("%s: no operation over %s\n", r.name, slowOver)
		return
	}
	fmt.Printf("%s: operations over %s by %s window (count, longest), and database waits sampled then\n", r.name, slowOver, window)
	for _, w := range sortedKeys(slow) {
		fmt.Printf("  %4d–%-4d s", w*int(window.Seconds()), (w+1)*int(window.Seconds()))
		for k, lat := range slow[w] {
			fmt.Printf("  %s %4d (%4.0f ms)", stepNames[k], len(lat), ms(longest(lat)))
		}
		fmt.Printf("  %s\n", waits.top(w, 3))
	}
}

func sortedKeys[V any](m map[int]V) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}

func longest(l []time.Duration) time.Duration {
	var m time.Duration
	for _, d := range l {
		m = max(m, d)
	}
	return m
}

// waitSampler counts, every 50 ms, what each active backend of the bench database is
// doing (its wait event, or CPU when it waits on nothing), per timeline window.
type waitSampler struct {
	mu     sync.Mutex
	counts map[int]map[string]int
	stop   func()
	done   chan struct{}
}

func sampleWaits(ctx context.Context, d *bun.DB, origin time.Time) *waitSampler {
	ctx, cancel := context.WithCancel(ctx)
	w := &waitSampler{counts: map[int]map[string]int{}, stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				w.sample(ctx, d, int(now.Sub(origin)/window))
			}
		}
	}()
	return w
}

func (w *waitSampler) sample(ctx context.Context, d *bun.DB, at int) {
	var events []string
	err := d.NewRaw(`SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') FROM pg_stat_activity
		WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`).Scan(ctx, &events)
	if err != nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.counts[at] == nil {
		w.counts[at] = map[string]int{}
	}
	for _, e := range events {
		w.counts[at][e]++
	}
}

// top names the n commonest waits of one window.
func (w *waitSampler) top(at, n int) string {
	if w == nil {
		return ""
	}
	w.stop()
	<-w.done
	c := w.counts[at]
	names := make([]string, 0, len(c))
	for e := range c {
		names = append(names, e)
	}
	sort.Slice(names, func(i, j int) bool { return c[names[i]] > c[names[j]] })
	var out []string
	for _, e := range names[:min(n, len(names))] {
		out = append(out, fmt.Sprintf("%s×%d", e, c[e]))
	}
	return "waits: " + strings.Join(out, " ")
}
