package rbac

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
)

// Limit is a fixed-window rate limit: in each Window (aligned to the clock: a minute window
// runs from :00 to :00), at most PerKey hits per client key and, when Overall is set, at most
// Overall hits from all keys together.
type Limit struct {
	Name    string        // names the limit's buckets; unique among limits
	Window  time.Duration // at most MaxLimitWindow
	PerKey  int
	Overall int    // 0: no overall cap
	Message string // the refusal shown to the client (zh-CN)
}

// MaxLimitWindow is the longest window a Limit may have: the janitor deletes windows that
// started longer ago than this (PruneExpired).
const MaxLimitWindow = 24 * time.Hour

// Limiter counts hits against a Limit in the rate_windows table, so that every instance
// serving one database counts together, on the clock the stores are given.
type Limiter struct {
	db    bun.IDB
	now   func() time.Time
	limit Limit
}

// NewLimiter returns a limiter over d. It panics on a limit that cannot work (a programming
// error, found when the handlers are built).
func NewLimiter(d bun.IDB, now func() time.Time, l Limit) *Limiter {
	if l.Name == "" || l.Window <= 0 || l.Window > MaxLimitWindow || l.PerKey < 1 || l.Overall < 0 {
		panic(fmt.Sprintf("rbac: bad limit %+v", l))
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{db: d, now: now, limit: l}
}

// Allow counts one hit by key in one statement and returns a throttled error (with
// RetryAfter: the seconds left of the window) when the hit goes over either limit. A refused
// hit is struck out again, so knocking on after the limit uses up nobody's budget: one
// address cannot spend the overall cap that the others share. (Until it is struck out, a
// refused hit may tip a concurrent one near the cap into refusal too: that errs on the safe
// side and never lets more through than the limit.)
func (l *Limiter) Allow(ctx context.Context, key string) error {
	now := l.now().UTC()
	start := now.Truncate(l.limit.Window)
	buckets := l.buckets(key)
	counts, err := l.add(ctx, start, buckets, 1)
	if err != nil {
		return err
	}
	if counts[buckets[0]] <= l.limit.PerKey && (l.limit.Overall == 0 || counts[l.limit.Name] <= l.limit.Overall) {
		return nil
	}
	if _, err := l.add(context.WithoutCancel(ctx), start, buckets, -1); err != nil {
		return err
	}
	e := web.Errorf(web.ETHROTTLED, "%s", l.limit.Message)
	e.RetryAfter = max(1, int((start.Add(l.limit.Window).Sub(now)+time.Second-1)/time.Second))
	return e
}

// buckets are the key's bucket and, with an overall cap, the limit's own.
func (l *Limiter) buckets(key string) []string {
	b := []string{l.limit.Name + ":" + truncate(key, 100)}
	if l.limit.Overall > 0 {
		b = append(b, l.limit.Name)
	}
	return b
}

// add adds delta to each bucket's count in the window starting at start and returns the
// new counts. The upsert is atomic on both stores, so concurrent hits each see their own
// count; hits and take-backs both lock the rows in the order of buckets, so on PostgreSQL
// two of them never wait for each other in a cycle.
func (l *Limiter) add(ctx context.Context, start time.Time, buckets []string, delta int) (map[string]int, error) {
	q, args := "INSERT INTO rate_windows (bucket, window_start, count) VALUES (?, ?, ?)", []any{buckets[0], start, delta}
	for _, b := range buckets[1:] {
		q, args = q+", (?, ?, ?)", append(args, b, start, delta)
	}
	var rows []struct {
		Bucket string `bun:"bucket"`
		Count  int    `bun:"count"`
	}
	err := l.db.NewRaw(q+` ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_windows.count + excluded.count
		RETURNING bucket, count`, args...).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("count %s: %w", l.limit.Name, err)
	}
	counts := make(map[string]int, len(rows))
	for _, r := range rows {
		counts[r.Bucket] = r.Count
	}
	return counts, nil
}

// pruneRateWindows deletes the windows of every limit that have ended.
func (s *Store) pruneRateWindows(ctx context.Context, now time.Time) error {
	_, err := s.db.NewRaw("DELETE FROM rate_windows WHERE window_start < ?", now.Add(-MaxLimitWindow)).Exec(ctx)
	return err
}
