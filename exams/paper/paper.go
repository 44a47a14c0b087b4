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

// Paper is a fixed paper: the same questions, in the same order, for every candidate
// (only the option order differs per candidate). Like a blueprint it must match the
// weight table within Tolerance: a fixed paper outside it is refused, not just warned
// about, so both ways of setting a paper answer to the same rule.
type Paper struct {
	bun.BaseModel `bun:"table:papers,alias:p"`

	ID                int64       `bun:"id,pk,autoincrement" json:"id"`
	Name              string      `bun:"name" json:"name"`
	Level             int         `bun:"level" json:"level"`
	Part              string      `bun:"part" json:"part"`
	StandardVersionID int64       `bun:"standard_version_id" json:"standard_version_id"`
	OwnerOrgID        int64       `bun:"owner_org_id" json:"owner_org_id"`
	Tolerance         float64     `bun:"tolerance" json:"tolerance"`
	Items             []PaperItem `bun:"items" json:"items"`
	Note              string      `bun:"note" json:"note"`
	Revision          int         `bun:"revision" json:"revision"`
	CreatedBy         *int64      `bun:"created_by" json:"created_by,omitempty"`
	CreatedAt         time.Time   `bun:"created_at" json:"created_at"`
	UpdatedAt         time.Time   `bun:"updated_at" json:"updated_at"`

	OwnerPath string `bun:"owner_path,scanonly" json:"-"`
	OwnerName string `bun:"owner_name,scanonly" json:"owner_name,omitempty"`
}

// PaperItem is one question version of a fixed paper with the points it carries there.
type PaperItem struct {
	QuestionID int64   `json:"question_id"`
	Points     float64 `json:"points"`
}

// MaxPaperItems bounds a fixed paper.
const MaxPaperItems = 300

// QuestionIDs lists the paper's question versions in order.
func (p *Paper) QuestionIDs() []int64 {
	out := make([]int64, len(p.Items))
	for i, it := range p.Items {
		out[i] = it.QuestionID
	}
	return out
}

// Total is the paper's full marks.
func (p *Paper) Total() float64 {
	t := 0.0
	for _, it := range p.Items {
		t += it.Points
	}
	return t
}

// Validate checks the paper against the standard and the question versions it names
// (qs, keyed by id): each must exist, be active, sit in the exam pool, carry the level
// and a type the part allows, appear once, and the marks must match the weight table.
func (p *Paper) Validate(std *exams.Standard, qs map[int64]*bank.Question) error {
	p.Name, p.Note = strings.TrimSpace(p.Name), strings.TrimSpace(p.Note)
	f := map[string]string{}
	checkHeader(f, std, p.Name, p.Level, p.Part, p.Tolerance)
	if len(f) > 0 {
		return web.Invalid(f)
	}
	if len(p.Items) == 0 || len(p.Items) > MaxPaperItems {
		f["items"] = fmt.Sprintf("固定试卷须有 1 至 %d 道题", MaxPaperItems)
	}
	families := map[int64]bool{}
	for i, it := range p.Items {
		msg := p.itemProblem(it, qs[it.QuestionID])
		if q := qs[it.QuestionID]; msg == "" && families[q.FamilyID] {
			msg = fmt.Sprintf("题目 #%d 在卷中出现了不止一次", q.FamilyID)
		} else if q != nil {
			families[q.FamilyID] = true
		}
		if msg != "" {
			f[fmt.Sprintf("item.%d", i+1)] = fmt.Sprintf("第%d题：%s", i+1, msg)
		}
	}
	if len(f) == 0 {
		p.Balance(std, qs).problems(f)
	}
	return web.Invalid(f)
}

func (p *Paper) itemProblem(it PaperItem, q *bank.Question) string {
	switch {
	case q == nil:
		return fmt.Sprintf("题目版本 %d 不存在", it.QuestionID)
	case q.Status != bank.StatusActive:
		return fmt.Sprintf("题目 #%d 已停用", q.FamilyID)
	case q.Pool == bank.PoolPractice:
		return fmt.Sprintf("题目 #%d 只用于练习，不能组入考试试卷", q.FamilyID)
	case !q.Levels.Has(p.Level):
		return fmt.Sprintf("题目 #%d 不适用于%s", q.FamilyID, exams.LevelName(p.Level))
	case !slices.Contains(partTypes[p.Part], q.Type):
		return fmt.Sprintf("%s不能使用%s", exams.PartLabel(p.Part), q.Type.Label())
	case !validPoints(it.Points):
		return "分值须大于 0、不超过 100，以 0.5 分为单位"
	}
	return ""
}

// Balance compares the paper's marks per branch with the weight table; qs are its
// questions keyed by id.
func (p *Paper) Balance(std *exams.Standard, qs map[int64]*bank.Question) *Balance {
	ms := make([]marked, 0, len(p.Items))
	for _, it := range p.Items {
		code := ""
		if q := qs[it.QuestionID]; q != nil {
			code = q.Code
		}
		ms = append(ms, marked{code: code, marks: it.Points})
	}
	return balanceOf(std, p.Level, p.Part, p.Tolerance, ms)
}

// Title names the level and part, e.g. "四级 技能考核".
func (p *Paper) Title() string { return exams.LevelName(p.Level) + " " + exams.PartLabel(p.Part) }

// LevelName is the level's national name, e.g. 五级.
func (p *Paper) LevelName() string { return exams.LevelName(p.Level) }

// PartLabel is the part's Chinese name.
func (p *Paper) PartLabel() string { return exams.PartLabel(p.Part) }

// ToleranceText is the tolerance without trailing zeros.
func (p *Paper) ToleranceText() string { return Num(p.Tolerance) }

// TotalText is the paper's total marks.
func (p *Paper) TotalText() string { return Num(p.Total()) }
