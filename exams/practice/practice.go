package practice

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/exams/bank"
)

// Mode is how the next question is chosen.
type Mode string

// The practice modes.
const (
	ModeNormal Mode = "normal" // from the practice pool, least recently answered first
	ModeWrong  Mode = "wrong"  // 错题重练: only questions in the clerk's notebook
)

// Label is the mode's Chinese name.
func (m Mode) Label() string {
	if m == ModeWrong {
		return "错题重练"
	}
	return "顺序练习"
}

// Choice is what a clerk asked to practise: a level, optionally a branch of the standard,
// and a mode. In wrong mode Level 0 means every level.
type Choice struct {
	Level  int    `json:"level"`
	Branch string `json:"branch,omitempty"`
	Mode   Mode   `json:"mode"`
}

// check tests the choice against the standard in force: a known level, and a branch that
// is examined at that level.
func (c *Choice) check(std *exams.Standard) error {
	c.Branch = strings.TrimSpace(c.Branch)
	if c.Mode == "" {
		c.Mode = ModeNormal
	}
	f := map[string]string{}
	if c.Mode != ModeNormal && c.Mode != ModeWrong {
		f["mode"] = "练习方式须为 normal 或 wrong"
	}
	if (c.Level != 0 || c.Mode == ModeNormal) && std.Level(c.Level) == nil {
		f["level"] = "请选择五级至一级中的一个等级"
	}
	if c.Branch != "" && f["level"] == "" {
		if std.Node(c.Branch) == nil {
			f["code"] = "标准中没有这个分支：" + c.Branch
		} else if _, at := std.CodeAt(c.Branch, c.Level); c.Level != 0 && !at {
			f["code"] = "该分支不考核" + exams.LevelName(c.Level) + "，请重新选择"
		}
	}
	return web.Invalid(f)
}

// Serve is one question handed to a clerk; its random token ties the answer to it.
type Serve struct {
	bun.BaseModel `bun:"table:practice_serves,alias:ps"`

	ID         int64     `bun:"id,pk,autoincrement"`
	UserID     int64     `bun:"user_id"`
	QuestionID int64     `bun:"question_id"`
	FamilyID   int64     `bun:"family_id"`
	Token      string    `bun:"token"`
	Level      int       `bun:"level"`
	Branch     string    `bun:"branch"`
	Mode       Mode      `bun:"mode"`
	Counted    int       `bun:"counted_level"` // the level the answer counts for in progress
	ServedAt   time.Time `bun:"served_at"`
}

func (sv *Serve) choice() Choice { return Choice{Level: sv.Level, Branch: sv.Branch, Mode: sv.Mode} }

// Answer is one answer given in practice. Correct is nil for a hand-marked question until
// the clerk marks it; then it holds the self-mark.
type Answer struct {
	bun.BaseModel `bun:"table:practice_answers,alias:pa"`

	ID         int64         `bun:"id,pk,autoincrement"`
	ServeID    int64         `bun:"serve_id"`
	UserID     int64         `bun:"user_id"`
	QuestionID int64         `bun:"question_id"`
	FamilyID   int64         `bun:"family_id"`
	Level      int           `bun:"level"`
	Code       string        `bun:"code"`
	Correct    *bool         `bun:"correct"`
	Points     float64       `bun:"points"`
	MaxPoints  int           `bun:"max_points"`
	SelfMarked *bool         `bun:"self_marked"`
	Response   bank.Response `bun:"response"`
	AnsweredAt time.Time     `bun:"answered_at"`
}

// WrongEntry is one question in a clerk's wrong-answer notebook (错题本), kept per question
// family so a new version of the question still counts.
type WrongEntry struct {
	bun.BaseModel `bun:"table:wrong_book,alias:w"`

	ID          int64          `bun:"id,pk,autoincrement" json:"-"`
	UserID      int64          `bun:"user_id" json:"-"`
	FamilyID    int64          `bun:"family_id" json:"family_id"`
	QuestionID  int64          `bun:"question_id" json:"question_id"`
	WrongCount  int            `bun:"wrong_count" json:"wrong_count"`
	LastAnswer  bank.Response  `bun:"last_answer" json:"last_answer"`
	LastWrongAt time.Time      `bun:"last_wrong_at" json:"last_wrong_at"`
	Question    *bank.Question `bun:"-" json:"question,omitempty"` // the version last answered, with its key
}

// Prefs is the last level and branch a clerk chose.
type Prefs struct {
	bun.BaseModel `bun:"table:practice_prefs,alias:pp"`

	UserID    int64     `bun:"user_id,pk"`
	Level     int       `bun:"level"`
	Branch    string    `bun:"branch"`
	UpdatedAt time.Time `bun:"updated_at"`
}

// DefaultLevel is offered before a clerk has chosen one: 五级, the lowest, since there is
// no certificate register yet to say which level a clerk holds.
const DefaultLevel = 5

// LevelName names the chosen level, "全部等级" for none.
func (c Choice) LevelName() string {
	if c.Level == 0 {
		return "全部等级"
	}
	return exams.LevelName(c.Level)
}

// Query is the choice as a query string, for the "下一题" link.
func (c Choice) Query() string {
	v := url.Values{"mode": {string(c.Mode)}}
	if c.Level != 0 {
		v.Set("level", strconv.Itoa(c.Level))
	}
	if c.Branch != "" {
		v.Set("code", c.Branch)
	}
	return v.Encode()
}

// NextURL is the address of the next question of the same choice.
func (c Choice) NextURL() template.URL { return template.URL("/practice/next?" + c.Query()) }
