package sheets

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"clerkskill/exams"
	"clerkskill/exports"
)

// GradeSession is the exam session a 成绩单 is for.
type GradeSession struct {
	ID       int64     `bun:"id"`
	Name     string    `bun:"name"`
	Level    int       `bun:"level"`
	OrgName  string    `bun:"org_name"`
	OrgPath  string    `bun:"org_path"`
	ClosesAt time.Time `bun:"closes_at"`
}

// Branch is one top branch of the standard a part's marks are kept for.
type Branch struct {
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	Earned   float64 `json:"earned"`
	Possible float64 `json:"possible"`
	Percent  float64 `json:"percent"`
}

type partResult struct {
	UserID   int64    `bun:"user_id"`
	Part     string   `bun:"part"`
	Score    float64  `bun:"score"`
	Passed   bool     `bun:"passed"`
	Complete bool     `bun:"complete"`
	Branches []Branch `bun:"branches"`
}

type candidate struct {
	UserID   int64          `bun:"user_id"`
	Name     string         `bun:"name"`
	EmpNo    sql.NullString `bun:"emp_no"`
	OrgName  sql.NullString `bun:"org_name"`
	StaffID  sql.NullInt64  `bun:"staff_id"`
	Level    sql.NullInt64  `bun:"level"`
	CertStat sql.NullString `bun:"cert_status"`
}

// Gradebook is a session's 成绩单: every candidate with each part's score, the marks per
// standard branch, the outcome and the level awarded.
type Gradebook struct {
	Session    GradeSession
	Parts      []string
	Branches   map[string][]Branch // per part, the branch columns in code order
	Candidates []candidate
	Results    map[int64]map[string]partResult // user → part → result
}

// FindGradeSession loads the session a 成绩单 is asked for (its unit's path for the
// caller's check).
func (s *Store) FindGradeSession(ctx context.Context, id int64) (*GradeSession, error) {
	gs := new(GradeSession)
	err := s.db.NewSelect().TableExpr("exam_sessions AS es").Join("JOIN org_units AS o ON o.id = es.org_id").
		ColumnExpr("es.id, es.name, es.level, es.closes_at, o.name AS org_name, o.path AS org_path").
		Where("es.id = ?", id).Scan(ctx, gs)
	return gs, notFound(err, "考试场次")
}

// Gradebook reads the 成绩单 of session.
func (s *Store) Gradebook(ctx context.Context, gs *GradeSession) (*Gradebook, error) {
	g := &Gradebook{Session: *gs, Branches: map[string][]Branch{}, Results: map[int64]map[string]partResult{}}
	err := s.db.NewSelect().Table("session_parts").Column("part").Where("session_id = ?", gs.ID).Scan(ctx, &g.Parts)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(g.Parts, func(a, b string) int { return slices.Index(exams.PartKinds, a) - slices.Index(exams.PartKinds, b) })
	if err := s.gradeCandidates(ctx, g); err != nil {
		return nil, err
	}
	return g, s.gradeResults(ctx, g)
}

func (s *Store) gradeCandidates(ctx context.Context, g *Gradebook) error {
	return s.db.NewSelect().TableExpr("session_candidates AS sc").Join("JOIN users AS u ON u.id = sc.user_id").
		Join("LEFT JOIN staff AS s ON s.id = u.staff_id").Join("LEFT JOIN org_units AS o ON o.id = s.org_id").
		Join("LEFT JOIN certificates AS c ON c.staff_id = s.id AND c.session_id = sc.session_id").
		ColumnExpr("sc.user_id, COALESCE(s.name, u.display_name) AS name, s.emp_no, o.name AS org_name, s.id AS staff_id").
		ColumnExpr("c.level, c.status AS cert_status").
		Where("sc.session_id = ?", g.Session.ID).OrderExpr("o.path, s.emp_no, u.username").Scan(ctx, &g.Candidates)
}

// gradeResults reads the part results, and 综合评审 panel scores as review results.
func (s *Store) gradeResults(ctx context.Context, g *Gradebook) error {
	var rs []partResult
	err := s.db.NewSelect().Table("part_results").Column("user_id", "part", "score", "passed", "complete", "branches").
		Where("session_id = ?", g.Session.ID).Scan(ctx, &rs)
	if err != nil {
		return err
	}
	var reviews []partResult
	err = s.db.NewSelect().Table("review_scores").ColumnExpr("user_id, 'review' AS part, score, passed, TRUE AS complete").
		Where("session_id = ?", g.Session.ID).Scan(ctx, &reviews)
	if err != nil {
		return err
	}
	for _, r := range append(rs, reviews...) {
		if g.Results[r.UserID] == nil {
			g.Results[r.UserID] = map[string]partResult{}
		}
		g.Results[r.UserID][r.Part] = r
		g.addBranches(r)
	}
	return nil
}

func (g *Gradebook) addBranches(r partResult) {
	for _, b := range r.Branches {
		if !slices.ContainsFunc(g.Branches[r.Part], func(x Branch) bool { return x.Code == b.Code }) {
			g.Branches[r.Part] = append(g.Branches[r.Part], Branch{Code: b.Code, Name: b.Name})
		}
	}
	slices.SortFunc(g.Branches[r.Part], func(a, b Branch) int { return compareCodes(a.Code, b.Code) })
}

// Columns is the 成绩单's header: the candidate, each part's score and branch marks, the
// outcome and the level.
func (g *Gradebook) Columns() []exports.Column {
	cols := []exports.Column{{Header: "序号", Width: 6}, {Header: "姓名", Width: 10}, {Header: "工号", Width: 12},
		{Header: "单位", Width: 24}}
	for _, p := range g.Parts {
		cols = append(cols, exports.Column{Header: exams.PartLabel(p) + "成绩", Width: 10})
		for _, b := range g.Branches[p] {
			cols = append(cols, exports.Column{Header: fmt.Sprintf("%s·%s %s 得分率%%", exams.PartLabel(p), b.Code, b.Name), Width: 14})
		}
	}
	return append(cols, exports.Column{Header: "结果", Width: 10}, exports.Column{Header: "认定等级", Width: 14})
}

// Write writes the 成绩单 to w.
func (g *Gradebook) Write(w io.Writer) error {
	b, sh, err := newSheetBook("成绩单", g.Columns(), exports.Layout{Landscape: true})
	if err != nil {
		return err
	}
	defer b.Close()
	for i, c := range g.Candidates {
		if err := sh.Row(g.row(i+1, c)...); err != nil {
			return err
		}
	}
	return b.Write(w)
}

func (g *Gradebook) row(n int, c candidate) []any {
	out := []any{n, c.Name, c.EmpNo.String, c.OrgName.String}
	res := g.Results[c.UserID]
	for _, p := range g.Parts {
		r, ok := res[p]
		out = append(out, scoreCell(r.Score, ok))
		for _, b := range g.Branches[p] {
			i := slices.IndexFunc(r.Branches, func(x Branch) bool { return x.Code == b.Code })
			out = append(out, scoreCell(branchPercent(r.Branches, i), ok && i >= 0))
		}
	}
	return append(out, g.outcome(res), levelCell(c))
}

func branchPercent(bs []Branch, i int) float64 {
	if i < 0 {
		return 0
	}
	return bs[i].Percent
}

func scoreCell(v float64, ok bool) any {
	if !ok {
		return nil
	}
	return math.Round(v*10) / 10
}

// outcome is 合格 when every part passed, 缺考 when a part has no result, 未完成 while
// hand marking is under way, else 不合格.
func (g *Gradebook) outcome(res map[string]partResult) string {
	out := "合格"
	for _, p := range g.Parts {
		r, ok := res[p]
		switch {
		case !ok:
			return "缺考"
		case !r.Complete:
			out = "未完成阅卷"
		case !r.Passed && out == "合格":
			out = "不合格"
		}
	}
	return out
}

func levelCell(c candidate) string {
	if !c.Level.Valid {
		return ""
	}
	l := exams.LevelName(int(c.Level.Int64))
	if c.CertStat.String != "valid" {
		l += "（" + statusLabel(c.CertStat.String) + "）"
	}
	return l
}
