package app

import (
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/uptrace/bun"

	"clerkskill/rbac"
)

// opCommand opens the store for an operator command and hands it the rbac store.
func opCommand(env Env, name string, args []string, flags func(*flag.FlagSet)) (*rbac.Store, *bun.DB, []string, error) {
	cfg, err := loadEnv(env.Getenv)
	if err != nil {
		return nil, nil, nil, err
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	cfg.storeFlags(fs)
	if flags != nil {
		flags(fs)
	}
	if err := parseFlags(fs, env, args); err != nil {
		return nil, nil, nil, err
	}
	d, err := openStore(env.Ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, nil, nil, err
	}
	store, err := rbac.NewStore(d, nil)
	if err != nil {
		d.Close()
		return nil, nil, nil, err
	}
	return store, d, fs.Args(), nil
}

// subcommand splits "user add …" style arguments.
func subcommand(args []string, known ...string) (string, []string, error) {
	if len(args) == 0 {
		return "", nil, fmt.Errorf("missing subcommand: one of %v", known)
	}
	for _, k := range known {
		if args[0] == k {
			return k, args[1:], nil
		}
	}
	return "", nil, fmt.Errorf("unknown subcommand %q: one of %v", args[0], known)
}

// needArg returns the single positional argument a subcommand takes.
func needArg(rest []string, what string) (string, error) {
	if len(rest) != 1 {
		return "", fmt.Errorf("expected exactly one %s", what)
	}
	return rest[0], nil
}
