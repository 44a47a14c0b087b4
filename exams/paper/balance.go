package paper

import (
	"fmt"
	"math"
	"strconv"

	"clerkskill/exams"
)

// eps absorbs floating-point noise when marks and percentages are compared.
const eps = 1e-9

// FullMarks is what every part is marked out of.
const FullMarks = 100

// DefaultTolerance is the allowed gap, in percentage points, between a branch's share of
// marks and its weight when a form leaves it empty.
const DefaultTolerance = 2

// MaxTolerance bounds the tolerance: a wider one would make the weight table meaningless.
const MaxTolerance = 10

// Share is one branch of a weight table beside the marks a paper gives it.
type Share struct {
	Code      string  `json:"code"`
	Name      string  `json:"name"`
	Weight    float64 `json:"weight"`    // percent, from the standard's weight table
	Marks     float64 `json:"marks"`     // marks the paper gives the branch
	Percent   float64 `json:"percent"`   // the branch's share of the paper's total marks
	Deviation float64 `json:"deviation"` // Percent - Weight, in percentage points
	Within    bool    `json:"within"`    // |Deviation| <= tolerance
}

// Balance compares a paper's marks with the weight table of its level and part.
type Balance struct {
	Shares    []Share `json:"shares"`
	Total     float64 `json:"total"`
	Tolerance float64 `json:"tolerance"`
	// Stray lists codes whose marks fall in no branch of the weight table.
	Stray []string `json:"stray,omitempty"`
}

// OK reports whether the total is full marks, no marks stray and every branch is within
// the tolerance.
func (b *Balance) OK() bool {
	if math.Abs(b.Total-FullMarks) > eps || len(b.Stray) > 0 {
		return false
	}
	for _, s := range b.Shares {
		if !s.Within {
			return false
		}
	}
	return true
}

// weightOf finds the branch of the weight table that code lies in, "" when none.
func weightOf(ws []exams.Weight, code string) string {
	for _, w := range ws {
		if exams.Within(code, w.Code) {
			return w.Code
		}
	}
	return ""
}

// marked is marks given to one standard code.
type marked struct {
	code  string
	marks float64
}

// balanceOf sums marks by weight-table branch and compares each share with its weight.
func balanceOf(std *exams.Standard, level int, part string, tol float64, ms []marked) *Balance {
	b := &Balance{Tolerance: tol}
	var ws []exams.Weight
	if lv := std.Level(level); lv != nil {
		ws = lv.Weights(part)
	}
	byBranch := map[string]float64{}
	for _, m := range ms {
		b.Total += m.marks
		if w := weightOf(ws, m.code); w != "" {
			byBranch[w] += m.marks
		} else if !containsString(b.Stray, m.code) {
			b.Stray = append(b.Stray, m.code)
		}
	}
	for _, w := range ws {
		s := Share{Code: w.Code, Name: std.BranchName(w.Code), Weight: float64(w.Percent), Marks: byBranch[w.Code]}
		if b.Total > eps {
			s.Percent = round2(s.Marks / b.Total * 100)
		}
		s.Deviation = round2(s.Percent - s.Weight)
		s.Within = math.Abs(s.Deviation) <= tol+eps
		b.Shares = append(b.Shares, s)
	}
	return b
}

// problems turns the balance into per-field messages: the total, stray codes, and every
// branch outside the tolerance.
func (b *Balance) problems(f map[string]string) {
	if math.Abs(b.Total-FullMarks) > eps {
		f["total"] = fmt.Sprintf("合计 %s 分，须为 %d 分", Num(b.Total), FullMarks)
	}
	for _, c := range b.Stray {
		f["stray."+c] = fmt.Sprintf("标准代码 %s 不在本等级本部分权重表的任何分支内", c)
	}
	for _, s := range b.Shares {
		if !s.Within {
			f["branch."+s.Code] = fmt.Sprintf("%s %s：占 %s 分（%s%%），权重表为 %s%%，偏差 %s 个百分点，超出允许的 ±%s",
				s.Code, s.Name, Num(s.Marks), Num(s.Percent), Num(s.Weight), Signed(s.Deviation), Num(b.Tolerance))
		}
	}
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// Num prints a number of marks or percent without trailing zeros: 2, 2.5, 33.33.
func Num(v float64) string { return strconv.FormatFloat(round2(v), 'f', -1, 64) }

// Signed prints a deviation with its sign: +2, -1.5, 0.
func Signed(v float64) string {
	if round2(v) > 0 {
		return "+" + Num(v)
	}
	return Num(v)
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// validPoints reports whether points are positive, at most full marks, in half points.
func validPoints(p float64) bool {
	return p > 0 && p <= FullMarks && math.Abs(p*2-math.Round(p*2)) < eps
}

// checkHeader validates what blueprints and fixed papers share: name, level, part,
// tolerance.
func checkHeader(f map[string]string, std *exams.Standard, name string, level int, part string, tol float64) {
	if name == "" || len([]rune(name)) > 100 {
		f["name"] = "请填写名称（不超过100字）"
	}
	lv := std.Level(level)
	switch {
	case lv == nil:
		f["level"] = "等级须为五级至一级之一"
	case part != exams.PartTheory && part != exams.PartSkill:
		f["part"] = "考核部分须为理论知识（theory）或技能考核（skill）"
	case lv.Part(part) == nil || len(lv.Weights(part)) == 0:
		f["part"] = fmt.Sprintf("%s没有%s权重表", exams.LevelName(level), exams.PartLabel(part))
	}
	if tol < 0 || tol > MaxTolerance || math.IsNaN(tol) {
		f["tolerance"] = fmt.Sprintf("允许偏差须在 0 至 %d 个百分点之间", MaxTolerance)
	}
}

// Texts for the pages: numbers without trailing zeros, deviations with their sign.

// WeightText is the weight in percent.
func (s Share) WeightText() string { return Num(s.Weight) }

// MarksText is the branch's marks.
func (s Share) MarksText() string { return Num(s.Marks) }

// PercentText is the branch's share in percent.
func (s Share) PercentText() string { return Num(s.Percent) }

// DeviationText is the deviation with its sign.
func (s Share) DeviationText() string { return Signed(s.Deviation) }

// TotalText is the paper's total marks.
func (b *Balance) TotalText() string { return Num(b.Total) }

// ToleranceText is the tolerance.
func (b *Balance) ToleranceText() string { return Num(b.Tolerance) }

// FullMarks reports whether the total is full marks.
func (b *Balance) FullMarks() bool { return math.Abs(b.Total-FullMarks) <= eps }
