package sheets

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"clerkskill/exams"
	"clerkskill/rbac"
)

// Assessment is one clerk's annual 考核表: training hours, exam results, service ratings
// and the level held.
type Assessment struct {
	Person  *Person
	Year    int
	Hours   float64
	Results []YearResult
	Ratings [6]int // by grade 1–5 (非常不满意 … 非常满意); [0] unused
	Level   int    // highest valid certificate level, 0 for none
}

// YearResult is one part result of a session that closed in the year.
type YearResult struct {
	UserID   int64     `bun:"user_id"`
	Session  string    `bun:"session"`
	Level    int       `bun:"level"`
	Part     string    `bun:"part"`
	Score    float64   `bun:"score"`
	Passed   bool      `bun:"passed"`
	Complete bool      `bun:"complete"`
	ClosesAt time.Time `bun:"closes_at"`
}

// Rated counts every rating that still counts; Good counts 满意 and 非常满意; Bad counts
// 不满意 and 非常不满意 (差评).
func (a *Assessment) Rated() int {
	return a.Ratings[1] + a.Ratings[2] + a.Ratings[3] + a.Ratings[4] + a.Ratings[5]
}
func (a *Assessment) Good() int { return a.Ratings[4] + a.Ratings[5] }
func (a *Assessment) Bad() int  { return a.Ratings[1] + a.Ratings[2] }

// Assessments reads the 考核表 of every active person in the unit at path (and below) for
// year, or of one person when staffID is not 0.
func (s *Store) Assessments(ctx context.Context, path string, staffID int64, year int) ([]*Assessment, error) {
	q := s.personQuery(rbac.Scope{path}).Where("s.active")
	if staffID != 0 {
		q = q.Where("s.id = ?", staffID)
	}
	var people []*Person
	if err := q.Scan(ctx, &people); err != nil {
		return nil, err
	}
	out := make([]*Assessment, len(people))
	for i, p := range people {
		out[i] = &Assessment{Person: p, Year: year}
	}
	if err := s.yearResults(ctx, path, year, out); err != nil {
		return nil, err
	}
	if err := s.yearRatings(ctx, path, year, out); err != nil {
		return nil, err
	}
	if err := s.levelsHeld(ctx, path, out); err != nil {
		return nil, err
	}
	return out, s.yearHours(ctx, year, out)
}

func (s *Store) yearHours(ctx context.Context, year int, list []*Assessment) error {
	for _, a := range list {
		if !a.Person.UserID.Valid || s.hours == nil {
			continue
		}
		h, err := s.hours.HoursFor(ctx, a.Person.UserID.Int64, year)
		if err != nil {
			return err
		}
		a.Hours = h
	}
	return nil
}

func yearSpan(year int) (time.Time, time.Time) {
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	return from, from.AddDate(1, 0, 0)
}

func (s *Store) yearResults(ctx context.Context, path string, year int, list []*Assessment) error {
	from, to := yearSpan(year)
	var rs []YearResult
	q := s.db.NewSelect().TableExpr("part_results AS pr").Join("JOIN exam_sessions AS es ON es.id = pr.session_id").
		Join("JOIN users AS u ON u.id = pr.user_id").Join("JOIN staff AS s ON s.id = u.staff_id").
		Join("JOIN org_units AS o ON o.id = s.org_id").
		ColumnExpr("pr.user_id, es.name AS session, es.level, pr.part, pr.score, pr.passed, pr.complete, es.closes_at").
		Where("es.closes_at >= ? AND es.closes_at < ?", from, to).OrderExpr("es.closes_at, es.id")
	if err := rbac.Scope([]string{path}).Where(q, "o.path").Scan(ctx, &rs); err != nil {
		return err
	}
	byUser := map[int64]*Assessment{}
	for _, a := range list {
		byUser[a.Person.UserID.Int64] = a
	}
	slices.SortStableFunc(rs, func(a, b YearResult) int { // theory before skill within a session
		if !a.ClosesAt.Equal(b.ClosesAt) {
			return a.ClosesAt.Compare(b.ClosesAt)
		}
		return slices.Index(exams.PartKinds, a.Part) - slices.Index(exams.PartKinds, b.Part)
	})
	for _, r := range rs {
		if a := byUser[r.UserID]; a != nil {
			a.Results = append(a.Results, r)
		}
	}
	return nil
}

// yearRatings counts the year's service ratings (pay_ratings, imported by HR) per grade,
// leaving out those removed on appeal.
func (s *Store) yearRatings(ctx context.Context, path string, year int, list []*Assessment) error {
	var rows []struct {
		StaffID int64 `bun:"staff_id"`
		Grade   int   `bun:"grade"`
		N       int   `bun:"n"`
	}
	q := s.db.NewSelect().TableExpr("pay_ratings AS r").Join("JOIN staff AS s ON s.id = r.staff_id").
		Join("JOIN org_units AS o ON o.id = s.org_id").ColumnExpr("r.staff_id, r.grade, SUM(r.count) AS n").
		Where("r.removed_at IS NULL AND r.period >= ? AND r.period <= ?", strconv.Itoa(year)+"-01", strconv.Itoa(year)+"-12").
		GroupExpr("r.staff_id, r.grade")
	if err := rbac.Scope([]string{path}).Where(q, "o.path").Scan(ctx, &rows); err != nil {
		return err
	}
	byStaff := map[int64]*Assessment{}
	for _, a := range list {
		byStaff[a.Person.ID] = a
	}
	for _, r := range rows {
		if a := byStaff[r.StaffID]; a != nil && r.Grade >= 1 && r.Grade <= 5 {
			a.Ratings[r.Grade] += r.N
		}
	}
	return nil
}

// levelsHeld finds each person's highest valid level (the smallest level number).
func (s *Store) levelsHeld(ctx context.Context, path string, list []*Assessment) error {
	var rows []struct {
		StaffID int64 `bun:"staff_id"`
		Level   int   `bun:"level"`
	}
	q := s.db.NewSelect().TableExpr("certificates AS c").Join("JOIN staff AS s ON s.id = c.staff_id").
		Join("JOIN org_units AS o ON o.id = s.org_id").ColumnExpr("c.staff_id, MIN(c.level) AS level").
		Where("c.status = 'valid'").GroupExpr("c.staff_id")
	if err := rbac.Scope([]string{path}).Where(q, "o.path").Scan(ctx, &rows); err != nil {
		return err
	}
	for _, r := range rows {
		for _, a := range list {
			if a.Person.ID == r.StaffID {
				a.Level = r.Level
			}
		}
	}
	return nil
}

// satisfaction is the share of 满意 and 非常满意 among the ratings, as text.
func (a *Assessment) satisfaction() string {
	if a.Rated() == 0 {
		return ""
	}
	return fmt.Sprintf("%.1f%%", float64(a.Good())*100/float64(a.Rated()))
}
