package curriculum

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/exams/bank"
)

// Bank is what the curriculum needs from the question bank: questions by version id (with
// their owning unit) for quizzes, and a search for the quiz editor. app hands in the bank's
// store.
type Bank interface {
	FindQuestionsByIDs(ctx context.Context, ids []int64) (map[int64]*bank.Question, error)
	FindQuestions(ctx context.Context, f bank.Filter) ([]*bank.Question, int, error)
	FillOwners(ctx context.Context, list []*bank.Question) error
}

// Quiz limits.
const (
	MaxQuizQuestions = 50
	MaxQuizAttempts  = 20
)

// Quiz is the optional end-of-course quiz of one revision: bank questions (versions, in
// order), the pass mark in percent and how many attempts a learner has (0: no limit).
type Quiz struct {
	bun.BaseModel `bun:"table:course_quizzes,alias:qz"`

	ID          int64   `bun:"id,pk,autoincrement" json:"-"`
	RevisionID  int64   `bun:"revision_id" json:"-"`
	QuestionIDs []int64 `bun:"question_ids" json:"question_ids"`
	PassPercent int     `bun:"pass_percent" json:"pass_percent"`
	MaxAttempts int     `bun:"max_attempts" json:"max_attempts"`
}

// QuizInput is what a trainer sets on a quiz.
type QuizInput struct {
	QuestionIDs []int64 `json:"question_ids"`
	PassPercent int     `json:"pass_percent"`
	MaxAttempts int     `json:"max_attempts"`
}

// Validate checks the input's own bounds; the questions are checked against the bank.
func (in *QuizInput) Validate() error {
	f := map[string]string{}
	seen := map[int64]bool{}
	ids := in.QuestionIDs[:0:0]
	for _, id := range in.QuestionIDs {
		if id > 0 && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	in.QuestionIDs = ids
	switch {
	case len(ids) == 0:
		f["question_ids"] = "请至少选择一道题"
	case len(ids) > MaxQuizQuestions:
		f["question_ids"] = "测验最多 50 道题"
	}
	if in.PassPercent < 1 || in.PassPercent > 100 {
		f["pass_percent"] = "合格线须为 1 至 100 之间的百分数"
	}
	if in.MaxAttempts < 0 || in.MaxAttempts > MaxQuizAttempts {
		f["max_attempts"] = "次数上限须为 0（不限）至 20"
	}
	if len(f) > 0 {
		return web.Invalid(f)
	}
	return nil
}

// quizQuestionProblem says why a bank question cannot go into a quiz, or "" when it can:
// it must mark itself, be active, be open to practice (exam-only questions never show
// their key to learners) and be owned within the author's question scope.
func quizQuestionProblem(q *bank.Question, scope []string) string {
	switch {
	case q == nil:
		return "题目不存在"
	case !q.Type.Objective():
		return "只能选择可自动判分的客观题"
	case q.Status != bank.StatusActive:
		return "题目已停用"
	case q.Pool == bank.PoolExam:
		return "“仅考试”的题目不能用于课程测验"
	case !covers(scope, q.OwnerPath):
		return "题目不存在"
	}
	return ""
}

func covers(scope []string, path string) bool {
	for _, p := range scope {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// AttemptItem is one question of an attempt with the order its options are shown in:
// Perm[i] is the question's own index of the option shown in place i.
type AttemptItem struct {
	QuestionID int64 `json:"question_id"`
	Perm       []int `json:"perm,omitempty"`
}

// QuizAttempt is one go at a quiz. Items and answers stay inside: learners see them
// through QuizSheet (before submitting) and QuizResult (after).
type QuizAttempt struct {
	bun.BaseModel `bun:"table:course_quiz_attempts,alias:qa"`

	ID           int64           `bun:"id,pk,autoincrement" json:"id"`
	EnrollmentID int64           `bun:"enrollment_id" json:"-"`
	Revision     int             `bun:"revision" json:"revision"`
	Seq          int             `bun:"seq" json:"seq"`
	Items        []AttemptItem   `bun:"items" json:"-"`
	Answers      []bank.Response `bun:"answers" json:"-"`
	Score        float64         `bun:"score" json:"score"`
	MaxScore     float64         `bun:"max_score" json:"max_score"`
	Percent      int             `bun:"percent" json:"percent"`
	Passed       bool            `bun:"passed" json:"passed"`
	StartedAt    time.Time       `bun:"started_at" json:"started_at"`
	SubmittedAt  *time.Time      `bun:"submitted_at" json:"submitted_at"`
}

// Submitted reports whether the attempt has been handed in.
func (a *QuizAttempt) Submitted() bool { return a.SubmittedAt != nil }

// newItems lays out the quiz's questions for a new attempt, shuffling each choice
// question's options.
func newItems(ids []int64, qs map[int64]*bank.Question) []AttemptItem {
	out := make([]AttemptItem, 0, len(ids))
	for _, id := range ids {
		it := AttemptItem{QuestionID: id}
		if q := qs[id]; q != nil && isChoice(q.Type) && len(q.Options) > 1 {
			it.Perm = rand.Perm(len(q.Options))
		}
		out = append(out, it)
	}
	return out
}

func isChoice(t bank.Type) bool { return t == bank.Single || t == bank.Multiple }

// QuizItem is a question as a learner sees it in an attempt: options in the attempt's
// order and nothing of the key.
type QuizItem struct {
	Index     int       `json:"index"`
	Type      bank.Type `json:"type"`
	TypeLabel string    `json:"type_label"`
	Stem      string    `json:"stem"`
	Options   []string  `json:"options,omitempty"`
	Blanks    int       `json:"blanks,omitempty"`
	Score     int       `json:"score"`
}

// Letter is the label of the option shown in place i.
func (it *QuizItem) Letter(i int) string { return bank.Letters[i : i+1] }

// IsChoice, IsMultiple, IsJudge and IsFill let templates branch on the type.
func (it *QuizItem) IsChoice() bool   { return isChoice(it.Type) }
func (it *QuizItem) IsMultiple() bool { return it.Type == bank.Multiple }
func (it *QuizItem) IsJudge() bool    { return it.Type == bank.Judge }
func (it *QuizItem) IsFill() bool     { return it.Type == bank.Fill }

// BlankList numbers the blanks of a fill-in question, for templates.
func (it *QuizItem) BlankList() []int {
	out := make([]int, it.Blanks)
	for i := range out {
		out[i] = i
	}
	return out
}

func quizItem(i int, it AttemptItem, q *bank.Question) *QuizItem {
	out := &QuizItem{Index: i}
	if q == nil {
		return out
	}
	out.Type, out.TypeLabel, out.Stem, out.Score = q.Type, q.Type.Label(), q.Stem, q.Score
	out.Options = shownOptions(q.Options, it.Perm)
	if q.Type == bank.Fill {
		out.Blanks = max(len(q.Answer.Blanks), bank.BlankCount(q.Stem))
	}
	return out
}

func shownOptions(opts []string, perm []int) []string {
	if len(perm) != len(opts) {
		return opts
	}
	out := make([]string, len(opts))
	for i, p := range perm {
		out[i] = opts[p]
	}
	return out
}

// toOwn maps letters as shown to the question's own letters; toShown maps back.
func toOwn(letters string, perm []int) string {
	return mapLetters(letters, func(i int) int {
		if len(perm) == 0 {
			return i
		}
		if i < len(perm) {
			return perm[i]
		}
		return -1
	})
}

func toShown(letters string, perm []int) string {
	return mapLetters(letters, func(own int) int {
		if len(perm) == 0 {
			return own
		}
		return slices.Index(perm, own)
	})
}

// mapLetters maps each option letter through f, drops unknown and repeated ones and
// returns them sorted.
func mapLetters(s string, f func(int) int) string {
	var out []byte
	for _, c := range strings.ToUpper(s) {
		i := strings.IndexRune(bank.Letters, c)
		if i < 0 {
			continue
		}
		if j := f(i); j >= 0 && j < len(bank.Letters) && !slices.Contains(out, bank.Letters[j]) {
			out = append(out, bank.Letters[j])
		}
	}
	slices.Sort(out)
	return string(out)
}
