package competency

import (
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/exams"
)

// Mastery methods.
const (
	MethodLatest = "latest" // the most recent result per branch
	MethodDecay  = "decay"  // results weighted by 0.5^(age in days / half-life)
)

// Bands of a matrix cell.
const (
	BandNone   = "none"   // no released result in the branch
	BandGap    = "gap"    // below the gap threshold
	BandFair   = "fair"   // at or above the gap threshold, below strong
	BandStrong = "strong" // at or above strong
)

// Settings say how a unit figures mastery. A unit without its own row takes its nearest
// ancestor's; OrgID tells whose they are (0: the defaults).
type Settings struct {
	bun.BaseModel `bun:"table:competency_settings,alias:cs"`

	OrgID        int64     `bun:"org_id,pk" json:"org_id"`
	Method       string    `bun:"method" json:"method" form:"method"`
	HalfLifeDays int       `bun:"half_life_days" json:"half_life_days" form:"half_life_days"`
	GapBelow     int       `bun:"gap_below" json:"gap_below" form:"gap_below"`
	StrongFrom   int       `bun:"strong_from" json:"strong_from" form:"strong_from"`
	UpdatedBy    *int64    `bun:"updated_by" json:"-"`
	UpdatedAt    time.Time `bun:"updated_at" json:"updated_at"`

	// Inherited is true when the settings come from an ancestor or the defaults.
	Inherited bool   `bun:"-" json:"inherited"`
	From      string `bun:"-" json:"from"` // the unit they come from, or "系统默认"
}

// DefaultSettings apply where no unit on the way to the root has its own.
func DefaultSettings() Settings {
	return Settings{Method: MethodLatest, HalfLifeDays: 180, GapBelow: 60, StrongFrom: 85, Inherited: true, From: "系统默认"}
}

// Validate checks the settings' ranges.
func (s *Settings) Validate() error {
	f := map[string]string{}
	if s.Method != MethodLatest && s.Method != MethodDecay {
		f["method"] = "计算方法须为“最近一次”或“衰减平均”"
	}
	if s.HalfLifeDays < 1 || s.HalfLifeDays > 3650 {
		f["half_life_days"] = "半衰期须在1至3650天之间"
	}
	if s.GapBelow < 1 || s.GapBelow > 100 {
		f["gap_below"] = "短板线须在1至100分之间"
	}
	if s.StrongFrom <= s.GapBelow || s.StrongFrom > 100 {
		f["strong_from"] = "优势线须高于短板线且不超过100分"
	}
	return web.Invalid(f)
}

// MethodLabel names the method in Chinese.
func (s Settings) MethodLabel() string {
	if s.Method == MethodDecay {
		return "衰减平均（半衰期" + itoa(s.HalfLifeDays) + "天）"
	}
	return "最近一次成绩"
}

// Band classifies a figure; nil is no data.
func (s Settings) Band(p *float64) string {
	switch {
	case p == nil:
		return BandNone
	case *p < float64(s.GapBelow):
		return BandGap
	case *p >= float64(s.StrongFrom):
		return BandStrong
	}
	return BandFair
}

// Branch is a column of the matrix: a top branch of the standard.
type Branch struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Evidence is one released part result behind a figure: which session and attempt, when
// it was sat, the marks in the branch and, for a decaying average, its weight.
type Evidence struct {
	SessionID         int64     `json:"session_id"`
	SessionName       string    `json:"session_name"`
	AttemptID         int64     `json:"attempt_id"`
	Part              string    `json:"part"`
	StandardVersionID int64     `json:"standard_version_id"`
	TakenAt           time.Time `json:"taken_at"`
	Earned            float64   `json:"earned"`
	Possible          float64   `json:"possible"`
	Percent           float64   `json:"percent"`
	Weight            float64   `json:"weight"` // share of the figure, 0–1
}

// Cell is one person's mastery of one branch. Percent is nil when no released result
// touches the branch: no data, which is not zero.
type Cell struct {
	Code     string     `json:"code"`
	Percent  *float64   `json:"percent"`
	Band     string     `json:"band"`
	Evidence []Evidence `json:"evidence,omitempty"`
}

// Text is the figure as shown, "—" for no data.
func (c Cell) Text() string {
	if c.Percent == nil {
		return "—"
	}
	return ftoa(*c.Percent)
}

// Person is one row of the matrix: a member of staff and a cell per branch, in the
// order of the matrix's branches.
type Person struct {
	StaffID  int64  `json:"staff_id"`
	UserID   int64  `json:"user_id,omitempty"`
	Username string `json:"username,omitempty"`
	Name     string `json:"name"`
	EmpNo    string `json:"emp_no"`
	OrgID    int64  `json:"org_id"`
	OrgName  string `json:"org_name"`
	Cells    []Cell `json:"cells"`
	Gaps     int    `json:"gaps"`

	orgPath string
}

// PartLabel names the part in Chinese.
func (e Evidence) PartLabel() string { return exams.PartLabel(e.Part) }
