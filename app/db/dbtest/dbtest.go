// Package dbtest gives each test a fresh, migrated database on every store: SQLite always,
// PostgreSQL when TEST_DATABASE_URL is set (and, under CI=true, it must be).
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
)

// Dialects lists the stores a test runs on: "sqlite", and "postgres" when configured.
func Dialects(t testing.TB) []string {
	t.Helper()
	if os.Getenv("TEST_DATABASE_URL") != "" {
		return []string{"sqlite", "postgres"}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests must run in CI")
	}
	return []string{"sqlite"}
}

// Run runs fn as a subtest on each store, each with its own fresh migrated database.
func Run(t *testing.T, fn func(t *testing.T, db *bun.DB)) {
	t.Helper()
	for _, d := range Dialects(t) {
		t.Run(d, func(t *testing.T) {
			fn(t, New(t, d))
		})
	}
}

// New returns a fresh migrated database of the given dialect, removed when t ends.
func New(t testing.TB, dialect string) *bun.DB {
	t.Helper()
	dsn := DSN(t, dialect)
	ctx := context.Background()
	d, err := db.Open(ctx, dsn, t.TempDir())
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if _, err := db.Migrate(ctx, d); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	return d
}

// DSN returns a connection string to a fresh, empty database: a file in the test's temp
// dir for SQLite; for PostgreSQL a new schema, dropped at cleanup, named in search_path.
func DSN(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == "sqlite" {
		return filepath.Join(t.TempDir(), "test.db")
	}
	return pgSchema(t)
}

func pgSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	ctx := context.Background()
	admin, err := db.Open(ctx, base, "")
	if err != nil {
		t.Fatalf("reach TEST_DATABASE_URL: %v", err)
	}
	defer admin.Close()
	schema := "t_" + randomHex(8)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() { dropSchema(base, schema) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func dropSchema(base, schema string) {
	ctx := context.Background()
	admin, err := db.Open(ctx, base, "")
	if err != nil {
		return
	}
	defer admin.Close()
	_, _ = admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
