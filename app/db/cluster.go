package db

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
)

// What several instances sharing one PostgreSQL database use to agree: transaction-scoped
// advisory locks, so a scheduled job runs on one instance at a time, and LISTEN/NOTIFY,
// so a change one instance makes reaches the others' in-memory state. Both are keyed by
// the schema, so deployments (and tests) in separate schemas of one database do not
// disturb each other. On SQLite, which serves one instance, they do nothing.

// schemaKey returns "name:schema" for the current schema of db.
func schemaKey(ctx context.Context, db bun.IDB, name string) (string, error) {
	var schema string
	if err := db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return "", fmt.Errorf("current schema: %w", err)
	}
	return name + ":" + schema, nil
}

// lockKey is the 64-bit advisory lock key of name in the current schema.
func lockKey(ctx context.Context, db bun.IDB, name string) (int64, error) {
	key, err := schemaKey(ctx, db, "clerkskill-"+name)
	if err != nil {
		return 0, err
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(key))
	return int64(h.Sum64()), nil
}

// RunExclusive runs fn unless another instance is running the job called name, and reports
// whether it ran. On PostgreSQL it holds pg_try_advisory_xact_lock in a transaction of its
// own while fn works on other connections; the lock goes when that transaction ends, also
// when the instance dies. On SQLite fn always runs.
func RunExclusive(ctx context.Context, db *bun.DB, name string, fn func(ctx context.Context) error) (bool, error) {
	if !IsPostgres(db) {
		return true, fn(ctx)
	}
	ran := false
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		key, err := lockKey(ctx, tx, name)
		if err != nil {
			return err
		}
		var got bool
		if err := tx.QueryRowContext(ctx, "SELECT pg_try_advisory_xact_lock(?)", key).Scan(&got); err != nil || !got {
			return err
		}
		ran = true
		return fn(ctx)
	})
	return ran, err
}

// Channel is the notification channel called name for the current schema of db.
func Channel(ctx context.Context, db bun.IDB, name string) (string, error) {
	return schemaKey(ctx, db, "clerkskill_"+name)
}

// Notify sends payload on the channel called name (see Channel) in one statement. Inside
// a transaction PostgreSQL delivers it only when that transaction commits, and not at all
// if it rolls back.
func Notify(ctx context.Context, db bun.IDB, name, payload string) error {
	if !IsPostgres(db) {
		return nil
	}
	_, err := db.ExecContext(ctx, "SELECT pg_notify(? || current_schema(), ?)", "clerkskill_"+name+":", payload)
	return err
}

// ErrNotListening is what Listen returns on a store that has no notifications (SQLite).
var ErrNotListening = errors.New("notifications need PostgreSQL")

// Listen takes a connection of its own from the pool, LISTENs on the channel called name
// and calls ready once listening, then got for each payload, until ctx ends or the
// connection fails. The connection is closed afterwards rather than returned to the pool.
func Listen(ctx context.Context, db *bun.DB, name string, ready func(), got func(payload string)) error {
	if !IsPostgres(db) {
		return ErrNotListening
	}
	ch, err := Channel(ctx, db, name)
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var waitErr error
	err = conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		waitErr = listenOn(ctx, c, ch, ready, got)
		return driver.ErrBadConn // never hand a LISTENing connection back to the pool
	})
	if waitErr != nil {
		return waitErr
	}
	return err
}

func listenOn(ctx context.Context, c *pgx.Conn, ch string, ready func(), got func(string)) error {
	if _, err := c.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize()); err != nil {
		return fmt.Errorf("listen %s: %w", ch, err)
	}
	ready()
	for {
		n, err := c.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		got(n.Payload)
	}
}
