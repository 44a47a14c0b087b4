// Package reports keeps the error reports of refused imports (exams/bank, exports/sheets)
// in the database for their uploader, so that with several instances behind a load
// balancer the download may land on any of them. It implements exports.ReportStore.
package reports

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exports"
)

// Report is one stored error report; ID is the random key in its download link.
type Report struct {
	bun.BaseModel `bun:"table:import_reports,alias:ir"`

	ID        string    `bun:"id,pk"`
	UserID    int64     `bun:"user_id"`
	Data      []byte    `bun:"data"`
	CreatedAt time.Time `bun:"created_at"`
	ExpiresAt time.Time `bun:"expires_at"`
}

// keepPerOwner bounds what one user's refused imports can hold: older reports of the same
// user are dropped when a new one is stored.
const keepPerOwner = 20

// Store keeps reports in import_reports.
type Store struct {
	db  bun.IDB
	now func() time.Time
}

var _ exports.ReportStore = (*Store)(nil)

// NewStore returns a report store over d.
func NewStore(d bun.IDB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: d, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// Put writes a report with write and keeps it for owner for exports.ReportTTL; a report
// over exports.MaxReportBytes is refused with ETOOLARGE and nothing is stored.
func (s *Store) Put(ctx context.Context, owner int64, write func(io.Writer) error) (string, error) {
	body, err := exports.BufferReport(write)
	if err != nil {
		return "", err
	}
	now := s.now()
	r := &Report{ID: newKey(), UserID: owner, Data: body, CreatedAt: now, ExpiresAt: now.Add(exports.ReportTTL)}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return err
		}
		return trimOwner(ctx, tx, owner)
	})
	if err != nil {
		return "", err
	}
	return r.ID, nil
}

// trimOwner drops owner's reports beyond the newest keepPerOwner.
func trimOwner(ctx context.Context, tx bun.Tx, owner int64) error {
	newest := tx.NewSelect().Model((*Report)(nil)).Column("id").Where("user_id = ?", owner).
		OrderExpr("created_at DESC, id DESC").Limit(keepPerOwner)
	_, err := tx.NewDelete().Model((*Report)(nil)).Where("user_id = ?", owner).Where("id NOT IN (?)", newest).Exec(ctx)
	return err
}

// Get returns owner's report under key. Someone else's report, an expired one and an
// unknown key all read as not found.
func (s *Store) Get(ctx context.Context, owner int64, key string) ([]byte, error) {
	var r Report
	err := s.db.NewSelect().Model(&r).Column("data").
		Where("id = ? AND user_id = ? AND expires_at > ?", key, owner, s.now()).Scan(ctx)
	if db.IsNoRows(err) {
		return nil, web.Errorf(web.ENOTFOUND, "错误报告不存在或已过期，请重新上传文件")
	}
	if err != nil {
		return nil, err
	}
	return r.Data, nil
}

// Prune deletes expired reports and says how many.
func (s *Store) Prune(ctx context.Context) (int, error) {
	res, err := s.db.NewDelete().Model((*Report)(nil)).Where("expires_at <= ?", s.now()).Exec(ctx)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// newKey is 128 random bits in hex, so a key cannot be guessed; Get checks the owner too.
func newKey() string {
	k := make([]byte, 16)
	_, _ = rand.Read(k) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(k)
}
