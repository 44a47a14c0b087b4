package session

import (
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/exams/bank"
)

// Attempt statuses and who closed an attempt.
const (
	AttemptOpen   = "open"
	AttemptClosed = "closed"

	ClosedByCandidate = "candidate"
	ClosedByDeadline  = "deadline"
)

// Grace is how long after the deadline a save already in flight is still accepted.
const Grace = 20 * time.Second

// Attempt is one candidate's attempt at one part of a session. The deadline is fixed at
// start; only an invigilator's audited extension moves it.
type Attempt struct {
	bun.BaseModel `bun:"table:attempts,alias:at"`

	ID           int64      `bun:"id,pk,autoincrement" json:"id"`
	SessionID    int64      `bun:"session_id" json:"session_id"`
	PartID       int64      `bun:"part_id" json:"part_id"`
	UserID       int64      `bun:"user_id" json:"user_id"`
	Seed         int64      `bun:"seed" json:"-"`
	Status       string     `bun:"status" json:"status"`
	StartedAt    time.Time  `bun:"started_at" json:"started_at"`
	Deadline     time.Time  `bun:"deadline" json:"deadline"`
	SubmittedAt  *time.Time `bun:"submitted_at" json:"submitted_at,omitempty"`
	ClosedBy     string     `bun:"closed_by" json:"closed_by,omitempty"`
	ExtraMinutes int        `bun:"extra_minutes" json:"extra_minutes"`
	MarkedAt     *time.Time `bun:"marked_at" json:"-"`
	LoginKey     string     `bun:"login_key" json:"-"`
}

// Open reports whether the attempt still takes answers.
func (a *Attempt) Open() bool { return a.Status == AttemptOpen }

// SecondsLeft is the time to the deadline at now, never negative.
func (a *Attempt) SecondsLeft(now time.Time) int {
	if !a.Open() || !now.Before(a.Deadline) {
		return 0
	}
	return int(a.Deadline.Sub(now).Seconds())
}

// Item is one question of an attempt's paper with the option order shown.
type Item struct {
	bun.BaseModel `bun:"table:attempt_items,alias:ai"`

	AttemptID  int64   `bun:"attempt_id,pk"`
	Idx        int     `bun:"idx,pk"`
	QuestionID int64   `bun:"question_id"`
	Points     float64 `bun:"points"`
	Perm       []int   `bun:"perm"`
}

// Answer is the latest saved answer to one item, in the question's original letters.
type Answer struct {
	bun.BaseModel `bun:"table:attempt_answers,alias:aa"`

	AttemptID int64         `bun:"attempt_id,pk"`
	Idx       int           `bun:"idx,pk"`
	Response  bank.Response `bun:"response"`
	Flagged   bool          `bun:"flagged"`
	Seq       int64         `bun:"seq"`
	SavedAt   time.Time     `bun:"saved_at"`
}

// Event kinds recorded against an attempt.
const (
	EventBlur        = "blur"         // the page lost focus or was hidden
	EventPaste       = "paste"        // text pasted into an answer
	EventSecondLogin = "second_login" // opened from another login session
	EventExtend      = "extend"       // an invigilator extended the time
)

var eventLabels = map[string]string{
	EventBlur: "离开考试页面", EventPaste: "粘贴内容", EventSecondLogin: "在另一登录会话中打开", EventExtend: "延长时间",
}

// Event is one integrity event of an attempt.
type Event struct {
	bun.BaseModel `bun:"table:attempt_events,alias:ae"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	AttemptID int64     `bun:"attempt_id" json:"attempt_id"`
	Kind      string    `bun:"kind" json:"kind"`
	Detail    string    `bun:"detail" json:"detail"`
	ActorID   *int64    `bun:"actor_id" json:"actor_id,omitempty"`
	At        time.Time `bun:"at" json:"at"`
}

// Label is the event kind's Chinese name.
func (e *Event) Label() string {
	if l, ok := eventLabels[e.Kind]; ok {
		return l
	}
	return e.Kind
}

// toOriginal maps a response given in the letters shown to the question's own letters:
// perm[i] is the original index of the option shown in place i.
func toOriginal(r bank.Response, perm []int) bank.Response {
	if len(perm) == 0 {
		r.Choice = mapLetters(r.Choice, func(i int) int { return i })
		return r
	}
	r.Choice = mapLetters(r.Choice, func(i int) int {
		if i < len(perm) {
			return perm[i]
		}
		return -1
	})
	return r
}

// toShown maps a stored response back to the letters the candidate sees.
func toShown(r bank.Response, perm []int) bank.Response {
	if len(perm) == 0 {
		return r
	}
	r.Choice = mapLetters(r.Choice, func(orig int) int {
		for i, p := range perm {
			if p == orig {
				return i
			}
		}
		return -1
	})
	return r
}

// mapLetters maps each option letter through f, drops letters f does not know, and
// returns the result sorted. Without a permutation the letters are only normalised.
func mapLetters(s string, f func(int) int) string {
	var out []byte
	for _, c := range strings.ToUpper(s) {
		i := strings.IndexRune(bank.Letters, c)
		if i < 0 {
			continue
		}
		if j := f(i); j >= 0 && j < len(bank.Letters) && !strings.ContainsRune(string(out), rune(bank.Letters[j])) {
			out = append(out, bank.Letters[j])
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
	return string(out)
}
