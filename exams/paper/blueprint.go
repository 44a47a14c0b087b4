package paper

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/exams/bank"
)

// Blueprint (组卷方案) shares out one part's marks at one level: each row asks for a
// number of questions of one type within a standard branch, at so many points each, and
// every candidate gets their own draw. It must match the weight table within Tolerance.
type Blueprint struct {
	bun.BaseModel `bun:"table:blueprints,alias:b"`

	ID                int64     `bun:"id,pk,autoincrement" json:"id"`
	Name              string    `bun:"name" json:"name"`
	Level             int       `bun:"level" json:"level"`
	Part              string    `bun:"part" json:"part"`
	StandardVersionID int64     `bun:"standard_version_id" json:"standard_version_id"`
	OwnerOrgID        int64     `bun:"owner_org_id" json:"owner_org_id"`
	Tolerance         float64   `bun:"tolerance" json:"tolerance"`
	Mix               Mix       `bun:"mix" json:"mix"`
	Rows              []Row     `bun:"spec_rows" json:"rows"`
	Note              string    `bun:"note" json:"note"`
	Revision          int       `bun:"revision" json:"revision"`
	CreatedBy         *int64    `bun:"created_by" json:"created_by,omitempty"`
	CreatedAt         time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt         time.Time `bun:"updated_at" json:"updated_at"`

	// The owning unit, filled by lookups that join it; OwnerPath drives the object rule.
	OwnerPath string `bun:"owner_path,scanonly" json:"-"`
	OwnerName string `bun:"owner_name,scanonly" json:"owner_name,omitempty"`
}

// Row is one line of a blueprint: Count questions of Type within the branch Code, each
// worth Points on the paper (whatever score the question carries in the bank).
type Row struct {
	Code   string    `json:"code"`
	Type   bank.Type `json:"type"`
	Count  int       `json:"count"`
	Points float64   `json:"points"`
}

// Marks is what the row contributes to the paper.
func (r Row) Marks() float64 { return float64(r.Count) * r.Points }

// Mix is the wanted difficulty mix in percent: easy is difficulty 1–2, medium 3, hard
// 4–5. A draw honours it where the pool allows and fills from other bands otherwise.
type Mix struct {
	Easy   int `json:"easy"`
	Medium int `json:"medium"`
	Hard   int `json:"hard"`
}

// DefaultMix is a common mix for certification papers.
var DefaultMix = Mix{Easy: 30, Medium: 50, Hard: 20}

// bands returns the mix as percent per band, easy first.
func (m Mix) bands() [3]int { return [3]int{m.Easy, m.Medium, m.Hard} }

// band is the difficulty band of a difficulty 1–5: 0 easy, 1 medium, 2 hard.
func band(difficulty int) int {
	switch {
	case difficulty <= 2:
		return 0
	case difficulty == 3:
		return 1
	}
	return 2
}

// partTypes are the question types each part may draw.
var partTypes = map[string][]bank.Type{
	exams.PartTheory: {bank.Single, bank.Multiple, bank.Judge, bank.Fill, bank.Short},
	exams.PartSkill:  {bank.Practical, bank.Short},
}

// PartTypes lists the question types a part may use, in display order.
func PartTypes(part string) []bank.Type { return partTypes[part] }

// MaxRowCount bounds one row; a paper of thousands of questions is a typo.
const MaxRowCount = 200

// Validate checks the blueprint against the standard: header, rows, difficulty mix, total
// marks and every branch's share against the weight table. It reports every problem.
func (b *Blueprint) Validate(std *exams.Standard) error {
	b.Name, b.Note = strings.TrimSpace(b.Name), strings.TrimSpace(b.Note)
	f := map[string]string{}
	checkHeader(f, std, b.Name, b.Level, b.Part, b.Tolerance)
	if m := b.Mix; m.Easy < 0 || m.Medium < 0 || m.Hard < 0 || m.Easy+m.Medium+m.Hard != 100 {
		f["mix"] = "难度比例（易、中、难）须为非负整数，合计 100%"
	}
	if len(f) > 0 {
		return web.Invalid(f)
	}
	b.checkRows(f, std)
	if len(f) == 0 {
		b.Balance(std).problems(f)
	}
	return web.Invalid(f)
}

func (b *Blueprint) checkRows(f map[string]string, std *exams.Standard) {
	if len(b.Rows) == 0 {
		f["rows"] = "请至少填写一行：标准分支、题型、题数和每题分值"
	}
	seen := map[string]bool{}
	for i := range b.Rows {
		r := &b.Rows[i]
		r.Code = strings.TrimSpace(r.Code)
		if msg := r.problem(std, b.Level, b.Part); msg != "" {
			f[fmt.Sprintf("row.%d", i+1)] = fmt.Sprintf("第%d行：%s", i+1, msg)
		}
		key := r.Code + "/" + string(r.Type)
		if seen[key] {
			f[fmt.Sprintf("row.%d", i+1)] = fmt.Sprintf("第%d行：分支 %s 的%s重复了，请合并为一行", i+1, r.Code, r.Type.Label())
		}
		seen[key] = true
	}
}

// problem says what is wrong with a row, "" when nothing is.
func (r Row) problem(std *exams.Standard, level int, part string) string {
	if std.Node(r.Code) == nil {
		return fmt.Sprintf("标准分支“%s”不在现行标准中", r.Code)
	}
	if _, at := std.CodeAt(r.Code, level); !at {
		return fmt.Sprintf("标准分支 %s 不考核%s", r.Code, exams.LevelName(level))
	}
	if !slices.Contains(partTypes[part], r.Type) {
		return fmt.Sprintf("%s不能使用题型“%s”", exams.PartLabel(part), r.Type)
	}
	if r.Count < 1 || r.Count > MaxRowCount {
		return fmt.Sprintf("题数须为 1 至 %d", MaxRowCount)
	}
	if !validPoints(r.Points) {
		return "每题分值须大于 0、不超过 100，以 0.5 分为单位"
	}
	return ""
}

// Balance compares the blueprint's marks per branch with the weight table.
func (b *Blueprint) Balance(std *exams.Standard) *Balance {
	ms := make([]marked, 0, len(b.Rows))
	for _, r := range b.Rows {
		ms = append(ms, marked{code: r.Code, marks: r.Marks()})
	}
	return balanceOf(std, b.Level, b.Part, b.Tolerance, ms)
}

// Questions is how many questions a candidate's paper holds.
func (b *Blueprint) Questions() int {
	n := 0
	for _, r := range b.Rows {
		n += r.Count
	}
	return n
}

// Title names the level and part, e.g. "五级 理论知识".
func (b *Blueprint) Title() string { return exams.LevelName(b.Level) + " " + exams.PartLabel(b.Part) }

// LevelName is the level's national name, e.g. 五级.
func (b *Blueprint) LevelName() string { return exams.LevelName(b.Level) }

// PartLabel is the part's Chinese name.
func (b *Blueprint) PartLabel() string { return exams.PartLabel(b.Part) }

// ToleranceText is the tolerance without trailing zeros.
func (b *Blueprint) ToleranceText() string { return Num(b.Tolerance) }

// PointsText is the row's points a question.
func (r Row) PointsText() string { return Num(r.Points) }

// MarksText is the row's marks.
func (r Row) MarksText() string { return Num(r.Marks()) }
