package pay

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

// Rating is one service rating of a clerk (Count 1, RatedOn set) or, imported per
// clerk, the number of ratings of one grade in a month (RatedOn nil). A removed rating
// (appeal upheld after review) stays on record and no longer counts.
type Rating struct {
	bun.BaseModel `bun:"table:pay_ratings,alias:r"`

	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	StaffID       int64      `bun:"staff_id" json:"staff_id"`
	OrgID         int64      `bun:"org_id" json:"org_id"`
	Period        string     `bun:"period" json:"period"`
	RatedOn       *rbac.Date `bun:"rated_on,type:date" json:"rated_on,omitempty"`
	Grade         int        `bun:"grade" json:"grade"`
	Count         int        `bun:"count" json:"count"`
	Channel       string     `bun:"channel" json:"channel"`
	CaseNo        string     `bun:"case_no" json:"case_no"`
	Batch         string     `bun:"batch" json:"batch"`
	RemovedAt     *time.Time `bun:"removed_at" json:"removed_at,omitempty"`
	RemovedBy     *int64     `bun:"removed_by" json:"removed_by,omitempty"`
	RemovedReason string     `bun:"removed_reason" json:"removed_reason,omitempty"`
	CreatedBy     *int64     `bun:"created_by" json:"created_by,omitempty"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`

	EmpNo   string `bun:"emp_no,scanonly" json:"emp_no"`
	Name    string `bun:"name,scanonly" json:"name"`
	OrgName string `bun:"org_name,scanonly" json:"org_name"`
	OrgPath string `bun:"org_path,scanonly" json:"-"`
}

// GradeName is the rating's grade as users read it.
func (r *Rating) GradeName() string { return GradeName(r.Grade) }

// Removed reports whether the rating was removed on appeal.
func (r *Rating) Removed() bool { return r.RemovedAt != nil }

// Workload is one clerk's workload in one month: 办件量, 叫号量, 咨询量, 帮代办量.
type Workload struct {
	bun.BaseModel `bun:"table:pay_workloads,alias:w"`

	StaffID   int64     `bun:"staff_id,pk" json:"staff_id"`
	Period    string    `bun:"period,pk" json:"period"`
	OrgID     int64     `bun:"org_id" json:"org_id"`
	Cases     int       `bun:"cases" json:"cases"`
	Calls     int       `bun:"calls" json:"calls"`
	Consults  int       `bun:"consults" json:"consults"`
	Errands   int       `bun:"errands" json:"errands"`
	UpdatedBy *int64    `bun:"updated_by" json:"updated_by,omitempty"`
	UpdatedAt time.Time `bun:"updated_at" json:"updated_at"`
}

// Total is the sum of the four figures, what the workload score scales.
func (w *Workload) Total() int { return w.Cases + w.Calls + w.Consults + w.Errands }

var periodRe = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// ParsePeriod reads a month "2026-11" (also "2026/11", "2026年11月", "2026-1").
func ParsePeriod(s string) (string, error) {
	s = strings.NewReplacer("年", "-", "月", "", "/", "-", ".", "-").Replace(strings.TrimSpace(s))
	if len(s) == 6 && s[4] == '-' {
		s = s[:5] + "0" + s[5:]
	}
	if !periodRe.MatchString(s) || s < "2000-01" || s > "2099-12" {
		return "", web.Errorf(web.EINVALID, "月份须写作 年-月，如 2026-11")
	}
	return s, nil
}

// PeriodEnd is the last day of the month period ("2026-11" → 2026-11-30).
func PeriodEnd(period string) time.Time {
	t, _ := time.Parse("2006-01", period)
	return t.AddDate(0, 1, -1)
}

// PeriodOf is the month of a day.
func PeriodOf(d time.Time) string { return d.Format("2006-01") }

// RatingInput is one checked row of a ratings import.
type RatingInput struct {
	Row     int
	EmpNo   string
	Period  string
	RatedOn *rbac.Date
	Grade   int
	Count   int
	Channel string
	CaseNo  string
}

// WorkloadInput is one checked row of a workload import.
type WorkloadInput struct {
	Row                             int
	EmpNo                           string
	Period                          string
	Cases, Calls, Consults, Errands int
}

// validReason checks the reason for removing a rating.
func validReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < 2 || n > 200 {
		return "", web.Invalid(map[string]string{"reason": "请填写复核结论（2至200字）"})
	}
	return reason, nil
}
