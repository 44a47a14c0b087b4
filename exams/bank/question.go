// Package bank is the question bank: typed questions tied to the skill standard, their
// versions, search, objective grading, and import and export.
package bank

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/exams"
)

// Type is a kind of question.
type Type string

// The question types.
const (
	Single    Type = "single"    // 单选题
	Multiple  Type = "multiple"  // 多选题
	Judge     Type = "judge"     // 判断题
	Fill      Type = "fill"      // 填空题
	Short     Type = "short"     // 简答题/案例分析题, hand-marked against a guide
	Practical Type = "practical" // 实操题: a task card with a rubric, for 技能考核
)

// Types lists every type in display order.
var Types = []Type{Single, Multiple, Judge, Fill, Short, Practical}

var typeLabels = map[Type]string{
	Single: "单选题", Multiple: "多选题", Judge: "判断题", Fill: "填空题", Short: "简答题", Practical: "实操题",
}

// Label is the type's Chinese name.
func (t Type) Label() string { return typeLabels[t] }

// TypeByLabel finds a type by its Chinese name or its code.
func TypeByLabel(s string) (Type, bool) {
	s = strings.TrimSpace(s)
	for t, l := range typeLabels {
		if s == l || s == string(t) || (t == Short && (s == "案例分析题" || s == "简答")) {
			return t, true
		}
	}
	return "", false
}

// Objective reports whether the type marks itself.
func (t Type) Objective() bool { return t != Short && t != Practical }

// Pool says where a question may be drawn.
type Pool string

// The pools.
const (
	PoolExam     Pool = "exam"
	PoolPractice Pool = "practice"
	PoolBoth     Pool = "both"
)

var poolLabels = map[Pool]string{PoolExam: "仅考试", PoolPractice: "仅练习", PoolBoth: "考试和练习"}

// Label is the pool's Chinese name.
func (p Pool) Label() string { return poolLabels[p] }

// Partial is how a multiple-choice answer that is not exactly right is credited.
type Partial string

// The partial-credit rules for multiple choice.
const (
	PartialNone         Partial = "none"         // all or nothing
	PartialHalf         Partial = "half"         // half marks for a right but incomplete choice
	PartialProportional Partial = "proportional" // a share per right option chosen; none if any wrong
)

// Status of a question family.
const (
	StatusActive  = "active"
	StatusRetired = "retired"
)

// Answer is the key of a question; which fields apply depends on its type.
type Answer struct {
	Choice string     `json:"choice,omitempty"` // single "B", multiple "ACD"
	Judge  *bool      `json:"judge,omitempty"`
	Blanks [][]string `json:"blanks,omitempty"` // fill: accepted answers per blank
	Guide  string     `json:"guide,omitempty"`  // short: the marking guide
}

// Criterion is one line of a practical task's rubric.
type Criterion struct {
	Criterion string `json:"criterion"`
	Points    int    `json:"points"`
}

// Question is one version of a question. Versions of one question share FamilyID.
type Question struct {
	bun.BaseModel `bun:"table:questions,alias:q"`

	ID          int64       `bun:"id,pk,autoincrement" json:"id"`
	FamilyID    int64       `bun:"family_id" json:"family_id"`
	Version     int         `bun:"version" json:"version"`
	Latest      bool        `bun:"latest" json:"latest"`
	Status      string      `bun:"status" json:"status"`
	Used        bool        `bun:"used" json:"used"`
	Type        Type        `bun:"type" json:"type"`
	Levels      Levels      `bun:"levels" json:"levels"`
	Code        string      `bun:"code" json:"code"`
	Difficulty  int         `bun:"difficulty" json:"difficulty"`
	Point       string      `bun:"point" json:"point"`
	Stem        string      `bun:"stem" json:"stem"`
	Options     []string    `bun:"options" json:"options,omitempty"`
	Answer      Answer      `bun:"answer" json:"answer"`
	Rubric      []Criterion `bun:"rubric" json:"rubric,omitempty"`
	Task        string      `bun:"task" json:"task,omitempty"`
	Score       int         `bun:"score" json:"score"`
	Partial     Partial     `bun:"partial" json:"partial"`
	Explanation string      `bun:"explanation" json:"explanation"`
	Pool        Pool        `bun:"pool" json:"pool"`
	OwnerOrgID  int64       `bun:"owner_org_id" json:"owner_org_id"`
	CreatedBy   *int64      `bun:"created_by" json:"created_by,omitempty"`
	CreatedAt   time.Time   `bun:"created_at" json:"created_at"`

	// The owning unit and the author, filled by the lookups that join them
	// (FindQuestionWithOwner, FillOwners); OwnerPath drives the object-level rule.
	OwnerPath     string `bun:"owner_path,scanonly" json:"-"`
	OwnerName     string `bun:"owner_name,scanonly" json:"owner_name,omitempty"`
	CreatedByName string `bun:"created_by_name,scanonly" json:"created_by_name,omitempty"`
}

// Levels is a set of levels (5 = 五级 … 1 = 一级) kept as a bitmask, so a filter by level
// is one bitwise test in either store.
type Levels int

// LevelsOf builds a set.
func LevelsOf(ls ...int) Levels {
	var out Levels
	for _, l := range ls {
		if l >= 1 && l <= 5 {
			out |= 1 << l
		}
	}
	return out
}

// Has reports whether level is in the set.
func (l Levels) Has(level int) bool { return level >= 1 && level <= 5 && l&(1<<level) != 0 }

// List returns the levels from 五级 to 一级.
func (l Levels) List() []int {
	var out []int
	for lv := 5; lv >= 1; lv-- {
		if l.Has(lv) {
			out = append(out, lv)
		}
	}
	return out
}

// String names the levels, e.g. "五级、四级".
func (l Levels) String() string {
	var names []string
	for _, lv := range l.List() {
		names = append(names, exams.LevelName(lv))
	}
	return strings.Join(names, "、")
}

// MarshalJSON writes the set as a list such as [5,4].
func (l Levels) MarshalJSON() ([]byte, error) { return json.Marshal(l.List()) }

// UnmarshalJSON reads a list such as [5,4].
func (l *Levels) UnmarshalJSON(b []byte) error {
	var ls []int
	if err := json.Unmarshal(b, &ls); err != nil {
		return fmt.Errorf("levels must be a list of numbers 1–5")
	}
	*l = LevelsOf(ls...)
	return nil
}

// Letters are the option labels, A to H.
const Letters = "ABCDEFGH"

var blankMarker = regexp.MustCompile(`（[\s　]*）|\([\s　]*\)|_{3,}`)

// BlankCount counts the blanks marked in a fill-in stem: （　　）, ( ) or ___.
func BlankCount(stem string) int { return len(blankMarker.FindAllStringIndex(stem, -1)) }

// Validate checks the question against its type's rules and the standard in force, and
// returns every problem at once.
func (q *Question) Validate(std *exams.Standard) error {
	f := map[string]string{}
	q.normalize()
	q.validateCommon(f, std)
	switch q.Type {
	case Single, Multiple:
		q.validateChoice(f)
	case Judge:
		if q.Answer.Judge == nil {
			f["answer"] = "判断题的答案须为“对”或“错”"
		}
	case Fill:
		q.validateFill(f)
	case Short:
		if q.Answer.Guide == "" {
			f["guide"] = "简答题须填写评分要点"
		}
	case Practical:
		q.validatePractical(f)
	}
	return web.Invalid(f)
}

func (q *Question) normalize() {
	q.Stem, q.Point, q.Code = cleanText(q.Stem), cleanText(q.Point), strings.TrimSpace(q.Code)
	q.Explanation, q.Task = cleanText(q.Explanation), cleanText(q.Task)
	q.Answer.Guide = cleanText(q.Answer.Guide)
	for _, accepted := range q.Answer.Blanks {
		for j := range accepted {
			accepted[j] = stripControls(accepted[j])
		}
	}
	q.Answer.Choice = strings.ToUpper(strings.ReplaceAll(q.Answer.Choice, " ", ""))
	if q.Partial == "" {
		q.Partial = PartialNone
	}
	if q.Pool == "" {
		q.Pool = PoolBoth
	}
	for i := range q.Options {
		q.Options[i] = cleanText(q.Options[i])
	}
}

// cleanText trims text and drops control characters other than tab and line breaks:
// they are invisible, and a workbook (XML) cannot hold them, so an export would change them.
func cleanText(s string) string { return strings.TrimSpace(stripControls(s)) }

func stripControls(s string) string {
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF {
			return -1
		}
		return r
	}, s)
}

func (q *Question) validateCommon(f map[string]string, std *exams.Standard) {
	if q.Type.Label() == "" {
		f["type"] = "题型须为单选题、多选题、判断题、填空题、简答题或实操题"
	}
	if q.Stem == "" || utf8.RuneCountInString(q.Stem) > 4000 {
		f["stem"] = "题干不能为空，且不超过4000字"
	}
	if len(q.Levels.List()) == 0 {
		f["levels"] = "请至少选择一个等级"
	}
	if q.Difficulty < 1 || q.Difficulty > 5 {
		f["difficulty"] = "难度须为1至5"
	}
	if q.Score < 1 || q.Score > 100 {
		f["score"] = "分值须为1至100的整数"
	}
	if q.Pool.Label() == "" {
		f["pool"] = "题池须为仅考试、仅练习或考试和练习"
	}
	if utf8.RuneCountInString(q.Explanation) > 4000 || utf8.RuneCountInString(q.Point) > 100 {
		f["explanation"] = "解析不超过4000字，知识点不超过100字"
	}
	q.validateCode(f, std)
}

func (q *Question) validateCode(f map[string]string, std *exams.Standard) {
	if std == nil {
		return
	}
	for _, lv := range q.Levels.List() {
		known, at := std.CodeAt(q.Code, lv)
		if !known {
			f["code"] = fmt.Sprintf("标准代码“%s”不在现行标准中", q.Code)
			return
		}
		if !at {
			f["code"] = fmt.Sprintf("标准代码“%s”不考核%s", q.Code, exams.LevelName(lv))
			return
		}
	}
}

func (q *Question) validateChoice(f map[string]string) {
	if len(q.Options) < 2 || len(q.Options) > len(Letters) {
		f["options"] = "选择题须有2至8个选项"
		return
	}
	for i, o := range q.Options {
		if o == "" || slices.Contains(q.Options[:i], o) {
			f["options"] = "选项不能为空，也不能重复"
		}
	}
	valid := Letters[:len(q.Options)]
	ch := q.Answer.Choice
	for i, r := range ch {
		if !strings.ContainsRune(valid, r) || strings.ContainsRune(ch[:i], r) {
			f["answer"] = "答案须为选项字母 " + valid[:1] + "–" + valid[len(valid)-1:] + "，不重复"
			return
		}
	}
	q.Answer.Choice = sortLetters(ch)
	switch {
	case q.Type == Single && len(ch) != 1:
		f["answer"] = "单选题的答案须为一个选项字母"
	case q.Type == Multiple && len(ch) < 2:
		f["answer"] = "多选题的答案须至少包含两个选项"
	case q.Type == Multiple && !slices.Contains([]Partial{PartialNone, PartialHalf, PartialProportional}, q.Partial):
		f["partial"] = "多选题的给分方式须为 none、half 或 proportional"
	}
}

func sortLetters(s string) string {
	b := []byte(s)
	slices.Sort(b)
	return string(b)
}

func (q *Question) validateFill(f map[string]string) {
	if len(q.Answer.Blanks) == 0 {
		f["answer"] = "填空题须给出每个空的答案"
		return
	}
	for _, accepted := range q.Answer.Blanks {
		if len(accepted) == 0 || slices.Contains(accepted, "") {
			f["answer"] = "每个空至少有一个非空的答案"
		}
	}
	if n := BlankCount(q.Stem); n != len(q.Answer.Blanks) {
		f["stem"] = fmt.Sprintf("题干中有%d个空（用（　　）标出），答案给了%d个", n, len(q.Answer.Blanks))
	}
}

func (q *Question) validatePractical(f map[string]string) {
	if q.Task == "" {
		f["task"] = "实操题须填写任务卡"
	}
	sum := 0
	for _, c := range q.Rubric {
		if strings.TrimSpace(c.Criterion) == "" || c.Points <= 0 {
			f["rubric"] = "评分细则每条须有内容和正的分值"
		}
		sum += c.Points
	}
	if len(q.Rubric) == 0 {
		f["rubric"] = "实操题须有评分细则"
	} else if sum != q.Score {
		f["rubric"] = fmt.Sprintf("评分细则合计%d分，与分值%d分不符", sum, q.Score)
	}
}
