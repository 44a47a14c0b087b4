package training

import (
	"context"
)

// PersonRow is one clerk's hours in the year, by source.
type PersonRow struct {
	UserID      int64   `bun:"user_id" json:"user_id"`
	Name        string  `bun:"name" json:"name"`
	Username    string  `bun:"username" json:"username"`
	OrgName     string  `bun:"org_name" json:"org_name"`
	Completions int     `bun:"completions" json:"completions"`
	Attendances int     `bun:"attendances" json:"attendances"`
	Externals   int     `bun:"externals" json:"externals"`
	Hours       float64 `bun:"hours" json:"hours"`
}

// ByPerson lists every active clerk on the roster of the chosen unit's subtree with
// their hours in the year, those with the most first; clerks with none are listed too,
// so HR sees who still lacks hours.
func (s *Store) ByPerson(ctx context.Context, f ReportFilter) ([]PersonRow, int, error) {
	f.Page = f.Page.Normalize()
	path, err := findOrgPath(ctx, s.db, f.OrgID)
	if err != nil {
		return nil, 0, err
	}
	src := ""
	args := []any{f.Year}
	if f.Source != "" {
		src, args = " AND h.source = ?", append(args, f.Source)
	}
	var rows []PersonRow
	q := s.db.NewSelect().TableExpr("users AS u").
		ColumnExpr("u.id AS user_id, s.name, u.username, o.name AS org_name").
		ColumnExpr("COALESCE(SUM(h.hours), 0.0) AS hours").
		ColumnExpr("COALESCE(SUM(CASE WHEN h.source = 'course' THEN 1 ELSE 0 END), 0) AS completions").
		ColumnExpr("COALESCE(SUM(CASE WHEN h.source = 'event' THEN 1 ELSE 0 END), 0) AS attendances").
		ColumnExpr("COALESCE(SUM(CASE WHEN h.source = 'external' THEN 1 ELSE 0 END), 0) AS externals").
		Join("JOIN staff AS s ON s.id = u.staff_id").Join("JOIN org_units AS o ON o.id = s.org_id").
		Join("LEFT JOIN training_hours AS h ON h.user_id = u.id AND h.year = ? AND h.voided_at IS NULL"+src, args...).
		Where("s.active = ?", true).GroupExpr("u.id, s.name, u.username, o.name")
	q = inSubtree(q, "o.path", path)
	n, err := s.db.NewSelect().TableExpr("(?) AS people", q).Count(ctx)
	if err != nil {
		return nil, 0, err
	}
	err = q.OrderExpr("hours DESC, u.username").Offset(int64(f.Offset)).Limit(int64(f.Limit)).Scan(ctx, &rows)
	for i := range rows {
		rows[i].Hours = Round1(rows[i].Hours)
	}
	return rows, int(n), err
}
