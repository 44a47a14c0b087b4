// Package db opens the store by DSN, applies the embedded migrations and maps driver errors.
//
// SQLite (modernc.org/sqlite, pure Go) is the zero-configuration default; a postgres:// URL
// switches to PostgreSQL through pgx. Both run the same bun code.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" driver
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Open connects to dsn. An empty dsn means SQLite at dataDir/clerkskill.db.
func Open(ctx context.Context, dsn, dataDir string) (*bun.DB, error) {
	if IsPostgresDSN(dsn) {
		return openPostgres(ctx, dsn)
	}
	if dsn == "" {
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data dir: %w", err)
		}
		dsn = filepath.Join(dataDir, "clerkskill.db")
	}
	return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite://"))
}

// IsPostgresDSN reports whether dsn names a PostgreSQL server.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openPostgres uses the simple query protocol unless the DSN names another
// default_query_exec_mode: bun writes every argument into the SQL text, so each statement
// is new to pgx, and the default mode (cache the prepared statement) spent a second round
// trip preparing it, plus DEALLOCATEs as the cache turned over. On the exam-day bench
// (bench/examday) this cut CPU per operation (server and database) by a fifth.
func openPostgres(ctx context.Context, dsn string) (*bun.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if !strings.Contains(dsn, "default_query_exec_mode") {
		cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	}
	sqldb := stdlib.OpenDB(*cfg)
	sqldb.SetMaxOpenConns(32)
	sqldb.SetMaxIdleConns(32) // with fewer, a burst past them closes connections as they come back and opens new ones (a fork, and cold caches: the first plan of a statement on a new backend took 65 ms against 0.2 ms)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	return ping(ctx, bun.NewDB(sqldb, pgdialect.New()))
}

// openSQLite uses WAL, a busy timeout and BEGIN IMMEDIATE for every transaction, so a
// read-then-write transaction never fails half way with SQLITE_BUSY.
// synchronous=NORMAL in WAL mode: a commit survives a crash of the process (kill -9, see
// app/crash_test.go) but not necessarily a power loss or OS crash; FULL would (an fsync per
// commit) and is not used.
func openSQLite(ctx context.Context, path string) (*bun.DB, error) {
	q := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_txlock=immediate&_time_format=sqlite"
	sqldb, err := sql.Open("sqlite", "file:"+path+"?"+q)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	sqldb.SetMaxOpenConns(8)
	sqldb.SetMaxIdleConns(8) // database/sql keeps 2 by default: under load the rest were reopened (pragmas and all) per query
	return ping(ctx, bun.NewDB(sqldb, sqlitedialect.New()))
}

func ping(ctx context.Context, db *bun.DB) (*bun.DB, error) {
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("reach database: %w", err)
	}
	return db, nil
}

// IsPostgres reports whether db talks to PostgreSQL.
func IsPostgres(db bun.IDB) bool {
	return db.Dialect().Name().String() == "pg"
}

// IsNoRows reports whether err means a lookup found nothing.
func IsNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// IsUniqueViolation reports whether err is a unique-constraint failure on either store.
func IsUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		return sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE ||
			sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// IsForeignKeyViolation reports whether err is a foreign-key failure on either store.
func IsForeignKeyViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23503"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		return sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}
