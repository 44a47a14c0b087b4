package training

import (
	"context"

	"github.com/uptrace/bun"

	"clerkskill/rbac"
)

// HoursFor is the clerk's training hours in a calendar year (China time), voided entries
// left out. Certification reads it for level eligibility.
func (s *Store) HoursFor(ctx context.Context, userID int64, year int) (float64, error) {
	var sum []float64
	err := s.db.NewSelect().Model((*Entry)(nil)).ColumnExpr("COALESCE(SUM(h.hours), 0.0)").
		Where("h.user_id = ? AND h.year = ? AND h.voided_at IS NULL", userID, year).Scan(ctx, &sum)
	if err != nil || len(sum) == 0 {
		return 0, err
	}
	return Round1(sum[0]), nil
}

// OrgHours is the training hours earned in a calendar year by clerks in the unit and
// every unit under it, counted at the unit they belonged to when they earned them.
func (s *Store) OrgHours(ctx context.Context, orgID int64, year int) (float64, error) {
	path, err := findOrgPath(ctx, s.db, orgID)
	if err != nil {
		return 0, err
	}
	var sum []float64
	q := s.db.NewSelect().Model((*Entry)(nil)).ColumnExpr("COALESCE(SUM(h.hours), 0.0)").
		Join("JOIN org_units AS o ON o.id = h.org_id").Where("h.year = ? AND h.voided_at IS NULL", year)
	if err := inSubtree(q, "o.path", path).Scan(ctx, &sum); err != nil || len(sum) == 0 {
		return 0, err
	}
	return Round1(sum[0]), nil
}

// EntryFilter narrows a ledger listing.
type EntryFilter struct {
	Scope  rbac.Scope // units the caller may read
	OrgID  int64      // unit, subtree included
	UserID int64
	Year   int
	Source Source
	Voided bool // include voided entries
	Page
}

// FindEntries lists ledger entries, latest first, with the total.
func (s *Store) FindEntries(ctx context.Context, f EntryFilter) ([]*Entry, int, error) {
	var list []*Entry
	f.Page = f.Page.Normalize()
	q := entryQuery(s.db.NewSelect().Model(&list))
	if f.Scope != nil {
		q = f.Scope.Where(q, "o.path")
	}
	q, err := s.entryFilter(ctx, q, f)
	if err != nil {
		return nil, 0, err
	}
	n, err := q.OrderExpr("h.earned_at DESC, h.id DESC").Offset(int64(f.Offset)).Limit(int64(f.Limit)).ScanAndCount(ctx)
	return list, int(n), err
}

func (s *Store) entryFilter(ctx context.Context, q *bun.SelectQuery, f EntryFilter) (*bun.SelectQuery, error) {
	if f.OrgID != 0 {
		path, err := findOrgPath(ctx, s.db, f.OrgID)
		if err != nil {
			return nil, err
		}
		q = inSubtree(q, "o.path", path)
	}
	if f.UserID != 0 {
		q = q.Where("h.user_id = ?", f.UserID)
	}
	if f.Year != 0 {
		q = q.Where("h.year = ?", f.Year)
	}
	if f.Source != "" {
		q = q.Where("h.source = ?", f.Source)
	}
	if !f.Voided {
		q = q.Where("h.voided_at IS NULL")
	}
	return q, nil
}

// YearTotal is a clerk's hours in one year.
type YearTotal struct {
	Year    int     `bun:"year" json:"year"`
	Hours   float64 `bun:"hours" json:"hours"`
	Entries int     `bun:"entries" json:"entries"`
}

// YearTotals lists the clerk's hours per year, latest first.
func (s *Store) YearTotals(ctx context.Context, userID int64) ([]YearTotal, error) {
	var out []YearTotal
	err := s.db.NewSelect().Model((*Entry)(nil)).
		ColumnExpr("h.year, SUM(h.hours) AS hours, COUNT(*) AS entries").
		Where("h.user_id = ? AND h.voided_at IS NULL", userID).GroupExpr("h.year").OrderExpr("h.year DESC").Scan(ctx, &out)
	for i := range out {
		out[i].Hours = Round1(out[i].Hours)
	}
	return out, err
}
