package certify

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/exams"
)

// Hours is the training-hours ledger as eligibility reads it.
type Hours interface {
	// HoursFor is a user's hours in a calendar year (Beijing time).
	HoursFor(ctx context.Context, userID int64, year int) (float64, error)
}

// Store reads and writes qualifications, applications, review scores, the register and
// post changes.
type Store struct {
	db        *bun.DB
	standards *exams.Store
	hours     Hours
	placer    Placer // exam sessions approved applicants are placed into
	now       func() time.Time
}

// NewStore returns a certification store over d.
func NewStore(d *bun.DB, standards *exams.Store, hours Hours, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: d, standards: standards, hours: hours, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// CurrentLevels returns, for each of the people given, the best (lowest code) level of a
// certificate valid on the day; people without one are absent. Superseded certificates
// still count until the day their successor was issued, so a past day is answered as it
// stood then. Pay sheets and dashboards read levels through this.
func (s *Store) CurrentLevels(ctx context.Context, staffIDs []int64, on time.Time) (map[int64]int, error) {
	out := map[int64]int{}
	if len(staffIDs) == 0 {
		return out, nil
	}
	day := on.Format(time.DateOnly)
	var rows []struct {
		StaffID int64 `bun:"staff_id"`
		Level   int   `bun:"level"`
	}
	err := s.db.NewSelect().TableExpr("certificates AS ct").
		ColumnExpr("ct.staff_id, MIN(ct.level) AS level").
		Where("ct.staff_id IN (?)", bun.In(staffIDs)).
		Where("ct.status <> ?", CertRevoked).
		Where("ct.issued_on <= ?", day).
		Where("ct.valid_until IS NULL OR ct.valid_until >= ?", day).
		GroupExpr("ct.staff_id").Scan(ctx, &rows)
	for _, r := range rows {
		out[r.StaffID] = r.Level
	}
	return out, err
}
