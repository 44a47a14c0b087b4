package certify

import (
	"fmt"
	"strings"
	"time"

	"clerkskill/exams"
)

// Facts are a person's records as 申报条件 read them, gathered for one day: the roster
// (hire date, education level), the HR qualification record, the certificates valid on
// the day and the training hours in the ledger.
type Facts struct {
	HireDate           *time.Time
	PriorServiceMonths int    // service in the occupation before the hire date
	Education          string // one of rbac.EducationLevels, from the roster
	EducationDetail    string
	EducationDate      *time.Time
	Title              string
	TitleDate          *time.Time
	Certs              []HeldCert
	TrainingHours      float64
}

// HeldCert is a certificate valid on the day of the evaluation.
type HeldCert struct {
	Level    int       `json:"level"`
	Number   string    `json:"number"`
	IssuedOn time.Time `json:"issued_on"`
}

// RuleResult is one 申报条件 rule judged against a person's records.
type RuleResult struct {
	Kind string `json:"kind"`
	Rule string `json:"rule"` // the rule as the standard words it
	Met  bool   `json:"met"`
	// Verify marks a rule the records cannot decide: HR has to check it by hand.
	Verify bool   `json:"verify,omitempty"`
	Reason string `json:"reason"`
}

// Evaluation is every rule of a level judged on a day; meeting any one suffices.
type Evaluation struct {
	Level             int          `json:"level"`
	On                string       `json:"on"` // the day, 2006-01-02
	StandardVersionID int64        `json:"standard_version_id"`
	Eligible          bool         `json:"eligible"`
	Rules             []RuleResult `json:"rules"`
}

// LevelName is the level's national name.
func (e *Evaluation) LevelName() string { return exams.LevelName(e.Level) }

// Evaluate judges each eligibility rule of level against the facts on day. It is pure:
// the same facts and day give the same answer. A level without rules admits everyone.
func Evaluate(level *exams.Level, f Facts, day time.Time) Evaluation {
	day = dateOf(day)
	ev := Evaluation{Level: level.Code, On: day.Format(time.DateOnly)}
	for _, r := range level.Eligibility {
		res := judgeRule(r, level.Code, f, day)
		ev.Eligible = ev.Eligible || res.Met
		ev.Rules = append(ev.Rules, res)
	}
	if len(level.Eligibility) == 0 {
		ev.Eligible = true
		ev.Rules = []RuleResult{{Kind: "none", Rule: "未设申报条件", Met: true, Reason: "标准未对" + exams.LevelName(level.Code) + "设申报条件"}}
	}
	return ev
}

func judgeRule(r exams.EligibilityRule, level int, f Facts, day time.Time) RuleResult {
	res := RuleResult{Kind: r.Kind, Rule: ruleText(r)}
	switch r.Kind {
	case exams.EligYears:
		res.Met, res.Reason = judgeYears(r.Years, f, day)
		res.Verify = !res.Met && f.HireDate == nil
	case exams.EligLowerCert:
		res.Met, res.Verify, res.Reason = judgeCert(r, f, day)
	case exams.EligEducation:
		res.Met, res.Verify, res.Reason = judgeEducation(r, f, day)
	case exams.EligTitle:
		res.Met, res.Verify, res.Reason = judgeTitle(r, f, day)
	case exams.EligTrainingHours:
		res.Met, res.Reason = judgeHours(r.Hours, f.TrainingHours)
		return res
	default:
		res.Verify, res.Reason = true, fmt.Sprintf("系统不认识申报条件类型“%s”，需人事核实", r.Kind)
		return res
	}
	if r.Hours > 0 { // a training requirement added to the rule
		ok, why := judgeHours(r.Hours, f.TrainingHours)
		res.Met, res.Reason = res.Met && ok, res.Reason+"；"+why
	}
	return res
}

// ruleText is the rule as the standard words it, or a plain wording of its figures.
func ruleText(r exams.EligibilityRule) string {
	if r.Note != "" {
		return r.Note
	}
	switch r.Kind {
	case exams.EligYears:
		return fmt.Sprintf("累计从事本职业工作 %d 年（含）以上", r.Years)
	case exams.EligLowerCert:
		return fmt.Sprintf("取得本职业%s证书后，累计从事本职业工作 %d 年（含）以上", exams.LevelName(r.CertLevel), r.Years)
	case exams.EligEducation:
		return fmt.Sprintf("%s，从事本职业工作 %d 年（含）以上", r.Education, r.Years)
	case exams.EligTitle:
		return fmt.Sprintf("取得%s后，从事本职业工作 %d 年（含）以上", r.Title, r.Years)
	case exams.EligTrainingHours:
		return fmt.Sprintf("经本职业正规培训达 %d 学时", r.Hours)
	}
	return r.Kind
}

// judgeYears: years in the occupation, from the hire date plus prior service.
func judgeYears(years int, f Facts, day time.Time) (bool, string) {
	sv := serviceSince(f, time.Time{}, day)
	var b strings.Builder
	if f.HireDate != nil {
		fmt.Fprintf(&b, "入职 %s", f.HireDate.Format(time.DateOnly))
	} else {
		b.WriteString("花名册未登记入职日期")
	}
	if f.PriorServiceMonths > 0 {
		fmt.Fprintf(&b, "，加上此前 %d 个月", f.PriorServiceMonths)
	}
	met := sv.months >= years*12
	fmt.Fprintf(&b, "，累计 %s，%s", span(sv.months), enough(met, years, sv, f.HireDate != nil))
	if !met && f.HireDate == nil {
		b.WriteString("，需人事核实")
	}
	return met, b.String()
}

// judgeCert: a valid certificate of the named level and the years since it was issued.
func judgeCert(r exams.EligibilityRule, f Facts, day time.Time) (met, verify bool, why string) {
	name := exams.LevelName(r.CertLevel)
	c := heldCert(f.Certs, r.CertLevel)
	if c == nil {
		return false, false, "未取得本职业" + name + "证书"
	}
	head := fmt.Sprintf("%s 取得%s证书", c.IssuedOn.Format(time.DateOnly), name)
	if c.Number != "" {
		head += "（" + c.Number + "）"
	}
	if r.Years == 0 {
		return true, false, head
	}
	return sinceReason(head, r.Years, f, c.IssuedOn, day)
}

// heldCert is the earliest certificate of the level, nil when none is held.
func heldCert(certs []HeldCert, level int) *HeldCert {
	var best *HeldCert
	for i := range certs {
		if c := &certs[i]; c.Level == level && (best == nil || c.IssuedOn.Before(best.IssuedOn)) {
			best = c
		}
	}
	return best
}

// sinceReason judges years of service after a date (a certificate, diploma or title).
func sinceReason(head string, years int, f Facts, from, day time.Time) (met, verify bool, why string) {
	if f.HireDate == nil {
		return false, true, head + "；花名册未登记入职日期，此后的从业年限需人事核实"
	}
	sv := serviceSince(f, from, day)
	met = sv.months >= years*12
	return met, false, fmt.Sprintf("%s，此后从事本职业 %s，%s", head, span(sv.months), enough(met, years, sv, true))
}

// judgeHours: training hours in the ledger.
func judgeHours(need int, have float64) (bool, string) {
	if have >= float64(need) {
		return true, fmt.Sprintf("培训学时累计 %g 学时，满 %d 学时", have, need)
	}
	return false, fmt.Sprintf("培训学时累计 %g 学时，不足 %d 学时", have, need)
}

// enough says whether the years are reached, and when they will be when not.
func enough(met bool, years int, sv service, known bool) string {
	if met {
		return fmt.Sprintf("满 %d 年", years)
	}
	if !known {
		return fmt.Sprintf("不满 %d 年", years)
	}
	return fmt.Sprintf("不满 %d 年（%s 满 %d 年）", years, sv.due(years).Format(time.DateOnly), years)
}

// span writes whole months as "6 年 2 个月".
func span(months int) string {
	y, m := months/12, months%12
	switch {
	case y == 0:
		return fmt.Sprintf("%d 个月", m)
	case m == 0:
		return fmt.Sprintf("%d 年", y)
	}
	return fmt.Sprintf("%d 年 %d 个月", y, m)
}
