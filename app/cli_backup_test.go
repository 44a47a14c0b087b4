package app_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clerkskill/app/db"
	"clerkskill/app/db/dbtest"
)

// ownDatabase gives a PostgreSQL test a database of its own, dropped at cleanup, so
// pg_dump and pg_restore see exactly what the test wrote.
func ownDatabase(t *testing.T) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	ctx := context.Background()
	admin, err := db.Open(ctx, base, "")
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := "b_" + strings.ReplaceAll(strings.ToLower(filepath.Base(t.TempDir())), "-", "_")
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a, err := db.Open(ctx, base, "")
		if err == nil {
			_, _ = a.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func backupCLI(t *testing.T, dialect string) *cli {
	c := &cli{t: t, env: map[string]string{"CLERKSKILL_DATA": t.TempDir()}}
	if dialect == "postgres" {
		c.env["DATABASE_URL"] = ownDatabase(t)
	}
	return c
}

// counts is the row count of every table of the store c points at.
func counts(t *testing.T, c *cli) map[string]int {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, c.env["DATABASE_URL"], c.env["CLERKSKILL_DATA"])
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if db.IsPostgres(d) {
		q = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
	}
	var tables []string
	if err := d.NewRaw(q).Scan(ctx, &tables); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, tb := range tables {
		var n int
		if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM "`+tb+`"`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tb] = n
	}
	var name string
	if err := d.QueryRowContext(ctx, "SELECT name FROM org_units WHERE code = 'QS-CG'").Scan(&name); err != nil || name != "城关镇便民服务中心" {
		t.Fatalf("org QS-CG: %q %v", name, err)
	}
	return out
}

func TestBackupRestore(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			src := backupCLI(t, d)
			src.must("schema at version", "migrate")
			src.must("created", "org", "add", "--code", "QS", "--name", "青山县政务服务中心", "--tier", "county")
			src.must("created", "org", "add", "--code", "QS-CG", "--name", "城关镇便民服务中心", "--tier", "township", "--parent", "QS")
			src.must("", "user", "add", "--name", "王", "--password", "Secret-pass-123", "wang")
			files := seedFiles(t, src)
			src.must("1 file(s) under "+filepath.Join(src.env["CLERKSKILL_DATA"], "evidence")+" are not in the database",
				"backup", "-o", filepath.Join(t.TempDir(), "before-import.backup"))
			src.must("1 stored", "files", "import")
			file := filepath.Join(t.TempDir(), "clerkskill.backup")
			if out := src.must("backup written", "backup", "-o", file); strings.Contains(out, "warning") {
				t.Errorf("backup after files import:\n%s", out)
			}
			src.fails("already exists", "backup", "-o", file)
			want := counts(t, src)
			if want["org_units"] != 2 || want["users"] < 1 {
				t.Fatalf("seeded counts %v", want)
			}

			dst := backupCLI(t, d)
			dst.must("schema at version", "restore", file)
			if diff := diffCounts(want, counts(t, dst)); diff != "" {
				t.Errorf("restored counts differ: %s", diff)
			}
			checkFiles(t, dst, files)
			dst.fails("-force", "restore", file)
			dst.must("schema at version", "restore", "-force", file)
			dst.must("2 unit(s)", "org", "list")
			refusals(t, d, dst, file)
		})
	}
}

func diffCounts(want, got map[string]int) string {
	var b strings.Builder
	for k, n := range want {
		if got[k] != n {
			b.WriteString(k + " ")
		}
	}
	if len(got) != len(want) {
		b.WriteString("(table sets differ)")
	}
	return b.String()
}

// refusals: the other store's backup, a file that is no backup, a newer schema.
func refusals(t *testing.T, dialect string, c *cli, file string) {
	if dialect == "postgres" || os.Getenv("TEST_DATABASE_URL") != "" {
		other := backupCLI(t, map[string]string{"sqlite": "postgres", "postgres": "sqlite"}[dialect])
		other.fails("备份", "restore", file)
	}
	junk := filepath.Join(t.TempDir(), "junk")
	if err := os.WriteFile(junk, []byte("not a backup at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	c.fails("不是 clerkskill 的备份", "restore", "-force", junk)
	ctx := context.Background()
	d, err := db.Open(ctx, c.env["DATABASE_URL"], c.env["CLERKSKILL_DATA"])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', CURRENT_TIMESTAMP)"); err != nil {
		t.Fatal(err)
	}
	d.Close()
	newer := filepath.Join(t.TempDir(), "newer.backup")
	c.must("backup written", "backup", "-o", newer)
	c.fails("高于本程序支持", "restore", "-force", newer)
}
