package app

import (
	"context"
	"errors"
	"flag"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/blobs"
)

// fileSpaces are the namespaces of uploaded files the server keeps in the database, each
// with the data dir directory earlier versions wrote it to.
var fileSpaces = []blobs.Namespace{blobs.Attachments, blobs.Evidence}

func runFiles(env Env, args []string) error {
	sub, rest, err := subcommand(args, "import")
	if err != nil {
		return err
	}
	switch sub {
	case "import":
		return importFiles(env, rest)
	}
	return nil
}

// importFiles moves the attachments and evidence earlier versions kept under the data dir
// into the database (blobs.Store.Import): safe to run while the service runs, and again.
func importFiles(env Env, args []string) error {
	var keep bool
	cfg, _, err := backupFlags(env, "files import", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&keep, "keep", false, "leave the files in the data dir once they are in the database")
	})
	if err != nil {
		return err
	}
	if cfg.DataDir == "" {
		return errors.New("files import needs the data dir (--data or CLERKSKILL_DATA)")
	}
	d, err := openStore(env.Ctx, cfg, discardLog())
	if err != nil {
		return err
	}
	defer d.Close()
	for _, ns := range fileSpaces {
		start := time.Now()
		s := blobs.New(d, ns, cfg.DataDir, nil)
		m, err := s.Import(env.Ctx, keep, bar(env.Stderr, ns.Name))
		if err != nil {
			return err
		}
		writeln(env.Stdout, "%s: %d file(s) in %s: %d stored, %d already in the database, %d removed from the directory, in %v",
			ns.Name, m.Found, s.Dir(), m.Stored, m.Present, m.Removed, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// filesNotInDatabase counts, per namespace, the files under the data dir the database
// does not hold yet: a database backup does not carry them.
func filesNotInDatabase(ctx context.Context, d *bun.DB, dataDir string) (map[string]int, error) {
	out := map[string]int{}
	for _, ns := range fileSpaces {
		n, err := blobs.New(d, ns, dataDir, nil).Pending(ctx)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out[ns.Name] = n
		}
	}
	return out, nil
}
