// Package marking marks exam attempts and publishes their results: objective items mark
// themselves, hand-marked items and practical tasks go to the session's assessors (with
// double marking and arbitration for practical tasks when the session asks for it), every
// score change is audited, results are held until a trainer releases them, candidates may
// ask for a review within a set time, and item analysis flags questions for their owners.
//
// It reads the exam-session tables (exam_sessions, session_parts, session_staff, attempts,
// attempt_items, attempt_answers) through its own small read models in session.go.
package marking

import (
	"math"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/exams/bank"
)

// Item statuses.
const (
	StatusAuto        = "auto"        // an objective item, marked by the system
	StatusPending     = "pending"     // a hand-marked item waiting for its marks
	StatusArbitration = "arbitration" // two marks differ by more than the margin
	StatusMarked      = "marked"      // a hand-marked item with its final score
)

// Assessor roles on one item.
const (
	RoleFirst   = "first"
	RoleSecond  = "second"
	RoleArbiter = "arbiter"
)

// Audit sources: what changed a score.
const (
	SourceAuto    = "auto"    // objective marking at submission
	SourceMark    = "mark"    // an assessor's mark settled the score
	SourceReview  = "review"  // the answer to a candidate's review request
	SourceSheet   = "sheet"   // a paper score sheet
	SourceArbiter = "arbiter" // an arbiter's mark settled the score
)

// Review statuses.
const (
	ReviewOpen    = "open"
	ReviewKept    = "kept"
	ReviewChanged = "changed"
)

// DefaultReviewDays is how long after release a candidate may ask for a review when the
// session sets nothing else.
const DefaultReviewDays = 7

// Settings are a session's marking rules. With DoublePractical each practical task is
// marked by two assessors independently; when their marks (on the task's own rubric
// scale) differ by more than Margin a third assessor arbitrates and the arbiter's mark
// stands, otherwise the item gets the mean of the two.
type Settings struct {
	bun.BaseModel `bun:"table:marking_settings,alias:ms"`

	SessionID       int64     `bun:"session_id,pk" json:"session_id"`
	DoublePractical bool      `bun:"double_practical" json:"double_practical"`
	Margin          float64   `bun:"margin" json:"margin"`
	ReviewDays      int       `bun:"review_days" json:"review_days"`
	UpdatedBy       *int64    `bun:"updated_by" json:"-"`
	UpdatedAt       time.Time `bun:"updated_at" json:"updated_at"`
}

// Validate checks the settings' ranges.
func (s *Settings) Validate() error {
	f := map[string]string{}
	if s.Margin < 0 || s.Margin > 100 || math.IsNaN(s.Margin) {
		f["margin"] = "双评分差须在0至100分之间"
	}
	if s.ReviewDays < 0 || s.ReviewDays > 90 {
		f["review_days"] = "复核申请期限须在0至90天之间"
	}
	return web.Invalid(f)
}

// markedAttempt is the marker's claim of one attempt.
type markedAttempt struct {
	bun.BaseModel `bun:"table:marked_attempts,alias:ma"`

	AttemptID int64     `bun:"attempt_id,pk"`
	SessionID int64     `bun:"session_id"`
	MarkedAt  time.Time `bun:"marked_at"`
}

// ItemMark is the current mark of one item of an attempt. Score is on the item's points
// on the paper, nil until the item is settled.
type ItemMark struct {
	bun.BaseModel `bun:"table:item_marks,alias:im"`

	AttemptID    int64     `bun:"attempt_id,pk" json:"attempt_id"`
	Idx          int       `bun:"idx,pk" json:"idx"`
	SessionID    int64     `bun:"session_id" json:"session_id"`
	QuestionID   int64     `bun:"question_id" json:"question_id"`
	Type         bank.Type `bun:"qtype" json:"type"`
	Code         string    `bun:"code" json:"code"`
	Points       float64   `bun:"points" json:"points"`
	Score        *float64  `bun:"score" json:"score"`
	Status       string    `bun:"status" json:"status"`
	DoubleMarked bool      `bun:"double_marked" json:"double_marked"`
	Choice       string    `bun:"choice" json:"-"`
	Answered     bool      `bun:"answered" json:"answered"`
	UpdatedAt    time.Time `bun:"updated_at" json:"-"`
}

// Settled reports whether the item has its final score.
func (m *ItemMark) Settled() bool { return m.Status == StatusAuto || m.Status == StatusMarked }

// AssessorMark is one assessor's mark of a hand-marked item, on the question's own scale:
// per rubric criterion for a practical task, one figure for a short answer.
type AssessorMark struct {
	bun.BaseModel `bun:"table:assessor_marks,alias:am"`

	ID         int64     `bun:"id,pk,autoincrement" json:"id"`
	AttemptID  int64     `bun:"attempt_id" json:"attempt_id"`
	Idx        int       `bun:"idx" json:"idx"`
	AssessorID int64     `bun:"assessor_id" json:"assessor_id"`
	Role       string    `bun:"role" json:"role"`
	Criteria   []float64 `bun:"criteria" json:"criteria,omitempty"`
	Raw        float64   `bun:"raw" json:"raw"`
	Comment    string    `bun:"comment" json:"comment"`
	Via        string    `bun:"via" json:"via"`
	MarkedAt   time.Time `bun:"marked_at" json:"marked_at"`
}

// AuditEntry is one change of an item's score.
type AuditEntry struct {
	bun.BaseModel `bun:"table:score_audit,alias:sa"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	SessionID int64     `bun:"session_id" json:"session_id"`
	AttemptID int64     `bun:"attempt_id" json:"attempt_id"`
	Idx       int       `bun:"idx" json:"idx"`
	ActorID   *int64    `bun:"actor_id" json:"actor_id"`
	At        time.Time `bun:"at" json:"at"`
	OldScore  *float64  `bun:"old_score" json:"old_score"`
	NewScore  *float64  `bun:"new_score" json:"new_score"`
	Source    string    `bun:"source" json:"source"`
	Reason    string    `bun:"reason" json:"reason"`

	ActorName string `bun:"actor_name,scanonly" json:"actor_name,omitempty"`
}

// SourceLabel names the source in Chinese.
func (a *AuditEntry) SourceLabel() string { return sourceLabels[a.Source] }

var sourceLabels = map[string]string{SourceAuto: "自动判分", SourceMark: "考评员评分", SourceReview: "复核",
	SourceSheet: "纸质评分表", SourceArbiter: "仲裁评分"}

// Release is a trainer's release of a session's results.
type Release struct {
	bun.BaseModel `bun:"table:result_releases,alias:rr"`

	SessionID  int64     `bun:"session_id,pk"`
	ReleasedBy *int64    `bun:"released_by"`
	ReleasedAt time.Time `bun:"released_at"`
}

// BranchMark is a part's marks in one top branch of the standard.
type BranchMark struct {
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	Earned   float64 `json:"earned"`
	Possible float64 `json:"possible"`
	Percent  float64 `json:"percent"` // Earned out of Possible, 0–100
}

// PartResult is one attempt's result on one part, tied to the standard version the
// session used. Score is out of 100 whatever the paper's total.
type PartResult struct {
	bun.BaseModel `bun:"table:part_results,alias:pr"`

	AttemptID         int64        `bun:"attempt_id,pk" json:"attempt_id"`
	SessionID         int64        `bun:"session_id" json:"session_id"`
	UserID            int64        `bun:"user_id" json:"user_id"`
	Part              string       `bun:"part" json:"part"`
	StandardVersionID int64        `bun:"standard_version_id" json:"standard_version_id"`
	Earned            float64      `bun:"earned" json:"earned"`
	Possible          float64      `bun:"possible" json:"possible"`
	Score             float64      `bun:"score" json:"score"`
	PassMark          int          `bun:"pass_mark" json:"pass_mark"`
	Passed            bool         `bun:"passed" json:"passed"`
	Complete          bool         `bun:"complete" json:"complete"`
	Branches          []BranchMark `bun:"branches" json:"branches"`
	ComputedAt        time.Time    `bun:"computed_at" json:"computed_at"`

	UserName string `bun:"user_name,scanonly" json:"user_name,omitempty"`
}

// PartLabel is the part's Chinese name.
func (r *PartResult) PartLabel() string { return partLabel(r.Part) }

// ReviewRequest is a candidate's request to review one item, with its answer.
type ReviewRequest struct {
	bun.BaseModel `bun:"table:review_requests,alias:rq"`

	ID          int64      `bun:"id,pk,autoincrement" json:"id"`
	SessionID   int64      `bun:"session_id" json:"session_id"`
	AttemptID   int64      `bun:"attempt_id" json:"attempt_id"`
	Idx         int        `bun:"idx" json:"idx"`
	UserID      int64      `bun:"user_id" json:"user_id"`
	Reason      string     `bun:"reason" json:"reason"`
	RequestedAt time.Time  `bun:"requested_at" json:"requested_at"`
	Status      string     `bun:"status" json:"status"`
	OldScore    *float64   `bun:"old_score" json:"old_score"`
	NewScore    *float64   `bun:"new_score" json:"new_score"`
	Answer      string     `bun:"answer" json:"answer"`
	AnsweredBy  *int64     `bun:"answered_by" json:"answered_by,omitempty"`
	AnsweredAt  *time.Time `bun:"answered_at" json:"answered_at,omitempty"`

	UserName string `bun:"user_name,scanonly" json:"user_name,omitempty"`
}

// StatusLabel names the review status in Chinese.
func (r *ReviewRequest) StatusLabel() string {
	return map[string]string{ReviewOpen: "待答复", ReviewKept: "维持原分", ReviewChanged: "已改分"}[r.Status]
}

// round2 rounds to hundredths, so scores add up without float dust.
func round2(v float64) float64 { return math.Round(v*100) / 100 }

func ptr[T any](v T) *T { return &v }
