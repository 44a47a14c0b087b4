package bank

import (
	"context"
	"io"
	"path"
	"strings"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

// ImportQuestions stores imported questions in one transaction, all or none, like
// CreateQuestions, telling progress how many are stored so far.
func (s *Store) ImportQuestions(ctx context.Context, actor int64, qs []*Question, progress func(done, total int)) error {
	std, err := s.Standard(ctx)
	if err != nil {
		return err
	}
	for _, q := range qs {
		if err := q.Validate(std); err != nil {
			return err
		}
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for i, q := range qs {
			if err := s.insertFirst(ctx, tx, actor, q); err != nil {
				return err
			}
			if progress != nil {
				progress(i+1, len(qs))
			}
		}
		return nil
	})
}

// CountQuestions counts the stored question versions, for import checks and tests.
func (s *Store) CountQuestions(ctx context.Context) (int, error) {
	n, err := s.db.NewSelect().Model((*Question)(nil)).Count(ctx)
	return int(n), err
}

// FindImportUnits lists the active units within scope, in tree order: the units an import
// may give its questions to.
func (s *Store) FindImportUnits(ctx context.Context, scope []string) ([]*rbac.OrgUnit, error) {
	var out []*rbac.OrgUnit
	if len(scope) == 0 {
		return out, nil
	}
	q := s.db.NewSelect().Model(&out).Where("o.active = ?", true)
	err := rbac.Scope(scope).Where(q, "o.path").OrderExpr("o.path").Limit(2000).Scan(ctx)
	return out, err
}

// ImportInput is one upload to import: its format ("" to tell by the file name), the
// file, the defaults and limits, and an optional progress report for storing.
type ImportInput struct {
	Format   string
	Filename string
	Body     io.Reader
	Options  ImportOptions
	Stored   func(done, total int)
}

// Import reads an upload and stores every question in it, or none: on any problem the
// error says what, and for row-level problems the report lists them all.
func (s *Store) Import(ctx context.Context, actor int64, in ImportInput) ([]*Question, *Report, error) {
	format, err := DetectFormat(in.Format, in.Filename)
	if err != nil {
		return nil, nil, err
	}
	if in.Options.Std == nil {
		if in.Options.Std, err = s.Standard(ctx); err != nil {
			return nil, nil, err
		}
	}
	parse := map[string]func(io.Reader, ImportOptions) ([]*Question, *Report, error){
		FormatXLSX: ParseWorkbook, FormatAiken: ParseAiken, FormatGIFT: ParseGIFT}[format]
	qs, rep, err := parse(in.Body, in.Options)
	if err != nil {
		return nil, rep, err
	}
	return qs, rep, s.ImportQuestions(ctx, actor, qs, in.Stored)
}

// DetectFormat returns the import format named, or else the one the file name shows.
func DetectFormat(format, filename string) (string, error) {
	switch f := strings.ToLower(strings.TrimSpace(format)); f {
	case FormatXLSX, FormatAiken, FormatGIFT:
		return f, nil
	case "", "auto":
	default:
		return "", web.Errorf(web.EINVALID, "格式须为 xlsx、aiken 或 gift")
	}
	switch strings.ToLower(path.Ext(filename)) {
	case ".xlsx":
		return FormatXLSX, nil
	case ".txt", ".aiken":
		return FormatAiken, nil
	case ".gift":
		return FormatGIFT, nil
	case ".xls":
		return "", web.Errorf(web.EINVALID, "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx")
	}
	return "", web.Errorf(web.EINVALID, "无法从文件名“%s”判断格式：请使用 .xlsx、.txt（Aiken）或 .gift 文件，或选择格式", filename)
}
