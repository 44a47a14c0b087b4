package pay

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/rbac"
)

// tierRows is how many tier rows the policy form offers; blank rows are ignored.
const tierRows = 6

// policyFields are the form's fields besides the tiers, in the order they are read.
var policyFields = []string{"org", "effective_from", "note", "allowance_5", "allowance_4", "allowance_3", "allowance_2", "allowance_1",
	"weight_exam", "weight_service", "weight_workload", "points_5", "points_4", "points_3", "points_2", "points_1",
	"workload_scale", "workload_target", "base"}

// policyForm is the policy editor's form as typed, so a refused form comes back as it was.
type policyForm map[string]string

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// formOf fills the form from rules, the starting point of a new version.
func formOf(orgID int64, from string, r Rules) policyForm {
	f := policyForm{"org": strconv.FormatInt(orgID, 10), "effective_from": from, "workload_scale": r.WorkloadScale,
		"weight_exam": num(r.WeightExam), "weight_service": num(r.WeightService), "weight_workload": num(r.WeightWorkload),
		"base": num(r.Base)}
	if r.WorkloadTarget > 0 {
		f["workload_target"] = num(r.WorkloadTarget)
	}
	for lv := 1; lv <= 5; lv++ {
		f["allowance_"+strconv.Itoa(lv)] = num(r.Allowances[lv])
		f["points_"+strconv.Itoa(lv)] = num(r.Points(lv))
	}
	for i, t := range r.Tiers {
		n := strconv.Itoa(i + 1)
		f["tier_name_"+n], f["tier_min_"+n], f["tier_coef_"+n] = t.Name, num(t.Min), num(t.Coefficient)
	}
	return f
}

// readPolicyForm reads the posted form.
func readPolicyForm(c *fiber.Ctx) policyForm {
	f := policyForm{}
	for _, k := range policyFields {
		f[k] = strings.TrimSpace(c.FormValue(k))
	}
	for i := 1; i <= tierRows; i++ {
		for _, k := range []string{"tier_name_", "tier_min_", "tier_coef_"} {
			f[k+strconv.Itoa(i)] = strings.TrimSpace(c.FormValue(k + strconv.Itoa(i)))
		}
	}
	return f
}

// policy turns the form into a policy, with a message per field that is not a number.
func (f policyForm) policy() (*Policy, map[string]string) {
	errs := map[string]string{}
	number := func(k, msg string) float64 {
		v, err := strconv.ParseFloat(f[k], 64)
		if err != nil {
			errs[k] = msg
		}
		return v
	}
	r := Rules{Allowances: map[int]float64{}, WorkloadScale: f["workload_scale"]}
	for lv := 1; lv <= 5; lv++ {
		r.Allowances[lv] = number("allowance_"+strconv.Itoa(lv), LevelNames[lv]+"津贴须为数字")
		r.GradePoints[5-lv] = number("points_"+strconv.Itoa(lv), "评价分值须为数字")
	}
	r.WeightExam, r.WeightService = number("weight_exam", "权重须为数字"), number("weight_service", "权重须为数字")
	r.WeightWorkload, r.Base = number("weight_workload", "权重须为数字"), number("base", "绩效基数须为数字")
	if r.WorkloadScale == ScaleTarget {
		r.WorkloadTarget = number("workload_target", "月度目标须为数字")
	}
	for i := 1; i <= tierRows; i++ {
		n := strconv.Itoa(i)
		if f["tier_name_"+n]+f["tier_min_"+n]+f["tier_coef_"+n] == "" {
			continue
		}
		r.Tiers = append(r.Tiers, Tier{Name: f["tier_name_"+n], Min: number("tier_min_"+n, "档次下限须为数字"),
			Coefficient: number("tier_coef_"+n, "档次系数须为数字")})
	}
	for k, m := range errs {
		if strings.HasPrefix(k, "tier_") {
			errs["tiers"] = m
			delete(errs, k)
		}
	}
	p := &Policy{Rules: r, Note: f["note"]}
	p.OrgID, _ = strconv.ParseInt(f["org"], 10, 64)
	if d, err := rbac.ParseDate(f["effective_from"]); err != nil || d == nil {
		errs["effective_from"] = "生效日期须写作 年-月-日，如 2026-12-01"
	} else {
		p.EffectiveFrom = *d
	}
	return p, errs
}

// TierNumbers lists the tier rows of the form, 1 … tierRows.
func (f policyForm) TierNumbers() []string {
	out := make([]string, tierRows)
	for i := range out {
		out[i] = strconv.Itoa(i + 1)
	}
	return out
}

// Get returns the field's value, for templates.
func (f policyForm) Get(k string) string { return f[k] }
