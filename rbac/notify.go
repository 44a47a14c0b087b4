package rbac

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
)

// Several instances over one PostgreSQL database each hold every grant in memory, and
// the sessions they authenticated (session_cache.go). A change to grants, to an account
// or to its sessions notifies the others on the "grants" channel with the user's id (an
// empty payload: everyone's) when its transaction commits; each instance's Watch drops
// the user's sessions and reloads their grants. SQLite serves one instance and has
// nothing to tell.

const grantsChannel = "grants"

// resyncEvery is the safety net: this often the grants in force are compared, by a
// cheap digest, with those last loaded in full, and loaded again if they differ.
var resyncEvery = time.Minute

// manyUsers is how many users' reloads one batch does one by one before it reloads all.
const manyUsers = 64

// grantsChanged tells the other instances, once tx commits, that the grants of the users
// changed; with none given, anyone's may have.
func grantsChanged(ctx context.Context, tx bun.IDB, userIDs ...int64) error {
	if len(userIDs) == 0 {
		return db.Notify(ctx, tx, grantsChannel, "")
	}
	for _, id := range userIDs {
		if err := db.Notify(ctx, tx, grantsChannel, strconv.FormatInt(id, 10)); err != nil {
			return err
		}
	}
	return nil
}

// Listening reports whether Watch is subscribed to other instances' grant changes now.
func (s *Store) Listening() bool { return s.watch.listening.Load() }

// Watch keeps this instance's grants in step with changes made through other instances
// until ctx ends: it listens on a connection of its own, reconnecting with backoff and
// reloading everything after each (re)connect, since notifications may have been missed
// meanwhile, and every resyncEvery when the grants' digest moved. On SQLite it returns at once.
func (s *Store) Watch(ctx context.Context, logf func(msg string, args ...any)) {
	if !db.IsPostgres(s.db) {
		return
	}
	go s.applyChanges(ctx, logf)
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := db.Listen(ctx, s.db, grantsChannel, func() {
			s.sessions.dropUser(0)
			s.watch.listening.Store(true)
			s.watch.markAll()
			backoff = 100 * time.Millisecond
		}, func(payload string) {
			s.sessions.dropPayload(payload)
			s.watch.markPayload(payload)
		})
		s.watch.listening.Store(false)
		if ctx.Err() != nil || errors.Is(err, db.ErrNotListening) {
			return
		}
		logf("grant notifications lost, reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// applyChanges reloads what the listener collected, in batches, and everything when the
// digest checked every resyncEvery moved; a failed reload is retried in full a second later.
func (s *Store) applyChanges(ctx context.Context, logf func(msg string, args ...any)) {
	t := time.NewTicker(resyncEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if fp, err := grantsDigest(ctx, s.db); err == nil && fp == s.watch.loaded {
				continue
			}
			s.watch.markAll()
		case <-s.watch.wake:
		}
		ids, all := s.watch.take()
		if err := s.reloadGrants(ctx, ids, all); err != nil && ctx.Err() == nil {
			logf("reload grants", "err", err)
			time.AfterFunc(time.Second, s.watch.markAll)
		}
	}
}

func (s *Store) reloadGrants(ctx context.Context, ids []int64, all bool) error {
	if all || len(ids) > manyUsers {
		fp, _ := grantsDigest(ctx, s.db) // taken first: a change meanwhile makes the next check reload
		if err := s.enf.Reload(); err != nil {
			return err
		}
		s.watch.loaded = fp
		return nil
	}
	for _, id := range ids {
		if err := s.enf.reloadUser(ctx, s.db, id); err != nil {
			return err
		}
	}
	return nil
}

// grantsDigest sums up the grants and the deactivated accounts in one cheap query, so the
// safety net need not reload 100,000 grants every minute to find nothing changed (at that
// size: ~0.05 s, against ~0.3 s to read the grants plus rebuilding casbin under its lock).
func grantsDigest(ctx context.Context, d bun.IDB) (string, error) {
	var fp string
	err := d.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) || '/' || COALESCE(SUM(id * 7919 + org_id * 31 + user_id + LENGTH(role)), 0) FROM grants)
		|| '/' || (SELECT COUNT(*) || '/' || COALESCE(SUM(id), 0) FROM users WHERE NOT active)`).Scan(&fp)
	return fp, err
}

// grantWatch collects the users named by notifications until applyChanges takes them.
type grantWatch struct {
	listening atomic.Bool
	wake      chan struct{}
	loaded    string // digest taken before the last full reload; applyChanges' own

	mu  sync.Mutex
	ids map[int64]struct{}
	all bool
}

func newGrantWatch() *grantWatch {
	return &grantWatch{wake: make(chan struct{}, 1), ids: map[int64]struct{}{}}
}

func (w *grantWatch) markPayload(payload string) {
	id, err := strconv.ParseInt(payload, 10, 64)
	if err != nil {
		w.markAll()
		return
	}
	w.mu.Lock()
	w.ids[id] = struct{}{}
	w.mu.Unlock()
	w.poke()
}

func (w *grantWatch) markAll() {
	w.mu.Lock()
	w.all = true
	w.mu.Unlock()
	w.poke()
}

func (w *grantWatch) poke() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *grantWatch) take() ([]int64, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	ids := make([]int64, 0, len(w.ids))
	for id := range w.ids {
		ids = append(ids, id)
	}
	all := w.all
	w.ids, w.all = map[int64]struct{}{}, false
	return ids, all
}
