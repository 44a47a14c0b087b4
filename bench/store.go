package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"

	"clerkskill/app/db"
)

// dataset is a fresh, throwaway store: SQLite in a temp dir, or a database created for the
// run on the PostgreSQL server named by -pg and dropped afterwards.
type dataset struct {
	db      *bun.DB
	dataDir string // SQLite: the --data dir; PostgreSQL: a scratch dir
	pgURL   string // the run's database, "" on SQLite
	dropPG  func()
	tree    *tree
	people  *people
}

func openDataset(ctx context.Context, o options) (*dataset, error) {
	dir, err := os.MkdirTemp("", "clerkskill-bench-")
	if err != nil {
		return nil, err
	}
	ds := &dataset{dataDir: dir, dropPG: func() {}}
	if o.pg != "" {
		if ds.pgURL, ds.dropPG, err = createPGDatabase(ctx, o.pg); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	if ds.db, err = db.Open(ctx, ds.pgURL, dir); err != nil {
		ds.close()
		return nil, err
	}
	_, err = db.Migrate(ctx, ds.db)
	return ds, err
}

func (ds *dataset) close() {
	if ds.db != nil {
		_ = ds.db.Close()
	}
	ds.dropPG()
	_ = os.RemoveAll(ds.dataDir)
}

// createPGDatabase makes clerkskill_bench_<pid> on the server and returns its URL and a
// function that drops it.
func createPGDatabase(ctx context.Context, adminURL string) (string, func(), error) {
	u, err := url.Parse(adminURL)
	if err != nil || !db.IsPostgresDSN(adminURL) {
		return "", nil, fmt.Errorf("-pg: want a postgres:// URL")
	}
	admin, err := sql.Open("pgx", adminURL)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("clerkskill_bench_%d", os.Getpid())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database %s: %w", name, err)
	}
	drop := func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			fmt.Fprintln(os.Stderr, "bench: drop database:", err)
		}
		admin.Close()
	}
	u.Path = "/" + name
	return u.String(), drop, nil
}

// fixSequences moves PostgreSQL identity sequences past the ids inserted explicitly.
func fixSequences(ctx context.Context, d bun.IDB) error {
	if !db.IsPostgres(d) {
		return nil // SQLite AUTOINCREMENT follows explicit ids by itself
	}
	for _, t := range []string{"org_units", "staff", "users", "grants"} {
		q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))", t, t)
		if _, err := d.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s sequence: %w", t, err)
		}
	}
	_, err := d.ExecContext(ctx, "ANALYZE")
	return err
}

func (ds *dataset) storeName() string {
	if ds.pgURL != "" {
		return "postgres"
	}
	return "sqlite"
}

// serveArgs are the flags that point `clerkskill serve` at this dataset.
func (ds *dataset) serveArgs() []string {
	if ds.pgURL != "" {
		return []string{"--database", ds.pgURL, "--data", ds.dataDir}
	}
	return []string{"--data", ds.dataDir}
}
