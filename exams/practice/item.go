package practice

import (
	"strings"

	"clerkskill/exams"
	"clerkskill/exams/bank"
)

// Item is a question as a clerk sees it before answering: no key, no marking guide, no
// rubric and no explanation.
type Item struct {
	ID         int64       `json:"id"`
	FamilyID   int64       `json:"family_id"`
	Type       bank.Type   `json:"type"`
	TypeLabel  string      `json:"type_label"`
	Levels     bank.Levels `json:"levels"`
	Code       string      `json:"code"`
	BranchName string      `json:"branch_name"`
	Difficulty int         `json:"difficulty"`
	Point      string      `json:"point,omitempty"`
	Stem       string      `json:"stem"`
	Options    []string    `json:"options,omitempty"`
	Blanks     int         `json:"blanks,omitempty"`
	Task       string      `json:"task,omitempty"`
	Score      int         `json:"score"`
}

// itemOf strips the key from q.
func itemOf(q *bank.Question, std *exams.Standard) *Item {
	it := &Item{ID: q.ID, FamilyID: q.FamilyID, Type: q.Type, TypeLabel: q.Type.Label(), Levels: q.Levels,
		Code: q.Code, Difficulty: q.Difficulty, Point: q.Point, Stem: q.Stem, Options: q.Options,
		Task: q.Task, Score: q.Score}
	if std != nil {
		it.BranchName = branchName(std, q.Code)
	}
	if q.Type == bank.Fill {
		it.Blanks = max(len(q.Answer.Blanks), bank.BlankCount(q.Stem))
	}
	return it
}

// branchName names the nearest tree node holding code (a requirement code has no node).
func branchName(std *exams.Standard, code string) string {
	for c := code; c != ""; {
		if n := std.BranchName(c); n != "" {
			return n
		}
		i := strings.LastIndex(c, ".")
		if i < 0 {
			break
		}
		c = c[:i]
	}
	return ""
}

// Option is one choice of a choice question, for the pages.
type Option struct {
	Letter string
	Text   string
	Chosen bool
	Right  bool
}

// Choices lists the options with their letters.
func (it *Item) Choices() []Option {
	out := make([]Option, len(it.Options))
	for i, o := range it.Options {
		out[i] = Option{Letter: bank.Letters[i : i+1], Text: o}
	}
	return out
}

// IsChoice, IsMultiple and the like let templates branch on the type.
func (it *Item) IsChoice() bool    { return it.Type == bank.Single || it.Type == bank.Multiple }
func (it *Item) IsMultiple() bool  { return it.Type == bank.Multiple }
func (it *Item) IsJudge() bool     { return it.Type == bank.Judge }
func (it *Item) IsFill() bool      { return it.Type == bank.Fill }
func (it *Item) IsPractical() bool { return it.Type == bank.Practical }
func (it *Item) IsShort() bool     { return it.Type == bank.Short }

// Served is a question handed out with the token its answer must carry. Question is nil
// when nothing is left to practise; Message then says why.
type Served struct {
	Token     string `json:"token,omitempty"`
	Question  *Item  `json:"question"`
	Choice           // the level, branch and mode it was drawn for
	Remaining int    `json:"remaining"` // wrong mode: entries left in the notebook
	Message   string `json:"message,omitempty"`
}

// Feedback is what a clerk learns at once after answering: the mark for an objective
// question, the key and explanation; for a hand-marked one the guide or rubric to check
// against and their self-mark.
type Feedback struct {
	Token        string           `json:"token"`
	Question     *Item            `json:"question"`
	Objective    bool             `json:"objective"`
	Correct      *bool            `json:"correct"`
	Points       float64          `json:"points"`
	MaxPoints    int              `json:"max_points"`
	Answer       bank.Answer      `json:"answer"`
	KeyText      string           `json:"key_text"`
	Explanation  string           `json:"explanation"`
	Rubric       []bank.Criterion `json:"rubric,omitempty"`
	Response     bank.Response    `json:"response"`
	SelfMarked   *bool            `json:"self_marked"`
	InNotebook   bool             `json:"in_notebook"`
	LeftNotebook bool             `json:"left_notebook"`
	Repeat       bool             `json:"repeat"` // the token had been answered already; nothing was counted again
	Choice       `json:"choice"`
}

// Options lists the choices marked with what was chosen and what is right.
func (f *Feedback) Options() []Option {
	out := f.Question.Choices()
	for i := range out {
		out[i].Chosen = strings.Contains(strings.ToUpper(f.Response.Choice), out[i].Letter)
		out[i].Right = strings.Contains(f.Answer.Choice, out[i].Letter)
	}
	return out
}

// ResponseText is the clerk's answer in words.
func (f *Feedback) ResponseText() string { return responseText(f.Question.Type, f.Response) }

func responseText(t bank.Type, r bank.Response) string {
	switch t {
	case bank.Single, bank.Multiple:
		return orNone(r.Choice)
	case bank.Judge:
		if r.Judge == nil {
			return "（未作答）"
		}
		return judgeText(*r.Judge)
	case bank.Fill:
		return orNone(strings.Join(r.Blanks, "；"))
	}
	return orNone(r.Text)
}

func orNone(s string) string {
	if strings.TrimSpace(strings.ReplaceAll(s, "；", "")) == "" {
		return "（未作答）"
	}
	return s
}

func judgeText(v bool) string {
	if v {
		return "对"
	}
	return "错"
}

// keyText writes the key of an objective question in words.
func keyText(q *bank.Question) string {
	switch q.Type {
	case bank.Single, bank.Multiple:
		return q.Answer.Choice
	case bank.Judge:
		if q.Answer.Judge != nil {
			return judgeText(*q.Answer.Judge)
		}
	case bank.Fill:
		parts := make([]string, len(q.Answer.Blanks))
		for i, acc := range q.Answer.Blanks {
			parts[i] = strings.Join(acc, " 或 ")
		}
		return strings.Join(parts, "；")
	case bank.Short:
		return q.Answer.Guide
	}
	return ""
}

// feedbackOf builds the feedback for an answer to q.
func feedbackOf(q *bank.Question, a *Answer, sv *Serve, std *exams.Standard) *Feedback {
	return &Feedback{Token: sv.Token, Question: itemOf(q, std), Objective: q.Type.Objective(),
		Correct: a.Correct, Points: a.Points, MaxPoints: a.MaxPoints, Answer: q.Answer, KeyText: keyText(q),
		Explanation: q.Explanation, Rubric: q.Rubric, Response: a.Response, SelfMarked: a.SelfMarked,
		Choice: sv.choice()}
}

// Right reports an answer known to be right, for templates.
func (f *Feedback) Right() bool { return f.Correct != nil && *f.Correct }

// Marked reports whether a hand-marked answer has been self-marked.
func (f *Feedback) Marked() bool { return f.SelfMarked != nil }

// Mastered reports a self-mark of 掌握了.
func (f *Feedback) Mastered() bool { return f.SelfMarked != nil && *f.SelfMarked }

// LastAnswerText is the clerk's last wrong answer in words.
func (e *WrongEntry) LastAnswerText() string {
	if e.Question == nil {
		return responseText("", e.LastAnswer)
	}
	return responseText(e.Question.Type, e.LastAnswer)
}

// KeyText is the key of the version last answered, in words.
func (e *WrongEntry) KeyText() string {
	if e.Question == nil {
		return ""
	}
	return keyText(e.Question)
}
