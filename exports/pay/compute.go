package pay

import "math"

// Row is one clerk's line of the pay sheet: every input beside every result, so anyone
// can recompute it with the policy named in it.
type Row struct {
	StaffID int64  `json:"staff_id"`
	EmpNo   string `json:"emp_no"`
	Name    string `json:"name"`
	OrgID   int64  `json:"org_id"`
	OrgName string `json:"org_name"`
	OrgPath string `json:"-"`

	PolicyID      int64  `json:"policy_id,omitempty"`
	PolicyOrg     string `json:"policy_org,omitempty"`
	PolicyVersion int    `json:"policy_version,omitempty"`
	PolicyFrom    string `json:"policy_from,omitempty"`

	Level     int     `json:"level,omitempty"` // 0: no valid certificate
	Allowance float64 `json:"level_allowance"`

	Exam      float64 `json:"exam"`       // mean of the latest released part scores
	ExamParts int     `json:"exam_parts"` // how many parts the mean is over

	Ratings      [5]int  `json:"ratings"` // counts of grades 非常满意 … 非常不满意
	RatingCount  int     `json:"rating_count"`
	RatingPoints float64 `json:"rating_points"`
	MaxPoints    float64 `json:"max_points"`
	Service      float64 `json:"service"`

	Cases         int     `json:"cases"`
	Calls         int     `json:"calls"`
	Consults      int     `json:"consults"`
	Errands       int     `json:"errands"`
	WorkTotal     int     `json:"workload_total"`
	WorkBasis     float64 `json:"workload_basis"` // the unit's highest total, or the target
	Workload      float64 `json:"workload"`
	WeightExam    float64 `json:"weight_exam"`
	WeightService float64 `json:"weight_service"`
	WeightWork    float64 `json:"weight_workload"`

	Score       float64 `json:"score"`
	Tier        string  `json:"tier"`
	Coefficient float64 `json:"coefficient"`
	Base        float64 `json:"base"`
	Performance float64 `json:"performance"` // base × coefficient
	Amount      float64 `json:"amount"`      // level allowance + performance

	policy *Policy
}

// Policy is the policy the row was computed under, nil when none was in force.
func (r *Row) Policy() *Policy { return r.policy }

// LevelName is the row's level as users read it, "无" without a certificate.
func (r *Row) LevelName() string {
	if n := LevelNames[r.Level]; n != "" {
		return n
	}
	return "无"
}

// NoPolicy is the tier of clerks whose unit and ancestors have no policy in force.
const NoPolicy = "无适用政策"

// round2 rounds half away from zero to cents, as Excel's ROUND(x, 2) does.
func round2(x float64) float64 { return math.Round(x*100) / 100 }

// ServiceScore scales the average points of n ratings to 100.
func ServiceScore(points float64, n int, maxPoints float64) float64 {
	if n == 0 || maxPoints <= 0 {
		return 0
	}
	return round2(points / float64(n) / maxPoints * 100)
}

// WorkloadScore scales a workload total against a basis, capped at 100.
func WorkloadScore(total int, basis float64) float64 {
	if basis <= 0 {
		return 0
	}
	return round2(math.Min(100, float64(total)/basis*100))
}

// apply fills the row's results from its inputs under p; unitMax is the highest
// workload total in the clerk's unit that month.
func (r *Row) apply(p *Policy, unitMax int) {
	if p == nil {
		r.Tier = NoPolicy
		return
	}
	rules := &p.Rules
	r.policy = p
	r.PolicyID, r.PolicyVersion, r.PolicyOrg, r.PolicyFrom = p.ID, p.Version, p.OrgName, p.EffectiveFrom.String()
	r.Allowance = rules.Allowances[r.Level]
	r.RatingPoints = 0
	for i, n := range r.Ratings {
		r.RatingPoints += float64(n) * rules.GradePoints[i]
	}
	r.MaxPoints = rules.MaxPoints()
	r.Service = ServiceScore(r.RatingPoints, r.RatingCount, r.MaxPoints)
	r.WorkTotal = r.Cases + r.Calls + r.Consults + r.Errands
	r.WorkBasis = float64(unitMax)
	if rules.WorkloadScale == ScaleTarget {
		r.WorkBasis = rules.WorkloadTarget
	}
	r.Workload = WorkloadScore(r.WorkTotal, r.WorkBasis)
	r.WeightExam, r.WeightService, r.WeightWork = rules.WeightExam, rules.WeightService, rules.WeightWorkload
	r.Score = round2(r.Exam*r.WeightExam/100 + r.Service*r.WeightService/100 + r.Workload*r.WeightWork/100)
	t := rules.TierFor(r.Score)
	r.Tier, r.Coefficient, r.Base = t.Name, t.Coefficient, rules.Base
	r.Performance = round2(r.Base * r.Coefficient)
	r.Amount = round2(r.Allowance + r.Performance)
}
