package reports

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/exports"
)

var ctx = context.Background()

// clock is a test clock the stores share.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

// newUser adds an account row for reports to belong to.
func newUser(t *testing.T, d *bun.DB, name string) int64 {
	t.Helper()
	var id int64
	now := time.Now().UTC()
	err := d.NewRaw("INSERT INTO users (username, display_name, password_hash, created_at, updated_at) VALUES (?, ?, '', ?, ?) RETURNING id",
		name, name, now, now).Scan(ctx, &id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func writeBytes(b []byte) func(io.Writer) error {
	return func(w io.Writer) error { _, err := w.Write(b); return err }
}

func countReports(t *testing.T, d *bun.DB, where string, args ...any) int {
	t.Helper()
	n, err := d.NewSelect().Model((*Report)(nil)).Where(where, args...).Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// TestReportsAreSharedAndPrivate: a report put through one store comes back byte for byte
// through another over the same database (another instance), for its owner only.
func TestReportsAreSharedAndPrivate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		owner, other := newUser(t, d, "owner"), newUser(t, d, "other")
		a, b := NewStore(d, nil), NewStore(d, nil)
		want := []byte("PK\x03\x04 a workbook\x00\xff with every byte value")
		key, err := exports.PutReport(ctx, a, owner, writeBytes(want))
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(key) {
			t.Errorf("key %q is not 32 hex digits", key)
		}
		got, err := b.Get(ctx, owner, key)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("owner through the other store: %q, %v", got, err)
		}
		for name, try := range map[string]struct {
			user int64
			key  string
		}{"another user": {other, key}, "unknown key": {owner, "0123456789abcdef0123456789abcdef"}, "no key": {owner, ""}} {
			if got, err := b.Get(ctx, try.user, try.key); web.ErrorCode(err) != web.ENOTFOUND || got != nil {
				t.Errorf("%s: %d bytes, %v; want not found", name, len(got), err)
			}
		}
		if k2, _ := a.Put(ctx, owner, writeBytes(want)); k2 == key || k2 == "" {
			t.Errorf("second report got key %q (first %q)", k2, key)
		}
	})
}

// TestReportsExpireAndArePruned: past ReportTTL a report is not served even before the
// prune; the prune removes it and keeps younger ones.
func TestReportsExpireAndArePruned(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		owner := newUser(t, d, "owner")
		c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
		s := NewStore(d, c.Now)
		old, err := s.Put(ctx, owner, writeBytes([]byte("old")))
		if err != nil {
			t.Fatal(err)
		}
		c.t = c.t.Add(exports.ReportTTL - time.Minute)
		if _, err := s.Get(ctx, owner, old); err != nil {
			t.Fatalf("a report a minute before its expiry: %v", err)
		}
		young, err := s.Put(ctx, owner, writeBytes([]byte("young")))
		if err != nil {
			t.Fatal(err)
		}
		c.t = c.t.Add(time.Minute)
		if _, err := s.Get(ctx, owner, old); web.ErrorCode(err) != web.ENOTFOUND {
			t.Errorf("an expired report, not yet pruned: %v; want not found", err)
		}
		n, err := s.Prune(ctx)
		if err != nil || n != 1 {
			t.Fatalf("prune removed %d (%v), want the 1 expired", n, err)
		}
		if countReports(t, d, "id = ?", old) != 0 {
			t.Errorf("the expired report is still stored")
		}
		if got, err := s.Get(ctx, owner, young); err != nil || string(got) != "young" {
			t.Errorf("the younger report after the prune: %q, %v", got, err)
		}
	})
}

// TestOversizeReportsAreRefused: a report over MaxReportBytes is refused as too large and
// nothing is stored; PutReport turns that into no key, and a failing writer's error
// passes through.
func TestOversizeReportsAreRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		owner := newUser(t, d, "owner")
		s := NewStore(d, nil)
		big := writeBytes(make([]byte, exports.MaxReportBytes+1))
		if key, err := s.Put(ctx, owner, big); web.ErrorCode(err) != web.ETOOLARGE || key != "" {
			t.Errorf("oversize put: %q, %v; want too large", key, err)
		}
		if key, err := exports.PutReport(ctx, s, owner, big); err != nil || key != "" {
			t.Errorf("oversize PutReport: %q, %v; want no key and no error", key, err)
		}
		boom := errors.New("boom")
		if _, err := exports.PutReport(ctx, s, owner, func(io.Writer) error { return boom }); !errors.Is(err, boom) {
			t.Errorf("failing writer: %v", err)
		}
		if n := countReports(t, d, "TRUE"); n != 0 {
			t.Errorf("%d reports stored by refused puts", n)
		}
	})
}

// TestReportsPerOwnerAreBounded: one user's refused imports keep only the newest
// keepPerOwner reports; another user's are left alone.
func TestReportsPerOwnerAreBounded(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		owner, other := newUser(t, d, "owner"), newUser(t, d, "other")
		c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
		s := NewStore(d, c.Now)
		otherKey, _ := s.Put(ctx, other, writeBytes([]byte("x")))
		var keys []string
		for range keepPerOwner + 2 {
			c.t = c.t.Add(time.Second)
			k, err := s.Put(ctx, owner, writeBytes([]byte("r")))
			if err != nil {
				t.Fatal(err)
			}
			keys = append(keys, k)
		}
		if n := countReports(t, d, "user_id = ?", owner); n != keepPerOwner {
			t.Errorf("owner keeps %d reports, want %d", n, keepPerOwner)
		}
		for i, k := range keys {
			_, err := s.Get(ctx, owner, k)
			if gone := web.ErrorCode(err) == web.ENOTFOUND; gone != (i < 2) {
				t.Errorf("report %d: %v", i, err)
			}
		}
		if _, err := s.Get(ctx, other, otherKey); err != nil {
			t.Errorf("another user's report went: %v", err)
		}
	})
}
