package app

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/exams"
)

func runStandard(env Env, args []string) error {
	sub, rest, err := subcommand(args, "show", "import", "template", "versions")
	if err != nil {
		return err
	}
	switch sub {
	case "show":
		return standardShow(env, rest)
	case "import":
		return standardImport(env, rest)
	case "template":
		return standardTemplate(env, rest)
	}
	return standardVersions(env, rest)
}

// standardCommand opens the store and the standard, storing the default profile when no
// version exists yet, as the server does at start.
func standardCommand(env Env, name string, args []string, flags func(*flag.FlagSet)) (*exams.Store, *bun.DB, []string, error) {
	_, d, rest, err := opCommand(env, name, args, flags)
	if err != nil {
		return nil, nil, nil, err
	}
	store := exams.NewStore(d, nil)
	if _, err := store.EnsureDefaultStandard(env.Ctx); err != nil {
		d.Close()
		return nil, nil, nil, err
	}
	return store, d, rest, nil
}

// versionOrCurrent returns the version with id, or the current one when id is 0.
func versionOrCurrent(ctx context.Context, store *exams.Store, id int64) (*exams.StandardVersion, error) {
	if id == 0 {
		return store.CurrentStandard(ctx)
	}
	return store.FindStandardVersionByID(ctx, id)
}

// standardShow: clerkskill standard show [--level N] [--version ID]
func standardShow(env Env, args []string) error {
	var level int
	var id int64
	store, d, _, err := standardCommand(env, "standard show", args, func(fs *flag.FlagSet) {
		fs.IntVar(&level, "level", 0, "only this level: 5 (五级) … 1 (一级); 0 for all")
		fs.Int64Var(&id, "version", 0, "id of the version to show (default: the current one)")
	})
	if err != nil {
		return err
	}
	defer d.Close()
	v, err := versionOrCurrent(env.Ctx, store, id)
	if err != nil {
		return err
	}
	writeln(env.Stdout, "%s", versionHeader(v))
	writeln(env.Stdout, "")
	return exams.PrintStandard(env.Stdout, v.Definition, level)
}

// versionHeader says which version this is, and whether its figures are provisional.
func versionHeader(v *exams.StandardVersion) string {
	state := "全部为官方数字"
	if v.Provisional {
		state = "含暂定数字（见下方暂定说明）"
	}
	current := ""
	if v.Current {
		current = "，当前版本"
	}
	return fmt.Sprintf("标准版本 第 %d 版（id %d%s）：%s · %s", v.VersionNo, v.ID, current, v.VersionLabel, state)
}

// standardImport: clerkskill standard import FILE (.yaml, .json, or a weight .xlsx)
func standardImport(env Env, args []string) error {
	store, d, rest, err := standardCommand(env, "standard import", args, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	path, err := needArg(rest, "file (.yaml, .json or weight workbook .xlsx)")
	if err != nil {
		return err
	}
	v, err := importStandardFile(env.Ctx, store, path)
	if web.ErrorCode(err) == web.EINVALID || web.ErrorCode(err) == web.ETOOLARGE {
		return refuseImport(env, path, err)
	}
	if err != nil {
		return err
	}
	writeln(env.Stdout, "imported %s as %s", filepath.Base(path), versionHeader(v))
	return nil
}

func importStandardFile(ctx context.Context, store *exams.Store, path string) (*exams.StandardVersion, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	def, err := store.ParseStandardFile(ctx, path, f)
	if err != nil {
		return nil, err
	}
	return store.ImportStandard(ctx, 0, def)
}

// refuseImport prints every problem on its own line and returns the refusal.
func refuseImport(env Env, path string, err error) error {
	var problems []string
	for _, l := range strings.Split(web.ErrorMessage(err), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			problems = append(problems, l)
		}
	}
	writeln(env.Stderr, "%s 未导入，发现 %d 个问题：", filepath.Base(path), len(problems))
	for _, p := range problems {
		writeln(env.Stderr, "  - %s", p)
	}
	return web.Errorf(web.EINVALID, "标准未导入，当前版本保持不变")
}

// standardTemplate: clerkskill standard template -o FILE.xlsx
func standardTemplate(env Env, args []string) error {
	var out string
	store, d, _, err := standardCommand(env, "standard template", args, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "o", "", "write the weight workbook to this .xlsx file")
	})
	if err != nil {
		return err
	}
	defer d.Close()
	if out == "" {
		return web.Errorf(web.EINVALID, "请用 -o FILE.xlsx 指定输出文件")
	}
	v, err := store.CurrentStandard(env.Ctx)
	if err != nil {
		return err
	}
	if err := writeTemplateFile(out, v.Definition); err != nil {
		return err
	}
	writeln(env.Stdout, "wrote the weight template of version %d to %s", v.VersionNo, out)
	return nil
}

func writeTemplateFile(path string, s *exams.Standard) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := exams.WriteWeightTemplate(f, s); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// standardVersions: clerkskill standard versions
func standardVersions(env Env, args []string) error {
	store, d, _, err := standardCommand(env, "standard versions", args, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	list, err := store.FindStandardVersions(env.Ctx)
	if err != nil {
		return err
	}
	for _, v := range list {
		mark, kind := " ", "官方"
		if v.Current {
			mark = "*"
		}
		if v.Provisional {
			kind = "暂定"
		}
		writeln(env.Stdout, "%s 第 %d 版  id %-4d %s  %s  %s", mark, v.VersionNo, v.ID,
			v.CreatedAt.Local().Format("2006-01-02 15:04"), kind, v.VersionLabel)
	}
	writeln(env.Stdout, "%d version(s); * marks the current one", len(list))
	return nil
}
