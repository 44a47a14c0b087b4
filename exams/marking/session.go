package marking

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/exams/bank"
)

// The exam-session tables are written by exams/session; marking reads them through these
// small models and never writes them.

// examSession is the part of an exam session marking needs.
type examSession struct {
	bun.BaseModel `bun:"table:exam_sessions,alias:es"`

	ID                int64     `bun:"id,pk" json:"id"`
	Name              string    `bun:"name" json:"name"`
	Level             int       `bun:"level" json:"level"`
	StandardVersionID int64     `bun:"standard_version_id" json:"standard_version_id"`
	OrgID             int64     `bun:"org_id" json:"org_id"`
	OpensAt           time.Time `bun:"opens_at" json:"opens_at"`
	ClosesAt          time.Time `bun:"closes_at" json:"closes_at"`
	ResultsHeld       bool      `bun:"results_held" json:"results_held"`
	Status            string    `bun:"status" json:"status"`

	OrgPath string `bun:"org_path,scanonly" json:"-"`
	OrgName string `bun:"org_name,scanonly" json:"org_name"`
}

// LevelName names the session's level.
func (s *examSession) LevelName() string { return exams.LevelName(s.Level) }

type sessionPart struct {
	bun.BaseModel `bun:"table:session_parts,alias:sp"`

	ID        int64  `bun:"id,pk"`
	SessionID int64  `bun:"session_id"`
	Part      string `bun:"part"`
}

type attempt struct {
	bun.BaseModel `bun:"table:attempts,alias:a"`

	ID        int64  `bun:"id,pk"`
	SessionID int64  `bun:"session_id"`
	PartID    int64  `bun:"part_id"`
	UserID    int64  `bun:"user_id"`
	Status    string `bun:"status"`

	Part string `bun:"part,scanonly"`
}

// attemptOpen is the status of an attempt still being answered.
const attemptOpen = "open"

type attemptItem struct {
	bun.BaseModel `bun:"table:attempt_items,alias:ai"`

	AttemptID  int64   `bun:"attempt_id,pk"`
	Idx        int     `bun:"idx,pk"`
	QuestionID int64   `bun:"question_id"`
	Points     float64 `bun:"points"`
}

type attemptAnswer struct {
	bun.BaseModel `bun:"table:attempt_answers,alias:aa"`

	AttemptID int64         `bun:"attempt_id,pk"`
	Idx       int           `bun:"idx,pk"`
	Response  bank.Response `bun:"response"`
}

// sessionColumns are the exam_sessions columns the read model has; the table has more.
const sessionColumns = "es.id, es.name, es.level, es.standard_version_id, es.org_id, es.opens_at, es.closes_at, es.results_held, es.status"

// findSession loads a session with its unit's path and name, not-found when missing.
func findSession(ctx context.Context, tx bun.IDB, id int64) (*examSession, error) {
	s := new(examSession)
	err := tx.NewSelect().Model(s).ColumnExpr(sessionColumns).ColumnExpr("o.path AS org_path, o.name AS org_name").
		Join("JOIN org_units AS o ON o.id = es.org_id").Where("es.id = ?", id).Scan(ctx)
	if db.IsNoRows(err) {
		return nil, web.Errorf(web.ENOTFOUND, "考试场次不存在")
	}
	return s, err
}

func findAttempt(ctx context.Context, tx bun.IDB, id int64) (*attempt, error) {
	a := new(attempt)
	err := tx.NewSelect().Model(a).ColumnExpr("a.id, a.session_id, a.part_id, a.user_id, a.status").ColumnExpr("sp.part AS part").
		Join("JOIN session_parts AS sp ON sp.id = a.part_id").Where("a.id = ?", id).Scan(ctx)
	if db.IsNoRows(err) {
		return nil, web.Errorf(web.ENOTFOUND, "答卷不存在")
	}
	return a, err
}

// isAssessor reports whether user is an assessor (考评员) of the session.
func isAssessor(ctx context.Context, tx bun.IDB, sessionID, userID int64) (bool, error) {
	n, err := tx.NewSelect().Table("session_staff").
		Where("session_id = ? AND user_id = ? AND role = ?", sessionID, userID, "assessor").Count(ctx)
	return n > 0, err
}

func loadQuestions(ctx context.Context, tx bun.IDB, ids []int64) (map[int64]*bank.Question, error) {
	out := map[int64]*bank.Question{}
	if len(ids) == 0 {
		return out, nil
	}
	var list []*bank.Question
	if err := tx.NewSelect().Model(&list).Where("q.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	for _, q := range list {
		out[q.ID] = q
	}
	return out, nil
}

func partLabel(kind string) string { return exams.PartLabel(kind) }
