package app

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// Backup files start with their store's own signature: a SQLite database file, or a
// pg_dump custom-format archive.
var (
	sqliteMagic = []byte("SQLite format 3\x00")
	pgMagic     = []byte("PGDMP")
)

// backupFlags reads the store flags and the command's own; it does not open the store.
func backupFlags(env Env, name string, args []string, flags func(*flag.FlagSet)) (Config, []string, error) {
	cfg, err := loadEnv(env.Getenv)
	if err != nil {
		return cfg, nil, err
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	cfg.storeFlags(fs)
	flags(fs)
	if err := parseFlags(fs, env, args); err != nil {
		return cfg, nil, err
	}
	return cfg, fs.Args(), nil
}

// runBackup writes the whole database to one file while it stays in use: VACUUM INTO on
// SQLite, pg_dump's custom format on PostgreSQL.
func runBackup(env Env, args []string) error {
	var out string
	cfg, _, err := backupFlags(env, "backup", args, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "o", "", "backup file to write")
	})
	if err != nil {
		return err
	}
	if out == "" {
		return errors.New("backup needs -o FILE")
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s already exists: choose a new file name", out)
	}
	start := time.Now()
	writeln(env.Stdout, "backing up %s to %s …", cfg.storeName(), out)
	if db.IsPostgresDSN(cfg.DatabaseURL) {
		err = pgDump(env, cfg.DatabaseURL, out)
	} else {
		err = sqliteBackup(env.Ctx, cfg, out)
	}
	if err != nil {
		_ = os.Remove(out)
		return err
	}
	st, err := os.Stat(out)
	if err != nil {
		return err
	}
	writeln(env.Stdout, "backup written: %s, %d KiB in %v", out, st.Size()>>10, time.Since(start).Round(time.Millisecond))
	warnFilesOutside(env, cfg)
	return nil
}

// warnFilesOutside names the attachments and evidence still only under the data dir
// (written by an earlier version): the backup holds every file in the database, not those.
// It only warns: the backup itself is good.
func warnFilesOutside(env Env, cfg Config) {
	if cfg.DataDir == "" {
		return
	}
	d, err := db.Open(env.Ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return
	}
	defer d.Close()
	left, err := filesNotInDatabase(env.Ctx, d, cfg.DataDir)
	if err != nil {
		writeln(env.Stdout, "warning: could not check the data dir for files outside the database: %v", err)
		return
	}
	for _, ns := range fileSpaces {
		if n := left[ns.Name]; n > 0 {
			writeln(env.Stdout, "warning: %d file(s) under %s are not in the database, so not in this backup: run `clerkskill files import` first",
				n, filepath.Join(cfg.DataDir, ns.Name))
		}
	}
}

func sqliteBackup(ctx context.Context, cfg Config, out string) error {
	d, err := db.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return err
	}
	defer d.Close()
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if _, err := d.ExecContext(ctx, "VACUUM INTO ?", abs); err != nil {
		return fmt.Errorf("vacuum into %s: %w", out, err)
	}
	return nil
}

// libpqURL drops search_path, which bun's driver understands and libpq does not, and
// returns the schema it named (empty for the default).
func libpqURL(dsn string) (string, string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", "", fmt.Errorf("parse database URL: %w", err)
	}
	q := u.Query()
	schema := q.Get("search_path")
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), schema, nil
}

// pgTool finds pg_dump or pg_restore, naming the missing one.
func pgTool(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", web.Errorf(web.EINVALID, "%s 不在 PATH 中：PostgreSQL 的备份与恢复需要安装 PostgreSQL 客户端工具（如 apt-get install postgresql-client）", name)
	}
	return p, nil
}

func pgDump(env Env, dsn, out string) error {
	tool, err := pgTool("pg_dump")
	if err != nil {
		return err
	}
	u, schema, err := libpqURL(dsn)
	if err != nil {
		return err
	}
	args := []string{"--format=custom", "--no-owner", "--no-privileges", "--file=" + out}
	if schema != "" {
		args = append(args, "--schema="+schema)
	}
	return runTool(env, tool, append(args, "--dbname="+u)...)
}

func runTool(env Env, tool string, args ...string) error {
	var stderr bytes.Buffer
	cmd := exec.CommandContext(env.Ctx, tool, args...)
	cmd.Stdout, cmd.Stderr = env.Stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", filepath.Base(tool), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// runRestore replaces the database with a backup of the same store kind and a schema no
// newer than this binary, refusing a database that holds accounts unless -force, then
// brings the schema to current.
func runRestore(env Env, args []string) error {
	var force bool
	cfg, rest, err := backupFlags(env, "restore", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&force, "force", false, "overwrite a database that already holds data")
	})
	if err != nil {
		return err
	}
	file, err := needArg(rest, "backup FILE")
	if err != nil {
		return err
	}
	start := time.Now()
	pg := db.IsPostgresDSN(cfg.DatabaseURL)
	if err := checkBackup(env, file, pg); err != nil {
		return err
	}
	if err := refuseNonEmpty(env.Ctx, cfg, force); err != nil {
		return err
	}
	writeln(env.Stdout, "restoring %s into %s …", file, cfg.storeName())
	if pg {
		err = pgRestore(env, cfg.DatabaseURL, file)
	} else {
		err = sqliteRestore(cfg, file)
	}
	if err != nil {
		return err
	}
	return finishRestore(env, cfg, start)
}

// checkBackup refuses a file of the other store kind or with a newer schema.
func checkBackup(env Env, file string, pg bool) error {
	head := make([]byte, len(sqliteMagic))
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	n, _ := io.ReadFull(f, head)
	f.Close()
	head = head[:n]
	isPG, isSQLite := bytes.HasPrefix(head, pgMagic), bytes.Equal(head, sqliteMagic)
	switch {
	case pg && isSQLite:
		return web.Errorf(web.EINVALID, "%s 是 SQLite 的备份，当前配置的是 PostgreSQL：请在 SQLite 配置下恢复", file)
	case !pg && isPG:
		return web.Errorf(web.EINVALID, "%s 是 PostgreSQL 的备份（pg_dump），当前配置的是 SQLite：请设置 DATABASE_URL 后恢复", file)
	case !isPG && !isSQLite:
		return web.Errorf(web.EINVALID, "%s 不是 clerkskill 的备份文件", file)
	}
	v, err := backupVersion(env, file, pg)
	if err != nil {
		return err
	}
	ms, err := db.Migrations()
	if err != nil {
		return err
	}
	if v > len(ms) {
		return web.Errorf(web.EINVALID, "备份的数据库结构版本为 %d，高于本程序支持的 %d：请用更新版本的 clerkskill 恢复", v, len(ms))
	}
	return nil
}

func backupVersion(env Env, file string, pg bool) (int, error) {
	if pg {
		return pgBackupVersion(env, file)
	}
	d, err := sql.Open("sqlite", "file:"+file+"?mode=ro") // read only: db.Open would switch the file to WAL
	if err != nil {
		return 0, err
	}
	defer d.Close()
	return schemaVersion(env.Ctx, d)
}

func schemaVersion(ctx context.Context, d interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int, error) {
	var v int
	err := d.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	if err != nil {
		return 0, web.Errorf(web.EINVALID, "备份中没有 clerkskill 的结构版本表，不是 clerkskill 的备份")
	}
	return v, nil
}

// pgBackupVersion reads the schema_migrations rows out of a custom-format archive.
func pgBackupVersion(env Env, file string) (int, error) {
	tool, err := pgTool("pg_restore")
	if err != nil {
		return 0, err
	}
	var out bytes.Buffer
	cmd := exec.CommandContext(env.Ctx, tool, "--data-only", "--table=schema_migrations", "--file=-", file)
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return 0, web.Errorf(web.EINVALID, "无法读取备份 %s：%v", file, err)
	}
	v, inCopy := -1, false
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "COPY ") && strings.Contains(line, "schema_migrations"):
			inCopy, v = true, 0
		case line == `\.`:
			inCopy = false
		case inCopy:
			n, _ := strconv.Atoi(strings.SplitN(line, "\t", 2)[0])
			v = max(v, n)
		}
	}
	if v < 0 {
		return 0, web.Errorf(web.EINVALID, "备份中没有 clerkskill 的结构版本表，不是 clerkskill 的备份")
	}
	return v, nil
}

// refuseNonEmpty refuses a database with any account in it, unless forced.
func refuseNonEmpty(ctx context.Context, cfg Config, force bool) error {
	if force {
		return nil
	}
	d, err := db.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return err
	}
	defer d.Close()
	var n int
	if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
		return nil // no users table: nothing to lose
	}
	if n > 0 {
		return web.Errorf(web.ECONFLICT, "目标数据库已有 %d 个账号，恢复会覆盖全部数据：确认无误请加 -force", n)
	}
	return nil
}

func pgRestore(env Env, dsn, file string) error {
	tool, err := pgTool("pg_restore")
	if err != nil {
		return err
	}
	u, _, err := libpqURL(dsn)
	if err != nil {
		return err
	}
	return runTool(env, tool, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error",
		"--single-transaction", "--dbname="+u, file)
}

// sqliteRestore copies the backup next to the database, then renames it into place
// (dropping the old write-ahead log), so a failed copy leaves the old database whole.
func sqliteRestore(cfg Config, file string) error {
	target := filepath.Join(cfg.DataDir, "clerkskill.db")
	if cfg.DatabaseURL != "" {
		target = strings.TrimPrefix(cfg.DatabaseURL, "sqlite://")
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
		return err
	}
	tmp := target + ".restore"
	if err := copyFile(file, tmp); err != nil {
		return err
	}
	for _, ext := range []string{"-wal", "-shm"} {
		if err := os.Remove(target + ext); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return os.Rename(tmp, target)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// finishRestore migrates the restored database and reports what it holds.
func finishRestore(env Env, cfg Config, start time.Time) error {
	d, err := openStore(env.Ctx, Config{DataDir: cfg.DataDir, DatabaseURL: cfg.DatabaseURL, AutoMigrate: true}, discardLog())
	if err != nil {
		return err
	}
	defer d.Close()
	v, err := schemaVersion(env.Ctx, d)
	if err != nil {
		return err
	}
	writeln(env.Stdout, "restored in %v; schema at version %d", time.Since(start).Round(time.Millisecond), v)
	return nil
}
