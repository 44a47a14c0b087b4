package bank

import (
	"strconv"
	"strings"
)

// questionForm is the authoring form as posted: one field set for every type, with the
// answer key spread over inputs that suit each type. Numbers stay text so a bad entry is
// reported next to its field and shown back as typed.
type questionForm struct {
	Type        string   `form:"type"`
	Stem        string   `form:"stem"`
	Options     []string `form:"options"`   // A–H in order
	Choice      []string `form:"choice"`    // the correct letters
	Judge       string   `form:"judge"`     // "true" or "false"
	Blanks      string   `form:"blanks"`    // one line per blank, alternatives split by ｜ or |
	Guide       string   `form:"guide"`     // short answer marking guide
	Task        string   `form:"task"`      // practical task card
	Criteria    []string `form:"criterion"` // practical rubric rows
	Points      []string `form:"points"`
	Levels      []int    `form:"levels"`
	Code        string   `form:"code"`
	Difficulty  string   `form:"difficulty"`
	Point       string   `form:"point"`
	Score       string   `form:"score"`
	Partial     string   `form:"partial"`
	Explanation string   `form:"explanation"`
	Pool        string   `form:"pool"`
	OwnerOrgID  int64    `form:"owner_org_id"`
}

// question turns the form into a question. Problems only the form can have (a number that
// is not one) come back as field messages; the rest is left to Question.Validate.
func (f questionForm) question() (*Question, map[string]string) {
	errs := map[string]string{}
	q := &Question{Type: Type(formText(f.Type)), Levels: LevelsOf(f.Levels...), Code: formText(f.Code),
		Point: formText(f.Point), Stem: formText(f.Stem), Explanation: formText(f.Explanation), Pool: Pool(formText(f.Pool)),
		Partial: Partial(formText(f.Partial)), OwnerOrgID: f.OwnerOrgID}
	q.Difficulty = formInt(f.Difficulty, "difficulty", "难度须为1至5", errs)
	switch q.Type {
	case Single, Multiple:
		q.Options = trimTrailing(f.Options)
		q.Answer.Choice = strings.Join(f.Choice, "")
	case Judge:
		if f.Judge == "true" || f.Judge == "false" {
			b := f.Judge == "true"
			q.Answer.Judge = &b
		}
	case Fill:
		q.Answer.Blanks = parseBlankLines(f.Blanks)
	case Short:
		q.Answer.Guide = formText(f.Guide)
	case Practical:
		q.Task = formText(f.Task)
		q.Rubric = f.rubric(errs)
	}
	q.Score = f.score(q, errs)
	if q.Type != Multiple {
		q.Partial = PartialNone
	}
	return q, errs
}

// score reads the score; a practical task without one scores the sum of its rubric.
func (f questionForm) score(q *Question, errs map[string]string) int {
	if strings.TrimSpace(f.Score) == "" && q.Type == Practical {
		sum := 0
		for _, c := range q.Rubric {
			sum += c.Points
		}
		return sum
	}
	return formInt(f.Score, "score", "分值须为1至100的整数", errs)
}

func (f questionForm) rubric(errs map[string]string) []Criterion {
	var out []Criterion
	for i, text := range f.Criteria {
		pts := ""
		if i < len(f.Points) {
			pts = strings.TrimSpace(f.Points[i])
		}
		text = strings.TrimSpace(text)
		if text == "" && pts == "" {
			continue
		}
		n, err := strconv.Atoi(pts)
		if err != nil {
			errs["rubric"] = "评分细则第" + strconv.Itoa(len(out)+1) + "条的分值须为整数"
		}
		out = append(out, Criterion{Criterion: strings.Clone(text), Points: n})
	}
	return out
}

func formInt(s, field, msg string, errs map[string]string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		errs[field] = msg
	}
	return n
}

func formText(s string) string { return strings.Clone(strings.TrimSpace(s)) }

// trimTrailing drops empty options after the last filled one; a gap before it stays, so
// the letters marked correct keep pointing at the same text and the gap is reported.
func trimTrailing(opts []string) []string {
	out := make([]string, 0, len(opts))
	for _, o := range opts {
		out = append(out, formText(o))
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// parseBlankLines reads fill-in answers: one line per blank, alternatives separated by a
// full-width ｜ or an ASCII |. Empty lines are skipped.
func parseBlankLines(text string) [][]string {
	var out [][]string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var alts []string
		for _, a := range strings.FieldsFunc(line, func(r rune) bool { return r == '|' || r == '｜' }) {
			if a = strings.TrimSpace(a); a != "" {
				alts = append(alts, strings.Clone(a))
			}
		}
		out = append(out, alts)
	}
	return out
}

// formatBlankLines writes fill-in answers back in the form's layout.
func formatBlankLines(blanks [][]string) string {
	lines := make([]string, len(blanks))
	for i, alts := range blanks {
		lines[i] = strings.Join(alts, "｜")
	}
	return strings.Join(lines, "\n")
}

// formOf fills the form from a stored question, for editing.
func formOf(q *Question) questionForm {
	f := questionForm{Type: string(q.Type), Stem: q.Stem, Options: q.Options, Levels: q.Levels.List(), Code: q.Code,
		Point: q.Point, Partial: string(q.Partial), Explanation: q.Explanation, Pool: string(q.Pool),
		OwnerOrgID: q.OwnerOrgID, Guide: q.Answer.Guide, Task: q.Task, Blanks: formatBlankLines(q.Answer.Blanks)}
	if q.Difficulty > 0 {
		f.Difficulty = strconv.Itoa(q.Difficulty)
	}
	if q.Score > 0 {
		f.Score = strconv.Itoa(q.Score)
	}
	for _, r := range q.Answer.Choice {
		f.Choice = append(f.Choice, string(r))
	}
	if q.Answer.Judge != nil {
		f.Judge = strconv.FormatBool(*q.Answer.Judge)
	}
	for _, c := range q.Rubric {
		f.Criteria, f.Points = append(f.Criteria, c.Criterion), append(f.Points, strconv.Itoa(c.Points))
	}
	return f
}
