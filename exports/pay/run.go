package pay

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
)

// Pay run states. A month without a closed run is a draft (草稿): its sheet is computed
// live. Closing (核定) stores the rows; reopening (重开) keeps them as history and makes
// the month a draft again.
const (
	RunDraft    = "draft"
	RunClosed   = "closed"
	RunReopened = "reopened"
)

var runLabels = map[string]string{RunDraft: "草稿", RunClosed: "已核定", RunReopened: "已重开"}

// RunLabel is a run state as users read it.
func RunLabel(status string) string { return runLabels[status] }

// Run is a closed (or since reopened) pay sheet of a unit's subtree for one month.
type Run struct {
	bun.BaseModel `bun:"table:pay_runs,alias:r"`

	ID           int64      `bun:"id,pk,autoincrement" json:"id"`
	OrgID        int64      `bun:"org_id" json:"org_id"`
	Period       string     `bun:"period" json:"period"`
	Status       string     `bun:"status" json:"status"`
	Title        string     `bun:"title" json:"title"`
	Clerks       int        `bun:"clerks" json:"clerks"`
	Amount       float64    `bun:"amount" json:"amount"`
	Policies     []*Policy  `bun:"policies,type:jsonb" json:"-"`
	ClosedBy     *int64     `bun:"closed_by" json:"closed_by,omitempty"`
	ClosedAt     time.Time  `bun:"closed_at" json:"closed_at"`
	ReopenedBy   *int64     `bun:"reopened_by" json:"reopened_by,omitempty"`
	ReopenedAt   *time.Time `bun:"reopened_at" json:"reopened_at,omitempty"`
	ReopenReason string     `bun:"reopen_reason" json:"reopen_reason,omitempty"`

	OrgName      string `bun:"org_name,scanonly" json:"org_name"`
	OrgPath      string `bun:"org_path,scanonly" json:"-"`
	ClosedName   string `bun:"closed_name,scanonly" json:"closed_by_name"`
	ReopenedName string `bun:"reopened_name,scanonly" json:"reopened_by_name,omitempty"`
}

// Label is the run's state in Chinese.
func (r *Run) Label() string { return RunLabel(r.Status) }

// RunRow is one stored line of a run: a Row as it was computed.
type RunRow struct {
	bun.BaseModel `bun:"table:pay_run_rows,alias:rr"`

	RunID         int64   `bun:"run_id,pk"`
	Seq           int     `bun:"seq,pk"`
	StaffID       int64   `bun:"staff_id"`
	EmpNo         string  `bun:"emp_no"`
	Name          string  `bun:"name"`
	OrgID         int64   `bun:"org_id"`
	OrgName       string  `bun:"org_name"`
	OrgPath       string  `bun:"org_path"`
	PolicyID      int64   `bun:"policy_id"`
	PolicyOrg     string  `bun:"policy_org"`
	PolicyVersion int     `bun:"policy_version"`
	PolicyFrom    string  `bun:"policy_from"`
	Level         int     `bun:"level"`
	Allowance     float64 `bun:"allowance"`
	Exam          float64 `bun:"exam"`
	ExamParts     int     `bun:"exam_parts"`
	Rated5        int     `bun:"rated_5"`
	Rated4        int     `bun:"rated_4"`
	Rated3        int     `bun:"rated_3"`
	Rated2        int     `bun:"rated_2"`
	Rated1        int     `bun:"rated_1"`
	RatingCount   int     `bun:"rating_count"`
	RatingPoints  float64 `bun:"rating_points"`
	MaxPoints     float64 `bun:"max_points"`
	Service       float64 `bun:"service"`
	Cases         int     `bun:"cases"`
	Calls         int     `bun:"calls"`
	Consults      int     `bun:"consults"`
	Errands       int     `bun:"errands"`
	WorkTotal     int     `bun:"work_total"`
	WorkBasis     float64 `bun:"work_basis"`
	Workload      float64 `bun:"workload"`
	WeightExam    float64 `bun:"weight_exam"`
	WeightService float64 `bun:"weight_service"`
	WeightWork    float64 `bun:"weight_workload"`
	Score         float64 `bun:"score"`
	Tier          string  `bun:"tier"`
	Coefficient   float64 `bun:"coefficient"`
	Base          float64 `bun:"base"`
	Performance   float64 `bun:"performance"`
	Amount        float64 `bun:"amount"`
}

// storedRow is r as a run keeps it.
func storedRow(runID int64, seq int, r *Row) RunRow {
	return RunRow{RunID: runID, Seq: seq, StaffID: r.StaffID, EmpNo: r.EmpNo, Name: r.Name, OrgID: r.OrgID,
		OrgName: r.OrgName, OrgPath: r.OrgPath, PolicyID: r.PolicyID, PolicyOrg: r.PolicyOrg,
		PolicyVersion: r.PolicyVersion, PolicyFrom: r.PolicyFrom, Level: r.Level, Allowance: r.Allowance,
		Exam: r.Exam, ExamParts: r.ExamParts, Rated5: r.Ratings[0], Rated4: r.Ratings[1], Rated3: r.Ratings[2],
		Rated2: r.Ratings[3], Rated1: r.Ratings[4], RatingCount: r.RatingCount, RatingPoints: r.RatingPoints,
		MaxPoints: r.MaxPoints, Service: r.Service, Cases: r.Cases, Calls: r.Calls, Consults: r.Consults,
		Errands: r.Errands, WorkTotal: r.WorkTotal, WorkBasis: r.WorkBasis, Workload: r.Workload,
		WeightExam: r.WeightExam, WeightService: r.WeightService, WeightWork: r.WeightWork, Score: r.Score,
		Tier: r.Tier, Coefficient: r.Coefficient, Base: r.Base, Performance: r.Performance, Amount: r.Amount}
}

// row is the stored line as a sheet row, naming the policy copy it was computed under.
func (s *RunRow) row(policies map[int64]*Policy) *Row {
	return &Row{StaffID: s.StaffID, EmpNo: s.EmpNo, Name: s.Name, OrgID: s.OrgID, OrgName: s.OrgName,
		OrgPath: s.OrgPath, PolicyID: s.PolicyID, PolicyOrg: s.PolicyOrg, PolicyVersion: s.PolicyVersion,
		PolicyFrom: s.PolicyFrom, Level: s.Level, Allowance: s.Allowance, Exam: s.Exam, ExamParts: s.ExamParts,
		Ratings: [5]int{s.Rated5, s.Rated4, s.Rated3, s.Rated2, s.Rated1}, RatingCount: s.RatingCount,
		RatingPoints: s.RatingPoints, MaxPoints: s.MaxPoints, Service: s.Service, Cases: s.Cases, Calls: s.Calls,
		Consults: s.Consults, Errands: s.Errands, WorkTotal: s.WorkTotal, WorkBasis: s.WorkBasis,
		Workload: s.Workload, WeightExam: s.WeightExam, WeightService: s.WeightService, WeightWork: s.WeightWork,
		Score: s.Score, Tier: s.Tier, Coefficient: s.Coefficient, Base: s.Base, Performance: s.Performance,
		Amount: s.Amount, policy: policies[s.PolicyID]}
}

// validReopenReason checks the reason HR gives for reopening a closed month.
func validReopenReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < 2 || n > 200 {
		return "", web.Invalid(map[string]string{"reason": "请填写重开原因（2至200字）"})
	}
	return reason, nil
}
