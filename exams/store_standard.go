package exams

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// Store reads and writes the exams tables. Public methods own their transaction; helpers
// take a bun.IDB so they run inside it.
type Store struct {
	db  *bun.DB
	now func() time.Time
}

// NewStore returns a store over d with the given clock (time.Now when nil).
func NewStore(d *bun.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: d, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// StandardVersion is one stored, immutable version of the standard. Results refer to it
// by ID, so grading stays tied to the definition it was done under.
type StandardVersion struct {
	bun.BaseModel `bun:"table:standard_versions,alias:sv"`

	ID           int64     `bun:"id,pk,autoincrement" json:"id"`
	VersionNo    int       `bun:"version_no" json:"version_no"`
	Code         string    `bun:"code" json:"code"`
	VersionLabel string    `bun:"version_label" json:"version_label"`
	Definition   *Standard `bun:"definition" json:"definition"`
	Provisional  bool      `bun:"provisional" json:"provisional"`
	ImportedBy   *int64    `bun:"imported_by" json:"imported_by"`
	Note         string    `bun:"note" json:"note"`
	CreatedAt    time.Time `bun:"created_at" json:"created_at"`
	// Current is true for the newest version; it is computed, not stored.
	Current bool `bun:"-" json:"current"`
}

// Validate checks the version's definition.
func (v *StandardVersion) Validate() error {
	if v.Definition == nil {
		return web.Errorf(web.EINVALID, "标准版本缺少定义")
	}
	return v.Definition.Validate()
}

// EnsureDefaultStandard stores the embedded default profile as version 1 when no version
// exists yet. It is idempotent, and when several processes race only one insert lands.
func (s *Store) EnsureDefaultStandard(ctx context.Context) (*StandardVersion, error) {
	def, err := DefaultStandard()
	if err != nil {
		return nil, err
	}
	var out *StandardVersion
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		cur, err := currentVersion(ctx, tx)
		if err == nil || web.ErrorCode(err) != web.ENOTFOUND {
			out = cur
			return err
		}
		out = s.newVersion(def, 0, "系统内置默认配置")
		return insertVersion(ctx, tx, out, 1)
	})
	if err != nil && web.ErrorCode(err) == web.ECONFLICT {
		return s.CurrentStandard(ctx) // another process stored it first
	}
	return out, err
}

// ImportStandard validates def and stores it as the new current version. Older versions
// stay as they were. actor is the user who imported it (0 for the system).
func (s *Store) ImportStandard(ctx context.Context, actor int64, def *Standard) (*StandardVersion, error) {
	if def == nil {
		return nil, web.Errorf(web.EINVALID, "没有可导入的标准定义")
	}
	if err := def.Validate(); err != nil {
		return nil, err
	}
	v := s.newVersion(def.Clone(), actor, "")
	var err error
	for range 3 { // a concurrent import may take the next number first: take the one after
		if err = s.appendVersion(ctx, v); web.ErrorCode(err) != web.ECONFLICT {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	return v, nil
}

func (s *Store) appendVersion(ctx context.Context, v *StandardVersion) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		last, err := lastVersionNo(ctx, tx)
		if err != nil {
			return err
		}
		return insertVersion(ctx, tx, v, last+1)
	})
}

// RestoreStandardVersion makes an old version current again by storing a copy of it as a
// new version, so history still reads in order.
func (s *Store) RestoreStandardVersion(ctx context.Context, actor, id int64) (*StandardVersion, error) {
	old, err := s.FindStandardVersionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	v, err := s.ImportStandard(ctx, actor, old.Definition)
	if err != nil {
		return nil, fmt.Errorf("restore standard version %d: %w", id, err)
	}
	return v, nil
}

func (s *Store) newVersion(def *Standard, actor int64, note string) *StandardVersion {
	v := &StandardVersion{
		Code: def.Meta.Code, VersionLabel: def.Meta.Version, Definition: def,
		Provisional: def.IsProvisional(), Note: note, CreatedAt: s.now(),
	}
	if actor != 0 {
		v.ImportedBy = &actor
	}
	return v
}

func insertVersion(ctx context.Context, tx bun.IDB, v *StandardVersion, no int) error {
	v.VersionNo = no
	if _, err := tx.NewInsert().Model(v).Returning("id").Exec(ctx); err != nil {
		if db.IsUniqueViolation(err) {
			return web.Errorf(web.ECONFLICT, "标准版本 %d 已被他人同时写入，请刷新后重试", no)
		}
		return fmt.Errorf("insert standard version: %w", err)
	}
	v.Current = true
	return nil
}

func lastVersionNo(ctx context.Context, tx bun.IDB) (int, error) {
	var n int
	err := tx.NewSelect().Model((*StandardVersion)(nil)).ColumnExpr("COALESCE(MAX(sv.version_no), 0)").Scan(ctx, &n)
	if err != nil {
		return 0, fmt.Errorf("read last standard version: %w", err)
	}
	return n, nil
}

// CurrentStandard returns the newest version, ENOTFOUND when none is stored yet.
func (s *Store) CurrentStandard(ctx context.Context) (*StandardVersion, error) {
	return currentVersion(ctx, s.db)
}

func currentVersion(ctx context.Context, tx bun.IDB) (*StandardVersion, error) {
	v := new(StandardVersion)
	err := tx.NewSelect().Model(v).OrderExpr("sv.version_no DESC").Limit(1).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "标准版本")
	}
	v.Current = true
	return v, nil
}

// FindStandardVersions lists every version, newest first.
func (s *Store) FindStandardVersions(ctx context.Context) ([]*StandardVersion, error) {
	var out []*StandardVersion
	err := s.db.NewSelect().Model(&out).OrderExpr("sv.version_no DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list standard versions: %w", err)
	}
	if len(out) > 0 {
		out[0].Current = true
	}
	return out, nil
}

// FindStandardVersionByID returns one version, ENOTFOUND when there is none.
func (s *Store) FindStandardVersionByID(ctx context.Context, id int64) (*StandardVersion, error) {
	v := new(StandardVersion)
	err := s.db.NewSelect().Model(v).Where("sv.id = ?", id).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "标准版本")
	}
	last, err := lastVersionNo(ctx, s.db)
	if err != nil {
		return nil, err
	}
	v.Current = v.VersionNo == last
	return v, nil
}

// notFound maps no-rows to a not-found error naming what was sought.
func notFound(err error, what string) error {
	if db.IsNoRows(err) {
		return web.Errorf(web.ENOTFOUND, "%s不存在", what)
	}
	return err
}
