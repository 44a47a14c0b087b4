package competency

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"clerkskill/exams"
	"clerkskill/rbac"
)

// LevelRow counts one group's people by their level valid today: Counts[0] for none,
// Counts[k] for level k (1 一级 … 5 五级).
type LevelRow struct {
	Label  string `json:"label"`
	OrgID  int64  `json:"org_id,omitempty"`
	Counts [6]int `json:"counts"`
}

// SessionRate is one released session's pass rate among the unit's people: a candidate
// passes when every part they sat passed.
type SessionRate struct {
	SessionID int64     `json:"session_id"`
	Name      string    `json:"name"`
	Level     int       `json:"level"`
	ClosesAt  time.Time `json:"closes_at"`
	People    int       `json:"people"`
	Passed    int       `json:"passed"`
	Rate      float64   `json:"rate"`
}

// BranchRate is how often the unit's released results in a branch reach the gap line.
type BranchRate struct {
	Branch
	Results int     `json:"results"`
	AtLine  int     `json:"at_line"`
	Rate    float64 `json:"rate"`
	Average float64 `json:"average"`
}

// Month is one month's awards and the running total.
type Month struct {
	Month      string `json:"month"` // 2026-11
	Awards     int    `json:"awards"`
	Cumulative int    `json:"cumulative"`
}

// Dashboard is a unit's certification and competency figures.
type Dashboard struct {
	OrgID     int64         `json:"org_id"`
	OrgName   string        `json:"org_name"`
	GapBelow  int           `json:"gap_below"`
	ByUnit    []LevelRow    `json:"levels_by_unit"`
	ByTier    []LevelRow    `json:"levels_by_tier"`
	Sessions  []SessionRate `json:"pass_rates_by_session"`
	Branches  []BranchRate  `json:"pass_rates_by_branch"`
	Months    []Month       `json:"awards_by_month"`
	Certified int           `json:"certified"` // people holding a valid level today
	People    int           `json:"people"`
}

// BuildDashboard figures the unit's dashboard over its subtree.
func (s *Store) BuildDashboard(ctx context.Context, orgID int64) (*Dashboard, error) {
	o, err := s.unit(ctx, orgID)
	if err != nil {
		return nil, err
	}
	set, err := s.SettingsFor(ctx, orgID)
	if err != nil {
		return nil, err
	}
	d := &Dashboard{OrgID: o.ID, OrgName: o.Name, GapBelow: set.GapBelow}
	if err := s.levels(ctx, o, d); err != nil {
		return nil, err
	}
	if d.Sessions, err = s.sessionRates(ctx, o.Path); err != nil {
		return nil, err
	}
	if d.Branches, err = s.branchRates(ctx, o.Path, set.GapBelow); err != nil {
		return nil, err
	}
	d.Months, err = s.awardMonths(ctx, o.Path, 12)
	return d, err
}

// levels counts the subtree's people by level valid today, by child unit and by tier.
func (s *Store) levels(ctx context.Context, o *rbac.OrgUnit, d *Dashboard) error {
	var people []struct {
		StaffID int64     `bun:"staff_id"`
		Path    string    `bun:"path"`
		Tier    rbac.Tier `bun:"tier"`
	}
	err := s.db.NewSelect().TableExpr("staff AS st").ColumnExpr("st.id AS staff_id, o.path, o.tier").
		Join("JOIN org_units AS o ON o.id = st.org_id").Where("st.active = ?", true).
		Where("o.path >= ? AND o.path < ?", o.Path, pathUpper(o.Path)).Scan(ctx, &people)
	if err != nil {
		return fmt.Errorf("read staff: %w", err)
	}
	ids := make([]int64, len(people))
	for i, p := range people {
		ids[i] = p.StaffID
	}
	lv, err := s.register.CurrentLevels(ctx, ids, s.now())
	if err != nil {
		return fmt.Errorf("current levels: %w", err)
	}
	units, err := s.childUnits(ctx, o)
	if err != nil {
		return err
	}
	byUnit, byTier := make([]LevelRow, len(units)), map[rbac.Tier]*LevelRow{}
	for i, u := range units {
		byUnit[i] = LevelRow{Label: u.Name, OrgID: u.ID}
	}
	for _, p := range people {
		k := lv[p.StaffID]
		if k < 0 || k > 5 {
			k = 0
		}
		if k > 0 {
			d.Certified++
		}
		if i := unitOf(units, p.Path); i >= 0 {
			byUnit[i].Counts[k]++
		}
		if byTier[p.Tier] == nil {
			byTier[p.Tier] = &LevelRow{Label: p.Tier.Label()}
		}
		byTier[p.Tier].Counts[k]++
	}
	d.People, d.ByUnit = len(people), byUnit
	for _, t := range rbac.Tiers {
		if r := byTier[t]; r != nil {
			d.ByTier = append(d.ByTier, *r)
		}
	}
	return nil
}

// childUnits lists the unit itself (its own people) and its children (their subtrees).
func (s *Store) childUnits(ctx context.Context, o *rbac.OrgUnit) ([]*rbac.OrgUnit, error) {
	var kids []*rbac.OrgUnit
	if err := s.db.NewSelect().Model(&kids).Where("o.parent_id = ?", o.ID).OrderExpr("o.path").Scan(ctx); err != nil {
		return nil, err
	}
	own := *o
	own.Name += "（本级）"
	return append([]*rbac.OrgUnit{&own}, kids...), nil
}

// unitOf is the row of a person sitting at path: a child's subtree, else the unit itself.
func unitOf(units []*rbac.OrgUnit, path string) int {
	for i := 1; i < len(units); i++ {
		if strings.HasPrefix(path, units[i].Path) {
			return i
		}
	}
	if len(units) > 0 && path == units[0].Path {
		return 0
	}
	return -1
}

// sessionRates works out each released session's pass rate over the subtree's people.
func (s *Store) sessionRates(ctx context.Context, path string) ([]SessionRate, error) {
	var rows []struct {
		SessionID int64     `bun:"session_id"`
		Name      string    `bun:"name"`
		Level     int       `bun:"level"`
		ClosesAt  time.Time `bun:"closes_at"`
		UserID    int64     `bun:"user_id"`
		Failed    int       `bun:"failed"`
	}
	q := s.releasedResults(path, 0).
		ColumnExpr("pr.session_id, es.name, es.level, es.closes_at, pr.user_id").
		ColumnExpr("SUM(CASE WHEN pr.passed THEN 0 ELSE 1 END) AS failed").
		GroupExpr("pr.session_id, es.name, es.level, es.closes_at, pr.user_id")
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("read pass rates: %w", err)
	}
	by := map[int64]*SessionRate{}
	var out []*SessionRate
	for _, r := range rows {
		sr := by[r.SessionID]
		if sr == nil {
			sr = &SessionRate{SessionID: r.SessionID, Name: r.Name, Level: r.Level, ClosesAt: r.ClosesAt}
			by[r.SessionID] = sr
			out = append(out, sr)
		}
		sr.People++
		if r.Failed == 0 {
			sr.Passed++
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ClosesAt.After(out[j].ClosesAt) })
	list := make([]SessionRate, len(out))
	for i, sr := range out {
		sr.Rate = round1(float64(sr.Passed) / float64(sr.People) * 100)
		list[i] = *sr
	}
	return list, nil
}

// branchRates counts, per branch, the released results at or above the gap line.
func (s *Store) branchRates(ctx context.Context, path string, line int) ([]BranchRate, error) {
	ev, names, err := s.evidenceBy(ctx, s.feedQuery(path, 0))
	if err != nil {
		return nil, err
	}
	branches, err := s.branches(ctx, names)
	if err != nil {
		return nil, err
	}
	out := make([]BranchRate, 0, len(branches))
	for _, b := range branches {
		r := BranchRate{Branch: b}
		sum := 0.0
		for _, byCode := range ev {
			for _, e := range byCode[b.Code] {
				r.Results++
				sum += e.Percent
				if e.Percent >= float64(line) {
					r.AtLine++
				}
			}
		}
		if r.Results > 0 {
			r.Rate, r.Average = round1(float64(r.AtLine)/float64(r.Results)*100), round1(sum/float64(r.Results))
			out = append(out, r)
		}
	}
	return out, nil
}

// awardMonths counts the awards (not revoked) to the subtree's people per month over the
// last n months, China time, with the running total since the first award.
func (s *Store) awardMonths(ctx context.Context, path string, n int) ([]Month, error) {
	var days []struct {
		IssuedOn rbac.Date `bun:"issued_on"`
	}
	err := s.db.NewSelect().TableExpr("certificates AS ct").ColumnExpr("ct.issued_on").
		Join("JOIN staff AS st ON st.id = ct.staff_id").Join("JOIN org_units AS o ON o.id = st.org_id").
		Where("ct.status <> ?", "revoked").Where("o.path >= ? AND o.path < ?", path, pathUpper(path)).
		Scan(ctx, &days)
	if err != nil {
		return nil, fmt.Errorf("read awards: %w", err)
	}
	now := s.now().In(china)
	first := time.Date(now.Year(), now.Month()-time.Month(n-1), 1, 0, 0, 0, 0, china)
	out := make([]Month, n)
	for i := range out {
		out[i].Month = first.AddDate(0, i, 0).Format("2006-01")
	}
	before := 0
	for _, d := range days {
		m := d.IssuedOn.Format("2006-01")
		if m < out[0].Month {
			before++
			continue
		}
		for i := range out {
			if out[i].Month == m {
				out[i].Awards++
			}
		}
	}
	for i := range out {
		before += out[i].Awards
		out[i].Cumulative = before
	}
	return out, nil
}

var china = time.FixedZone("CST", 8*3600)

// LevelName is a level code's name (0: none).
func LevelName(k int) string {
	if k == 0 {
		return "未取得等级"
	}
	return exams.LevelName(k)
}

// Awarded is how many awards (not revoked) the unit's people have had in all.
func (d *Dashboard) Awarded() int {
	if len(d.Months) == 0 {
		return 0
	}
	return d.Months[len(d.Months)-1].Cumulative
}
