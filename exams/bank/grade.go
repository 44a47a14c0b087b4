package bank

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// Response is what a candidate answered; which fields apply depends on the type.
type Response struct {
	Choice string   `json:"choice,omitempty"`
	Judge  *bool    `json:"judge,omitempty"`
	Blanks []string `json:"blanks,omitempty"`
	Text   string   `json:"text,omitempty"` // short answer or practical notes
}

// Result is the mark of one objective answer.
type Result struct {
	Points float64 `json:"points"`
	Full   bool    `json:"full"` // every mark earned
}

// Grade marks an objective answer. ok is false for hand-marked types.
func (q *Question) Grade(r Response) (res Result, ok bool) {
	switch q.Type {
	case Single:
		return q.all(sortLetters(strings.ToUpper(r.Choice)) == q.Answer.Choice), true
	case Multiple:
		return q.gradeMultiple(sortLetters(strings.ToUpper(r.Choice))), true
	case Judge:
		return q.all(r.Judge != nil && q.Answer.Judge != nil && *r.Judge == *q.Answer.Judge), true
	case Fill:
		return q.gradeFill(r.Blanks), true
	}
	return Result{}, false
}

func (q *Question) all(right bool) Result {
	if right {
		return Result{Points: float64(q.Score), Full: true}
	}
	return Result{}
}

func (q *Question) gradeMultiple(choice string) Result {
	key := q.Answer.Choice
	if choice == key {
		return q.all(true)
	}
	right := 0
	for _, c := range choice {
		if !strings.ContainsRune(key, c) {
			return Result{} // a wrong option chosen earns nothing under every rule
		}
		right++
	}
	switch {
	case right == 0:
		return Result{}
	case q.Partial == PartialHalf:
		return Result{Points: float64(q.Score) / 2}
	case q.Partial == PartialProportional:
		return Result{Points: float64(q.Score) * float64(right) / float64(len(key))}
	}
	return Result{}
}

func (q *Question) gradeFill(blanks []string) Result {
	n := len(q.Answer.Blanks)
	right := 0
	for i, accepted := range q.Answer.Blanks {
		if i < len(blanks) && acceptedAnswer(blanks[i], accepted) {
			right++
		}
	}
	if right == n {
		return q.all(true)
	}
	return Result{Points: float64(q.Score) * float64(right) / float64(n)}
}

func acceptedAnswer(got string, accepted []string) bool {
	g := NormalizeText(got)
	for _, a := range accepted {
		if g != "" && g == NormalizeText(a) {
			return true
		}
	}
	return false
}

// NormalizeText folds full-width letters, digits and punctuation to half-width, drops
// every kind of space and lower-cases, so "５日" matches "5日" and "Ａ Ｂ" matches "ab".
func NormalizeText(s string) string {
	s = width.Narrow.String(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
