package certify

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/rbac"
)

// The exam-session and result tables are written by exams/session and exams/marking;
// decisions read them through these small models and never write them.

// AwardSession is the part of an exam session a decision needs, with its unit.
type AwardSession struct {
	bun.BaseModel `bun:"table:exam_sessions,alias:es"`

	ID                int64     `bun:"id,pk" json:"id"`
	Name              string    `bun:"name" json:"name"`
	Level             int       `bun:"level" json:"level"`
	StandardVersionID int64     `bun:"standard_version_id" json:"standard_version_id"`
	OrgID             int64     `bun:"org_id" json:"org_id"`
	ClosesAt          time.Time `bun:"closes_at" json:"closes_at"`
	ResultsHeld       bool      `bun:"results_held" json:"results_held"`

	OrgPath string `bun:"org_path,scanonly" json:"-"`
	OrgName string `bun:"org_name,scanonly" json:"org_name"`
}

// LevelName names the session's level (五级 …).
func (s *AwardSession) LevelName() string { return exams.LevelName(s.Level) }

const awardSessionColumns = "es.id, es.name, es.level, es.standard_version_id, es.org_id, es.closes_at, es.results_held"

// findAwardSession loads a session with its unit; on PostgreSQL lock takes a row lock so
// decisions on one session run one after another (SQLite serialises writers anyway).
func findAwardSession(ctx context.Context, tx bun.IDB, id int64, lock bool) (*AwardSession, error) {
	s := new(AwardSession)
	q := tx.NewSelect().Model(s).ColumnExpr(awardSessionColumns).ColumnExpr("o.path AS org_path, o.name AS org_name").
		Join("JOIN org_units AS o ON o.id = es.org_id").Where("es.id = ?", id)
	if lock && db.IsPostgres(tx) {
		q = q.For("UPDATE OF es")
	}
	err := q.Scan(ctx)
	if db.IsNoRows(err) {
		return nil, web.Errorf(web.ENOTFOUND, "考试场次不存在")
	}
	return s, err
}

// releasedAt says when a session's results came out: a trainer's release, or the close
// of a session whose results are not held. Nil means not yet.
func releasedAt(ctx context.Context, tx bun.IDB, s *AwardSession, now time.Time) (*time.Time, error) {
	var at []time.Time
	err := tx.NewSelect().Table("result_releases").Column("released_at").Where("session_id = ?", s.ID).Scan(ctx, &at)
	switch {
	case err != nil:
		return nil, err
	case len(at) > 0:
		return &at[0], nil
	case !s.ResultsHeld && !now.Before(s.ClosesAt):
		return &s.ClosesAt, nil
	}
	return nil, nil
}

// candidateRow is a candidate of a session with the person behind the account.
type candidateRow struct {
	UserID   int64   `bun:"user_id"`
	StaffID  *int64  `bun:"staff_id"`
	Name     string  `bun:"name"`
	EmpNo    string  `bun:"emp_no"`
	IDNumber *string `bun:"id_number"`
	OrgName  string  `bun:"org_name"`
}

func findCandidates(ctx context.Context, tx bun.IDB, sessionID int64) ([]candidateRow, error) {
	var out []candidateRow
	err := tx.NewSelect().TableExpr("session_candidates AS sc").
		ColumnExpr("sc.user_id, u.staff_id, COALESCE(s.name, u.display_name) AS name").
		ColumnExpr("COALESCE(s.emp_no, '') AS emp_no, s.id_number, COALESCE(o.name, '') AS org_name").
		Join("JOIN users AS u ON u.id = sc.user_id").
		Join("LEFT JOIN staff AS s ON s.id = u.staff_id").
		Join("LEFT JOIN org_units AS o ON o.id = s.org_id").
		Where("sc.session_id = ?", sessionID).OrderExpr("o.path, s.emp_no, sc.user_id").Scan(ctx, &out)
	return out, err
}

// resultRow is one part result of a candidate as marking computed it.
type resultRow struct {
	UserID   int64   `bun:"user_id"`
	Part     string  `bun:"part"`
	Score    float64 `bun:"score"`
	PassMark int     `bun:"pass_mark"`
	Passed   bool    `bun:"passed"`
	Complete bool    `bun:"complete"`
}

// findResults returns the session's part results by user and part.
func findResults(ctx context.Context, tx bun.IDB, sessionID int64) (map[int64]map[string]resultRow, error) {
	var rows []resultRow
	err := tx.NewSelect().Table("part_results").Column("user_id", "part", "score", "pass_mark", "passed", "complete").
		Where("session_id = ?", sessionID).Scan(ctx, &rows)
	out := map[int64]map[string]resultRow{}
	for _, r := range rows {
		if out[r.UserID] == nil {
			out[r.UserID] = map[string]resultRow{}
		}
		out[r.UserID][r.Part] = r
	}
	return out, err
}

// findReviews returns the session's 综合评审 scores by user.
func findReviews(ctx context.Context, tx bun.IDB, sessionID int64) (map[int64]*ReviewScore, error) {
	var rows []*ReviewScore
	err := tx.NewSelect().Model(&rows).Where("session_id = ?", sessionID).Scan(ctx)
	out := map[int64]*ReviewScore{}
	for _, r := range rows {
		out[r.UserID] = r
	}
	return out, err
}

// sessionCertificates returns the certificates awarded from a session by staff id.
func sessionCertificates(ctx context.Context, tx bun.IDB, sessionID int64) (map[int64]*Certificate, error) {
	var rows []*Certificate
	err := tx.NewSelect().Model(&rows).Where("session_id = ?", sessionID).Scan(ctx)
	out := map[int64]*Certificate{}
	for _, c := range rows {
		out[c.StaffID] = c
	}
	return out, err
}

// standardLevel is the level definition of the standard version a session used, read
// through tx: inside a transaction a second pooled connection could wait on the first.
func standardLevel(ctx context.Context, tx bun.IDB, versionID int64, level int) (*exams.Standard, *exams.Level, error) {
	v := new(exams.StandardVersion)
	err := tx.NewSelect().Model(v).Where("sv.id = ?", versionID).Scan(ctx)
	if db.IsNoRows(err) {
		return nil, nil, web.Errorf(web.ENOTFOUND, "标准版本不存在")
	}
	if err != nil {
		return nil, nil, err
	}
	lv := v.Definition.Level(level)
	if lv == nil {
		return nil, nil, web.Errorf(web.EINVALID, "标准版本%s没有%s", v.VersionLabel, exams.LevelName(level))
	}
	return v.Definition, lv, nil
}

// AwardSessionRow is a session whose results are out, with how many it may award.
type AwardSessionRow struct {
	AwardSession `bun:",extend"`

	ReleasedAt *time.Time `bun:"released_at,scanonly" json:"released_at"`
	Candidates int        `bun:"candidates,scanonly" json:"candidates"`
	Awarded    int        `bun:"awarded,scanonly" json:"awarded"`
}

// FindAwardSessions lists the sessions of the scope's units whose results are out,
// latest first.
func (s *Store) FindAwardSessions(ctx context.Context, scope rbac.Scope) ([]*AwardSessionRow, error) {
	var rows []*AwardSessionRow
	q := s.db.NewSelect().Model(&rows).ColumnExpr(awardSessionColumns).
		ColumnExpr("o.path AS org_path, o.name AS org_name, COALESCE(rr.released_at, es.closes_at) AS released_at").
		ColumnExpr("(SELECT COUNT(*) FROM session_candidates AS sc WHERE sc.session_id = es.id) AS candidates").
		ColumnExpr("(SELECT COUNT(*) FROM certificates AS ct WHERE ct.session_id = es.id) AS awarded").
		Join("JOIN org_units AS o ON o.id = es.org_id").
		Join("LEFT JOIN result_releases AS rr ON rr.session_id = es.id").
		Where("rr.session_id IS NOT NULL OR (es.results_held = ? AND es.closes_at <= ?)", false, s.now())
	err := scope.Where(q, "o.path").OrderExpr("es.closes_at DESC, es.id DESC").Limit(200).Scan(ctx)
	return rows, err
}
