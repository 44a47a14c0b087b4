package training

import (
	"context"
	"sort"

	"github.com/uptrace/bun"
)

// ReportFilter chooses the unit, year and source of a report.
type ReportFilter struct {
	OrgID  int64  // the chosen unit; rows are it and its children
	Year   int    // calendar year, China time
	Source Source // one source, or all
	Page
}

// UnitRow is one unit's figures, rolled up over its subtree (the chosen unit's own row
// counts only people sitting directly in it).
type UnitRow struct {
	OrgID       int64   `bun:"org_id" json:"org_id"`
	Name        string  `bun:"name" json:"name"`
	Own         bool    `bun:"-" json:"own"` // the chosen unit itself, without its children
	People      int     `bun:"-" json:"people"`
	Learners    int     `bun:"learners" json:"learners"` // people with at least one entry
	Completions int     `bun:"completions" json:"completions"`
	Attendances int     `bun:"attendances" json:"attendances"`
	Externals   int     `bun:"externals" json:"externals"`
	Hours       float64 `bun:"hours" json:"hours"`
}

// Average is the hours per person in the unit.
func (r UnitRow) Average() float64 {
	if r.People == 0 {
		return 0
	}
	return Round1(r.Hours / float64(r.People))
}

// unitArea is a row's reach: the unit's whole subtree, or only the unit itself.
type unitArea struct {
	id         int64
	name, path string
	own        bool
}

// ByUnit reports completions and hours for the chosen unit's own people, then for each
// child unit over its subtree. It returns the page of rows, the total row count and the
// chosen unit's overall figures.
func (s *Store) ByUnit(ctx context.Context, f ReportFilter) ([]UnitRow, int, UnitRow, error) {
	f.Page = f.Page.Normalize()
	areas, err := s.unitAreas(ctx, f.OrgID)
	if err != nil {
		return nil, 0, UnitRow{}, err
	}
	rows := make([]UnitRow, 0, len(areas))
	var total UnitRow
	for i, a := range areas {
		r, err := s.unitFigures(ctx, a, f)
		if err != nil {
			return nil, 0, UnitRow{}, err
		}
		if i > 0 || r.People > 0 || r.Hours > 0 {
			rows = append(rows, r)
		}
		total = addRow(total, r)
	}
	if total.Learners, err = s.learners(ctx, areas[0].path, false, f); err != nil {
		return nil, 0, UnitRow{}, err
	}
	total.OrgID, total.Name, total.Hours = areas[0].id, areas[0].name, Round1(total.Hours)
	return pageOf(rows, f.Page), len(rows), total, nil
}

func addRow(t, r UnitRow) UnitRow {
	t.People += r.People
	t.Completions += r.Completions
	t.Attendances += r.Attendances
	t.Externals += r.Externals
	t.Hours += r.Hours
	return t
}

func pageOf[T any](rows []T, p Page) []T {
	if p.Offset >= len(rows) {
		return nil
	}
	return rows[p.Offset:min(len(rows), p.Offset+p.Limit)]
}

// unitAreas lists the chosen unit (own people only) and its children (whole subtrees).
func (s *Store) unitAreas(ctx context.Context, orgID int64) ([]unitArea, error) {
	var units []struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
		Path string `bun:"path"`
	}
	err := s.db.NewSelect().Table("org_units").Column("id", "name", "path").
		Where("id = ? OR parent_id = ?", orgID, orgID).OrderExpr("CASE WHEN id = ? THEN 0 ELSE 1 END, id", orgID).Scan(ctx, &units)
	if err != nil {
		return nil, err
	}
	if len(units) == 0 || units[0].ID != orgID {
		_, err := findOrgPath(ctx, s.db, orgID)
		return nil, err
	}
	out := make([]unitArea, len(units))
	for i, u := range units {
		out[i] = unitArea{id: u.ID, name: u.Name, path: u.Path, own: i == 0}
	}
	return out, nil
}

// unitFigures counts one area's people and sums its ledger.
func (s *Store) unitFigures(ctx context.Context, a unitArea, f ReportFilter) (UnitRow, error) {
	r := UnitRow{OrgID: a.id, Name: a.name, Own: a.own}
	q := s.db.NewSelect().Model((*Entry)(nil)).
		ColumnExpr("COUNT(DISTINCT h.user_id) AS learners, COALESCE(SUM(h.hours), 0.0) AS hours").
		ColumnExpr("COALESCE(SUM(CASE WHEN h.source = 'course' THEN 1 ELSE 0 END), 0) AS completions").
		ColumnExpr("COALESCE(SUM(CASE WHEN h.source = 'event' THEN 1 ELSE 0 END), 0) AS attendances").
		ColumnExpr("COALESCE(SUM(CASE WHEN h.source = 'external' THEN 1 ELSE 0 END), 0) AS externals").
		Join("JOIN org_units AS o ON o.id = h.org_id")
	if err := areaWhere(ledgerWhere(q, f), a).Scan(ctx, &r); err != nil {
		return r, err
	}
	r.Hours = Round1(r.Hours)
	pq := s.db.NewSelect().TableExpr("staff AS s").Join("JOIN org_units AS o ON o.id = s.org_id").Where("s.active = ?", true)
	n, err := areaWhere(pq, a).Count(ctx)
	r.People = int(n)
	return r, err
}

func areaWhere(q *bun.SelectQuery, a unitArea) *bun.SelectQuery {
	if a.own {
		return q.Where("o.id = ?", a.id)
	}
	return inSubtree(q, "o.path", a.path)
}

func ledgerWhere(q *bun.SelectQuery, f ReportFilter) *bun.SelectQuery {
	q = q.Where("h.year = ? AND h.voided_at IS NULL", f.Year)
	if f.Source != "" {
		q = q.Where("h.source = ?", f.Source)
	}
	return q
}

// learners counts the distinct people with entries in a subtree.
func (s *Store) learners(ctx context.Context, path string, own bool, f ReportFilter) (int, error) {
	var n []int
	q := s.db.NewSelect().Model((*Entry)(nil)).ColumnExpr("COUNT(DISTINCT h.user_id)").Join("JOIN org_units AS o ON o.id = h.org_id")
	err := areaWhere(ledgerWhere(q, f), unitArea{path: path, own: own}).Scan(ctx, &n)
	if err != nil || len(n) == 0 {
		return 0, err
	}
	return n[0], nil
}

// CourseRow is one course's (or event's) figures in the chosen unit's subtree; external
// training is one row.
type CourseRow struct {
	Source   Source  `bun:"source" json:"source"`
	CourseID *int64  `bun:"course_id" json:"course_id,omitempty"`
	EventID  *int64  `bun:"event_id" json:"event_id,omitempty"`
	Title    string  `bun:"title" json:"title"`
	People   int     `bun:"people" json:"people"`
	Entries  int     `bun:"entries" json:"entries"`
	Hours    float64 `bun:"hours" json:"hours"`
}

// SourceLabel is the row source's Chinese name.
func (r CourseRow) SourceLabel() string { return r.Source.Label() }

// ByCourse reports, per course and per event, how many people completed or attended it
// and the hours earned, most hours first.
func (s *Store) ByCourse(ctx context.Context, f ReportFilter) ([]CourseRow, int, error) {
	f.Page = f.Page.Normalize()
	path, err := findOrgPath(ctx, s.db, f.OrgID)
	if err != nil {
		return nil, 0, err
	}
	var rows []CourseRow
	q := s.db.NewSelect().Model((*Entry)(nil)).
		ColumnExpr("h.source, h.course_id, CASE WHEN h.source = 'event' THEN h.event_id END AS event_id").
		ColumnExpr("MAX(CASE WHEN h.source = 'external' THEN '' ELSE h.title END) AS title").
		ColumnExpr("COUNT(DISTINCT h.user_id) AS people, COUNT(*) AS entries, SUM(h.hours) AS hours").
		Join("JOIN org_units AS o ON o.id = h.org_id").
		GroupExpr("h.source, h.course_id, CASE WHEN h.source = 'event' THEN h.event_id END")
	if err := inSubtree(ledgerWhere(q, f), "o.path", path).Scan(ctx, &rows); err != nil {
		return nil, 0, err
	}
	s.titleRows(ctx, rows)
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Hours != rows[j].Hours {
			return rows[i].Hours > rows[j].Hours
		}
		return rows[i].Title < rows[j].Title
	})
	return pageOf(rows, f.Page), len(rows), nil
}

// titleRows names course rows from the courses table and the external row.
func (s *Store) titleRows(ctx context.Context, rows []CourseRow) {
	var ids []int64
	for _, r := range rows {
		if r.Source == SourceCourse && r.CourseID != nil {
			ids = append(ids, *r.CourseID)
		}
	}
	titles := s.courseTitles(ctx, ids)
	for i := range rows {
		rows[i].Hours = Round1(rows[i].Hours)
		switch {
		case rows[i].Source == SourceExternal:
			rows[i].Title = "外部培训（合计）"
		case rows[i].Source == SourceCourse && rows[i].CourseID != nil:
			rows[i].Title = titles[*rows[i].CourseID]
		}
	}
}
