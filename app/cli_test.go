package app_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"clerkskill/app"
	"clerkskill/app/db"
	"clerkskill/app/db/dbtest"
)

// cli runs commands against one store, as an operator would from a shell.
type cli struct {
	t   *testing.T
	env map[string]string
}

func newCLI(t *testing.T, dialect string) *cli {
	c := &cli{t: t, env: map[string]string{"CLERKSKILL_DATA": t.TempDir()}}
	if dialect == "postgres" {
		c.env["DATABASE_URL"] = dbtest.DSN(t, dialect)
	}
	return c
}

func (c *cli) run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = app.Run(context.Background(), args, func(k string) string { return c.env[k] }, &out, &errb)
	return code, out.String(), errb.String()
}

func (c *cli) must(want string, args ...string) string {
	c.t.Helper()
	code, out, errs := c.run(args...)
	if code != 0 || !strings.Contains(out, want) {
		c.t.Fatalf("clerkskill %s: exit %d, stdout %q, stderr %q; want %q", strings.Join(args, " "), code, out, errs, want)
	}
	return out
}

func (c *cli) fails(want string, args ...string) {
	c.t.Helper()
	code, out, errs := c.run(args...)
	if code == 0 || !strings.Contains(errs, want) {
		c.t.Fatalf("clerkskill %s: exit %d, stdout %q, stderr %q; want failure saying %q", strings.Join(args, " "), code, out, errs, want)
	}
}

func TestOperatorCommands(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			c := newCLI(t, d)
			c.must("schema at version", "migrate")
			c.must("created", "org", "add", "--code", "QS", "--name", "青山县政务服务中心", "--tier", "county")
			c.must("城关镇便民服务中心", "org", "add", "--code", "QS-CG", "--name", "城关镇便民服务中心", "--tier", "township", "--parent", "QS")
			c.fails("层级", "org", "add", "--code", "X", "--name", "某县", "--tier", "county", "--parent", "QS-CG")
			c.fails("QS-CG 已存在", "org", "add", "--code", "QS-CG", "--name", "重复", "--tier", "township", "--parent", "QS")
			out := c.must("2 unit(s)", "org", "list")
			if strings.Index(out, "QS-CG") < strings.Index(out, "QS ") {
				t.Errorf("org list is not in tree order:\n%s", out)
			}
			c.must("one-time password", "user", "add", "--name", "县人事办", "--grant", "hr@QS", "zhangsan")
			c.fails("已被使用", "user", "add", "zhangsan")
			c.must("hr ", "user", "roles", "zhangsan")
			c.must("trainer", "user", "roles", "--grant", "trainer@QS-CG", "zhangsan")
			if out := c.must("1 grant", "user", "roles", "--revoke", "trainer@QS-CG", "zhangsan"); strings.Contains(out, "trainer") {
				t.Errorf("trainer grant not revoked:\n%s", out)
			}
			c.must("one-time password", "user", "passwd", "zhangsan")
			c.fails("密码", "user", "passwd", "--password", "short", "zhangsan")
			c.must("ck_", "user", "token", "--name", "对接", "zhangsan")
			c.fails("账户不存在", "user", "passwd", "nobody")
			c.must("clerkskill", "version")
		})
	}
}

func TestUsageErrors(t *testing.T) {
	c := newCLI(t, "sqlite")
	if code, _, errs := c.run("frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("unknown command: exit %d, %q", code, errs)
	}
	if code, _, _ := c.run(); code != 2 {
		t.Errorf("no command: exit %d, want 2", code)
	}
	c.fails("unknown subcommand", "user", "delete", "x")
	c.fails("flag provided but not defined", "serve", "--nope")
	c.env["CLERKSKILL_SESSION_IDLE"] = "soon"
	c.fails("CLERKSKILL_SESSION_IDLE", "migrate")
}

// A schema ahead of the binary, or one behind it with auto-migrate off, stops the service.
func TestStaleSchemaRefused(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			c := newCLI(t, d)
			c.must("schema at version", "migrate")
			store, err := db.Open(context.Background(), c.env["DATABASE_URL"], c.env["CLERKSKILL_DATA"])
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			if _, err := store.ExecContext(context.Background(),
				"INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', CURRENT_TIMESTAMP)"); err != nil {
				t.Fatal(err)
			}
			c.fails("newer than this binary", "serve", "--addr", "127.0.0.1:0")
			c.env["CLERKSKILL_AUTO_MIGRATE"] = "false"
			c.fails("clerkskill migrate", "serve", "--addr", "127.0.0.1:0")
		})
	}
}
