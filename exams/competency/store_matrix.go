package competency

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// MatrixFilter chooses a unit (with its subtree) and narrows and pages its people.
type MatrixFilter struct {
	OrgID    int64
	Query    string // part of a name, staff number or username
	GapsOnly bool   // only people with a gap (in Branch, when given)
	Branch   string
	Offset   int
	Limit    int
}

// Column is a matrix column with the unit's figures in it.
type Column struct {
	Branch
	People  int      `json:"people"` // people with a figure
	Gaps    int      `json:"gaps"`
	Average *float64 `json:"average"`
}

// Matrix is a unit's people × branches: every column over the whole subtree, the rows of
// the page asked for.
type Matrix struct {
	OrgID    int64    `json:"org_id"`
	OrgName  string   `json:"org_name"`
	Settings Settings `json:"settings"`
	Columns  []Column `json:"columns"`
	People   []Person `json:"people"`
	Total    int      `json:"total"` // people matching the filter
	Staff    int      `json:"staff"` // people in the subtree
	Offset   int      `json:"offset"`
	Limit    int      `json:"limit"`

	all []Person
}

// BuildMatrix figures the mastery of every active member of staff in the unit's subtree
// and returns the page the filter asks for. The unit's settings (own or inherited) apply.
func (s *Store) BuildMatrix(ctx context.Context, f MatrixFilter) (*Matrix, error) {
	m, err := s.fullMatrix(ctx, f.OrgID)
	if err != nil {
		return nil, err
	}
	m.page(f)
	return m, nil
}

func (s *Store) fullMatrix(ctx context.Context, orgID int64) (*Matrix, error) {
	o, err := s.unit(ctx, orgID)
	if err != nil {
		return nil, err
	}
	set, err := s.SettingsFor(ctx, orgID)
	if err != nil {
		return nil, err
	}
	people, err := s.staffIn(ctx, o.Path)
	if err != nil {
		return nil, err
	}
	ev, names, err := s.evidenceBy(ctx, s.feedQuery(o.Path, 0))
	if err != nil {
		return nil, err
	}
	branches, err := s.branches(ctx, names)
	if err != nil {
		return nil, err
	}
	m := &Matrix{OrgID: o.ID, OrgName: o.Name, Settings: set, Staff: len(people), all: people}
	m.fill(branches, ev, s.now())
	return m, nil
}

// staffIn lists the active staff sitting in the subtree, in tree order then staff number.
func (s *Store) staffIn(ctx context.Context, path string) ([]Person, error) {
	return s.findStaff(ctx, func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("st.active = ?", true).Where("o.path >= ? AND o.path < ?", path, pathUpper(path))
	})
}

// findStaff reads staff with their unit and account, in tree order then staff number.
func (s *Store) findStaff(ctx context.Context, where func(*bun.SelectQuery) *bun.SelectQuery) ([]Person, error) {
	var rows []struct {
		StaffID  int64   `bun:"staff_id"`
		UserID   *int64  `bun:"user_id"`
		Username *string `bun:"username"`
		Name     string  `bun:"name"`
		EmpNo    string  `bun:"emp_no"`
		OrgID    int64   `bun:"org_id"`
		OrgName  string  `bun:"org_name"`
		OrgPath  string  `bun:"org_path"`
	}
	q := s.db.NewSelect().TableExpr("staff AS st").
		ColumnExpr("st.id AS staff_id, u.id AS user_id, u.username, st.name, st.emp_no, o.id AS org_id, o.name AS org_name, o.path AS org_path").
		Join("JOIN org_units AS o ON o.id = st.org_id").Join("LEFT JOIN users AS u ON u.staff_id = st.id")
	if err := where(q).OrderExpr("o.path, st.emp_no").Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("read staff: %w", err)
	}
	out := make([]Person, len(rows))
	for i, r := range rows {
		out[i] = Person{StaffID: r.StaffID, Name: r.Name, EmpNo: r.EmpNo, OrgID: r.OrgID, OrgName: r.OrgName, orgPath: r.OrgPath}
		if r.UserID != nil {
			out[i].UserID, out[i].Username = *r.UserID, *r.Username
		}
	}
	return out, nil
}

// branches are the current standard's top branches, then any other branch code the
// results name (an older version's), by code.
func (s *Store) branches(ctx context.Context, seen map[string]string) ([]Branch, error) {
	v, err := s.standards.CurrentStandard(ctx)
	if err != nil {
		return nil, fmt.Errorf("current standard: %w", err)
	}
	var out []Branch
	known := map[string]bool{}
	for _, n := range v.Definition.Tree {
		out = append(out, Branch{Code: n.Code, Name: n.Name})
		known[n.Code] = true
	}
	var extra []Branch
	for code, name := range seen {
		if !known[code] {
			extra = append(extra, Branch{Code: code, Name: name})
		}
	}
	slices.SortFunc(extra, func(a, b Branch) int { return compareCodes(a.Code, b.Code) })
	return append(out, extra...), nil
}

// fill figures every cell and the columns' totals.
func (m *Matrix) fill(branches []Branch, ev map[int64]map[string][]Evidence, now time.Time) {
	m.Columns = make([]Column, len(branches))
	sums := make([]float64, len(branches))
	for j, b := range branches {
		m.Columns[j].Branch = b
	}
	for i := range m.all {
		p := &m.all[i]
		p.Cells = make([]Cell, len(branches))
		for j, b := range branches {
			c := personCell(ev[p.StaffID][b.Code], b.Code, m.Settings, now)
			p.Cells[j] = c
			if c.Percent != nil {
				m.Columns[j].People++
				sums[j] += *c.Percent
			}
			if c.Band == BandGap {
				m.Columns[j].Gaps++
				p.Gaps++
			}
		}
	}
	for j := range m.Columns {
		if n := m.Columns[j].People; n > 0 {
			avg := round1(sums[j] / float64(n))
			m.Columns[j].Average = &avg
		}
	}
}

func personCell(ev []Evidence, code string, set Settings, now time.Time) Cell {
	p, ev := figure(ev, set, now)
	return Cell{Code: code, Percent: p, Band: set.Band(p), Evidence: ev}
}

// page keeps the people the filter asks for, without their evidence (a person's page
// shows it).
func (m *Matrix) page(f MatrixFilter) {
	col := m.column(f.Branch)
	q := strings.ToLower(strings.TrimSpace(f.Query))
	var hits []Person
	for _, p := range m.all {
		if q != "" && !strings.Contains(strings.ToLower(p.Name+" "+p.EmpNo+" "+p.Username), q) {
			continue
		}
		if f.GapsOnly && (p.Gaps == 0 || col >= 0 && p.Cells[col].Band != BandGap) {
			continue
		}
		hits = append(hits, p)
	}
	m.Offset, m.Limit = max(0, f.Offset), f.Limit
	if m.Limit <= 0 || m.Limit > 200 {
		m.Limit = 50
	}
	m.Total = len(hits)
	if m.Offset < len(hits) {
		m.People = slices.Clone(hits[m.Offset:min(len(hits), m.Offset+m.Limit)])
	}
	for i := range m.People {
		m.People[i].Cells = bare(m.People[i].Cells)
	}
}

func bare(cells []Cell) []Cell {
	out := make([]Cell, len(cells))
	for i, c := range cells {
		out[i] = Cell{Code: c.Code, Percent: c.Percent, Band: c.Band}
	}
	return out
}

// column is the index of a branch's column, -1 for none.
func (m *Matrix) column(code string) int {
	for j, c := range m.Columns {
		if c.Code == code {
			return j
		}
	}
	return -1
}

// gapPeople lists the people with a gap in a branch, over the whole subtree.
func (m *Matrix) gapPeople(code string) []Person {
	j := m.column(code)
	var out []Person
	for _, p := range m.all {
		if j >= 0 && p.Cells[j].Band == BandGap {
			out = append(out, p)
		}
	}
	return out
}

// compareCodes orders tree codes numerically segment by segment ("2" before "10").
func compareCodes(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if len(as[i]) != len(bs[i]) {
			return len(as[i]) - len(bs[i])
		}
		if c := strings.Compare(as[i], bs[i]); c != 0 {
			return c
		}
	}
	return len(as) - len(bs)
}
