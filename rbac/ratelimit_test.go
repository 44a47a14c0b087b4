package rbac_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/rbac"
)

// limitClock is a clock tests move by hand, shared by the limiters of one test.
type limitClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *limitClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *limitClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// halfPast is 12:00:30 UTC, so a minute window has 30 seconds left.
func halfPast() *limitClock { return &limitClock{t: time.Date(2026, 12, 2, 12, 0, 30, 0, time.UTC)} }

// twoPools opens a fresh migrated database of the dialect twice, as two instances would.
func twoPools(t *testing.T, dialect string) (*bun.DB, *bun.DB) {
	t.Helper()
	dsn, ctx := dbtest.DSN(t, dialect), context.Background()
	var pools [2]*bun.DB
	for i := range pools {
		d, err := db.Open(ctx, dsn, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = d.Close() })
		if _, err := db.Migrate(ctx, d); err != nil {
			t.Fatal(err)
		}
		pools[i] = d
	}
	return pools[0], pools[1]
}

func testLimit(perKey, overall int) rbac.Limit {
	return rbac.Limit{Name: "test", Window: time.Minute, PerKey: perKey, Overall: overall, Message: "查询过于频繁，请一分钟后再试"}
}

// hits sends n hits by key and returns how many were allowed; any error other than a
// refusal fails the test (also from another goroutine).
func hits(t *testing.T, l *rbac.Limiter, key string, n int) int {
	t.Helper()
	ok := 0
	for range n {
		switch err := l.Allow(context.Background(), key); web.ErrorCode(err) {
		case "":
			ok++
		case web.ETHROTTLED:
		default:
			t.Errorf("hit %s: %v", key, err)
		}
	}
	return ok
}

func TestLimiterPerKey(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		l := rbac.NewLimiter(d, halfPast().Now, testLimit(3, 100))
		if got := hits(t, l, "203.0.113.5", 3); got != 3 {
			t.Fatalf("%d of the first 3 allowed", got)
		}
		err := l.Allow(context.Background(), "203.0.113.5")
		var e *web.Error
		if web.ErrorCode(err) != web.ETHROTTLED || !errors.As(err, &e) || e.Message != "查询过于频繁，请一分钟后再试" || e.RetryAfter != 30 {
			t.Fatalf("4th hit: %#v, want throttled with 30 s left of the minute", err)
		}
		if got := hits(t, l, "2001:db8::1", 3); got != 3 {
			t.Errorf("another address: %d of 3 allowed", got)
		}
	})
}

// TestLimiterOverall: all keys together stop at the cap, and one key knocking on after its
// own limit spends none of it.
func TestLimiterOverall(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		l := rbac.NewLimiter(d, halfPast().Now, testLimit(2, 5))
		if got := hits(t, l, "a", 50); got != 2 {
			t.Fatalf("key a: %d allowed, want 2", got)
		}
		for _, k := range []string{"b", "c", "d"} {
			if got := hits(t, l, k, 1); got != 1 {
				t.Fatalf("key %s refused below the cap (a's refused hits were counted?)", k)
			}
		}
		if got := hits(t, l, "e", 1); got != 0 {
			t.Fatal("the 6th lookup overall was allowed (cap 5)")
		}
	})
}

func TestLimiterWindowRollsOver(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		clock := halfPast()
		l := rbac.NewLimiter(d, clock.Now, testLimit(2, 10))
		if got := hits(t, l, "a", 3); got != 2 {
			t.Fatalf("%d allowed, want 2", got)
		}
		clock.Advance(29*time.Second + 500*time.Millisecond)
		var e *web.Error
		if err := l.Allow(context.Background(), "a"); !errors.As(err, &e) || e.RetryAfter != 1 {
			t.Fatalf("half a second before the minute ends: %v, want throttled, retry after 1 s", err)
		}
		clock.Advance(500 * time.Millisecond)
		if got := hits(t, l, "a", 3); got != 2 {
			t.Fatalf("next minute: %d allowed, want 2 again", got)
		}
	})
}

// TestLimitersShareOneDatabase is the scale-out case: two instances, each with its own pool
// and limiter, hit in turn and together allow the limit once.
func TestLimitersShareOneDatabase(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			clock := halfPast()
			da, dbb := twoPools(t, dialect)
			a, b := rbac.NewLimiter(da, clock.Now, testLimit(5, 100)), rbac.NewLimiter(dbb, clock.Now, testLimit(5, 100))
			ok := 0
			for i := range 10 {
				ok += hits(t, []*rbac.Limiter{a, b}[i%2], "203.0.113.5", 1)
			}
			if ok != 5 {
				t.Fatalf("A and B in turn allowed %d, want 5 together", ok)
			}
		})
	}
}

// TestLimiterConcurrentHits: many hits at once over two pools allow exactly the limit,
// first all by one key, then by as many keys against the overall cap, and leave the counts
// at what was allowed (refused hits are struck out).
func TestLimiterConcurrentHits(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			clock := halfPast()
			da, dbb := twoPools(t, dialect)
			ls := []*rbac.Limiter{rbac.NewLimiter(da, clock.Now, testLimit(10, 25)), rbac.NewLimiter(dbb, clock.Now, testLimit(10, 25))}
			if got := burst(t, ls, func(int) string { return "same" }); got != 10 {
				t.Errorf("one key: %d allowed at once, want its limit 10", got)
			}
			if got := burst(t, ls, func(i int) string { return fmt.Sprintf("k%d", i) }); got != 15 {
				t.Errorf("40 keys: %d allowed at once, want the 15 left of the cap 25", got)
			}
			var left []int
			if err := da.NewRaw("SELECT count FROM rate_windows WHERE bucket IN ('test', 'test:same') ORDER BY bucket").Scan(context.Background(), &left); err != nil || fmt.Sprint(left) != "[25 10]" {
				t.Errorf("counts after the bursts: %v %v, want [25 10]", left, err)
			}
		})
	}
}

// burst sends 40 hits at once, alternating between the limiters, by key(i), and returns how
// many were allowed.
func burst(t *testing.T, ls []*rbac.Limiter, key func(i int) string) int {
	var ok atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 40 {
		wg.Go(func() {
			<-start
			ok.Add(int32(hits(t, ls[i%len(ls)], key(i), 1)))
		})
	}
	close(start)
	wg.Wait()
	return int(ok.Load())
}

func TestPruneExpiredDropsEndedWindows(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		clock := halfPast()
		s, err := rbac.NewStore(d, clock.Now)
		if err != nil {
			t.Fatal(err)
		}
		l := rbac.NewLimiter(d, clock.Now, testLimit(1, 0))
		hits(t, l, "old", 1)
		clock.Advance(rbac.MaxLimitWindow)
		hits(t, l, "new", 1)
		if err := s.PruneExpired(context.Background(), rbac.DefaultSessionPolicy); err != nil {
			t.Fatal(err)
		}
		var left []string
		if err := d.NewRaw("SELECT bucket FROM rate_windows").Scan(context.Background(), &left); err != nil || fmt.Sprint(left) != "[test:new]" {
			t.Fatalf("windows after pruning: %v %v, want only the current one", left, err)
		}
	})
}

// BenchmarkLimiterAllow measures one hit on each store: allowed (one upsert of two rows)
// and refused (the upsert and the take-back), next to a bare SELECT 1 on the same pool as
// the floor of any statement. Run: go test -run '^$' -bench LimiterAllow -benchtime 2000x ./rbac/
func BenchmarkLimiterAllow(b *testing.B) {
	for _, dialect := range dbtest.Dialects(b) {
		d, ctx := dbtest.New(b, dialect), context.Background()
		open := rbac.NewLimiter(d, time.Now, rbac.Limit{Name: "open", Window: time.Minute, PerKey: 1 << 30, Overall: 1 << 30, Message: "x"})
		shut := rbac.NewLimiter(d, time.Now, rbac.Limit{Name: "shut", Window: time.Minute, PerKey: 1, Overall: 1 << 30, Message: "x"})
		b.Run(dialect+"/select-1", func(b *testing.B) {
			for b.Loop() {
				if _, err := d.ExecContext(ctx, "SELECT 1"); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(dialect+"/allowed", func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				if err := open.Allow(ctx, fmt.Sprintf("10.0.%d.%d", i/250%250, i%250)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(dialect+"/refused", func(b *testing.B) {
			_ = shut.Allow(ctx, "203.0.113.5")
			for b.Loop() {
				if err := shut.Allow(ctx, "203.0.113.5"); web.ErrorCode(err) != web.ETHROTTLED {
					b.Fatal(err)
				}
			}
		})
	}
}
