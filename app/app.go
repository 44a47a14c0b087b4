// Package app is the composition root: configuration, the store, the wired server and the
// operator commands. It holds no business rules.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// Version is set at build time with -ldflags "-X clerkskill/app.Version=…".
var Version = "dev"

// Env is what a command runs with: its output streams and the environment.
type Env struct {
	Ctx    context.Context
	Getenv func(string) string
	Stdout io.Writer
	Stderr io.Writer
}

type command struct {
	name, usage string
	run         func(env Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "serve [--addr HOST:PORT] [--data DIR] [--demo]   run the web service", runServe},
		{"migrate", "migrate [--data DIR]                            apply pending schema migrations", runMigrate},
		{"user", "user add|passwd|roles|token …                   manage accounts", runUser},
		{"org", "org add|list …                                  manage the org tree", runOrg},
		{"standard", "standard show|import|template …            the skill standard", runStandard},
		{"import", "import questions|roster FILE [--owner|--org ORG-CODE] …  bulk import (all or nothing)", runImport},
		{"export", "export questions|roster|certificates|assessment [--org CODE] -o FILE.xlsx  workbooks", runExport},
		{"backup", "backup -o FILE                                  copy the whole database to one file while it runs", runBackup},
		{"restore", "restore [-force] FILE                          replace the database with a backup, then migrate", runRestore},
		{"files", "files import [-keep]                           move attachments and evidence from the data dir into the database", runFiles},
		{"version", "version                                         print the version", runVersion},
	}
}

// Run executes the command in args and returns the process exit code.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	env := Env{Ctx: ctx, Getenv: getenv, Stdout: stdout, Stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		return 2
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return exitCode(stderr, c.run(env, args[1:]))
		}
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: clerkskill COMMAND [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintln(w, "  "+c.usage)
	}
	fmt.Fprintln(w, "\nenvironment: DATABASE_URL=postgres://… switches from SQLite to PostgreSQL; see README.")
}

func exitCode(stderr io.Writer, err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 2
	}
	if code := web.ErrorCode(err); code != web.EINTERNAL && code != web.EUNAVAILABLE {
		fmt.Fprintln(stderr, "error:", web.ErrorMessage(err))
	} else {
		fmt.Fprintln(stderr, "error:", err)
	}
	return 1
}

func runVersion(env Env, _ []string) error {
	v := Version
	if bi, ok := debug.ReadBuildInfo(); ok && v == "dev" {
		v = "dev (" + bi.GoVersion + ")"
	}
	writeln(env.Stdout, "clerkskill %s", v)
	return nil
}

// openStore opens the configured store and brings its schema to current, or checks it is.
func openStore(ctx context.Context, cfg Config, log *slog.Logger) (*bun.DB, error) {
	d, err := db.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if !cfg.AutoMigrate {
		if err := db.CheckCurrent(ctx, d); err != nil {
			d.Close()
			return nil, err
		}
		return d, nil
	}
	n, err := db.Migrate(ctx, d)
	if err != nil {
		d.Close()
		return nil, err
	}
	if n > 0 {
		log.Info("schema migrated", "applied", n)
	}
	return d, nil
}

func parseFlags(fs *flag.FlagSet, env Env, args []string) error {
	fs.SetOutput(env.Stderr)
	return fs.Parse(args)
}

func runMigrate(env Env, args []string) error {
	cfg, err := loadEnv(env.Getenv)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	cfg.storeFlags(fs)
	if err := parseFlags(fs, env, args); err != nil {
		return err
	}
	d, err := db.Open(env.Ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return err
	}
	defer d.Close()
	n, err := db.Migrate(env.Ctx, d)
	if err != nil {
		return err
	}
	applied, latest, err := db.Status(env.Ctx, d)
	writeln(env.Stdout, "applied %d migration(s); schema at version %d of %d", n, applied, latest)
	return err
}
