package pay

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

// Grades are the five service-rating grades of 国办发〔2019〕51号, best first; a grade's
// code is 5 for 非常满意 down to 1 for 非常不满意.
var Grades = []string{"非常满意", "满意", "基本满意", "不满意", "非常不满意"}

// GradeName is the name of grade code g (5 … 1).
func GradeName(g int) string {
	if g < 1 || g > 5 {
		return ""
	}
	return Grades[5-g]
}

// ParseGrade reads a grade's name, tolerating spaces; ok is false for anything else.
func ParseGrade(s string) (int, bool) {
	s = strings.Join(strings.Fields(s), "")
	for i, g := range Grades {
		if s == g {
			return 5 - i, true
		}
	}
	return 0, false
}

// LevelNames are the certified levels by code (1 一级 … 5 五级).
var LevelNames = map[int]string{1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}

// Workload scaling: against the highest total in the clerk's own unit that month, or
// against a fixed monthly target (capped at 100).
const (
	ScaleUnitMax = "unit_max"
	ScaleTarget  = "target"
)

// Tier is one band (档) of appraisal score: a score at or above Min, and below the next
// tier's Min, earns Coefficient × the base amount.
type Tier struct {
	Name        string  `json:"name"`
	Min         float64 `json:"min"`
	Coefficient float64 `json:"coefficient"`
}

// Rules are what a pay policy decides. Allowances are yuan per month by level code (1–5);
// weights are percentages summing to 100; GradePoints are the points of grades 5 … 1
// (index 0 is 非常满意); Tiers are ordered from the highest Min down.
type Rules struct {
	Allowances     map[int]float64 `json:"allowances"`
	WeightExam     float64         `json:"weight_exam"`
	WeightService  float64         `json:"weight_service"`
	WeightWorkload float64         `json:"weight_workload"`
	GradePoints    [5]float64      `json:"grade_points"`
	WorkloadScale  string          `json:"workload_scale"`
	WorkloadTarget float64         `json:"workload_target"`
	Tiers          []Tier          `json:"tiers"`
	Base           float64         `json:"base"`
}

// DefaultRules is a starting point for a new policy: 5/4/3/2/1 points, weights 30/50/20,
// three tiers. Every figure is the office's to change.
func DefaultRules() Rules {
	return Rules{
		Allowances: map[int]float64{5: 100, 4: 200, 3: 300, 2: 400, 1: 500},
		WeightExam: 30, WeightService: 50, WeightWorkload: 20,
		GradePoints:   [5]float64{5, 4, 3, 2, 1},
		WorkloadScale: ScaleUnitMax,
		Tiers:         []Tier{{"一档", 90, 1.2}, {"二档", 75, 1.0}, {"三档", 0, 0.8}},
		Base:          1000,
	}
}

// MaxPoints is the points of the best grade, the denominator of the service score.
func (r *Rules) MaxPoints() float64 {
	m := 0.0
	for _, p := range r.GradePoints {
		m = math.Max(m, p)
	}
	return m
}

// Points is the points of grade code g (5 … 1).
func (r *Rules) Points(g int) float64 { return r.GradePoints[5-g] }

// TierFor returns the tier a score falls in: the one with the highest Min at or below it.
func (r *Rules) TierFor(score float64) Tier {
	for _, t := range r.Tiers {
		if score >= t.Min {
			return t
		}
	}
	return Tier{}
}

// Validate checks the rules and orders the tiers from the top down.
func (r *Rules) Validate() error {
	f := map[string]string{}
	for lv := 1; lv <= 5; lv++ {
		if a := r.Allowances[lv]; a < 0 || a > 100000 {
			f[fmt.Sprintf("allowance_%d", lv)] = LevelNames[lv] + "津贴须在0至100000元之间"
		}
	}
	ws := []float64{r.WeightExam, r.WeightService, r.WeightWorkload}
	if ws[0] < 0 || ws[1] < 0 || ws[2] < 0 || math.Abs(ws[0]+ws[1]+ws[2]-100) > 1e-9 {
		f["weights"] = "三项权重须为非负数，合计100"
	}
	r.validatePoints(f)
	r.validateWorkload(f)
	r.validateTiers(f)
	if r.Base < 0 || r.Base > 1000000 {
		f["base"] = "绩效基数须在0至1000000元之间"
	}
	return web.Invalid(f)
}

func (r *Rules) validatePoints(f map[string]string) {
	for i, p := range r.GradePoints {
		if p < 0 || p > 1000 || (i > 0 && p > r.GradePoints[i-1]) {
			f["grade_points"] = "评价分值须在0至1000之间，且好评不低于差评"
		}
	}
	if r.MaxPoints() <= 0 {
		f["grade_points"] = "“非常满意”的分值须大于0"
	}
}

func (r *Rules) validateWorkload(f map[string]string) {
	switch r.WorkloadScale {
	case ScaleUnitMax:
		r.WorkloadTarget = 0
	case ScaleTarget:
		if r.WorkloadTarget <= 0 {
			f["workload_target"] = "按目标折算时，月度目标件数须大于0"
		}
	default:
		f["workload_scale"] = "工作量折算方式须为本单位最高或月度目标"
	}
}

func (r *Rules) validateTiers(f map[string]string) {
	sort.SliceStable(r.Tiers, func(i, j int) bool { return r.Tiers[i].Min > r.Tiers[j].Min })
	seen := map[string]bool{}
	for i, t := range r.Tiers {
		r.Tiers[i].Name = strings.TrimSpace(t.Name)
		switch {
		case r.Tiers[i].Name == "" || utf8.RuneCountInString(t.Name) > 20 || seen[r.Tiers[i].Name]:
			f["tiers"] = "档次名称不能为空、不超过20字且不重复"
		case t.Min < 0 || t.Min > 100 || (i > 0 && t.Min == r.Tiers[i-1].Min):
			f["tiers"] = "档次下限须在0至100之间且互不相同"
		case t.Coefficient < 0 || t.Coefficient > 10:
			f["tiers"] = "档次系数须在0至10之间"
		}
		seen[r.Tiers[i].Name] = true
	}
	if len(r.Tiers) == 0 || len(r.Tiers) > 10 || r.Tiers[len(r.Tiers)-1].Min != 0 {
		f["tiers"] = "须设1至10个档次，最低一档的下限为0"
	}
}

// Policy is one version of a unit's pay policy, in force from EffectiveFrom until a
// later one of the same unit; units without one follow their nearest ancestor's.
type Policy struct {
	bun.BaseModel `bun:"table:pay_policies,alias:p"`

	ID            int64     `bun:"id,pk,autoincrement" json:"id"`
	OrgID         int64     `bun:"org_id" json:"org_id"`
	EffectiveFrom rbac.Date `bun:"effective_from,type:date" json:"effective_from"`
	Version       int       `bun:"version" json:"version"`
	Rules         Rules     `bun:"rules,type:jsonb" json:"rules"`
	Note          string    `bun:"note" json:"note"`
	CreatedBy     *int64    `bun:"created_by" json:"created_by,omitempty"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`

	OrgName string `bun:"org_name,scanonly" json:"org_name,omitempty"`
	OrgPath string `bun:"org_path,scanonly" json:"-"`
}

// Validate checks the policy a user supplies.
func (p *Policy) Validate() error {
	p.Note = strings.TrimSpace(p.Note)
	err := p.Rules.Validate()
	f := map[string]string{}
	if p.EffectiveFrom.IsZero() {
		f["effective_from"] = "请填写生效日期"
	}
	if utf8.RuneCountInString(p.Note) > 200 {
		f["note"] = "说明不超过200字"
	}
	if err != nil || len(f) > 0 {
		return mergeInvalid(err, f)
	}
	return nil
}

// mergeInvalid joins the fields of an invalid error with more fields.
func mergeInvalid(err error, more map[string]string) error {
	var e *web.Error
	if errors.As(err, &e) {
		for k, v := range e.Fields {
			more[k] = v
		}
	}
	return web.Invalid(more)
}
