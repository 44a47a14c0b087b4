package bank

import (
	"testing"

	"clerkskill/exams"
)

func std(t *testing.T) *exams.Standard {
	t.Helper()
	s, err := exams.DefaultStandard()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func yes() *bool { b := true; return &b }

func validSingle() *Question {
	return &Question{Type: Single, Levels: LevelsOf(5, 4), Code: "2.1", Difficulty: 2, Stem: "申请材料不齐全时，窗口应当如何处理？",
		Options: []string{"直接退回", "一次性告知需要补正的全部内容", "让群众自行查询", "先受理再说"}, Answer: Answer{Choice: "b"},
		Score: 1, Explanation: "一次性告知，避免群众多跑。", Pool: PoolBoth}
}

func TestValidateByType(t *testing.T) {
	s := std(t)
	cases := []struct {
		name  string
		edit  func(q *Question)
		field string // "" when valid
	}{
		{"valid single, answer letter folded to upper case", func(q *Question) {}, ""},
		{"answer outside the options", func(q *Question) { q.Answer.Choice = "E" }, "answer"},
		{"single with two letters", func(q *Question) { q.Answer.Choice = "AB" }, "answer"},
		{"multiple with one letter", func(q *Question) { q.Type = Multiple; q.Answer.Choice = "A" }, "answer"},
		{"multiple valid, letters sorted", func(q *Question) { q.Type = Multiple; q.Answer.Choice = "DB" }, ""},
		{"duplicate options", func(q *Question) { q.Options[1] = q.Options[0] }, "options"},
		{"unknown standard code", func(q *Question) { q.Code = "9.9" }, "code"},
		{"code not examined at the level", func(q *Question) { q.Code = "6.1" }, "code"},
		{"no level", func(q *Question) { q.Levels = 0 }, "levels"},
		{"difficulty 6", func(q *Question) { q.Difficulty = 6 }, "difficulty"},
		{"judge without answer", func(q *Question) { q.Type = Judge; q.Options = nil }, "answer"},
		{"judge", func(q *Question) { q.Type = Judge; q.Options = nil; q.Answer = Answer{Judge: yes()} }, ""},
		{"fill blanks match the stem", func(q *Question) {
			q.Type, q.Options, q.Stem = Fill, nil, "材料不全的，应当在（　　）日内（　　）告知。"
			q.Answer = Answer{Blanks: [][]string{{"五", "5"}, {"一次"}}}
		}, ""},
		{"fill blank count differs", func(q *Question) {
			q.Type, q.Options, q.Stem = Fill, nil, "应当在（　　）日内告知。"
			q.Answer = Answer{Blanks: [][]string{{"五"}, {"一次"}}}
		}, "stem"},
		{"short without guide", func(q *Question) { q.Type, q.Options, q.Answer = Short, nil, Answer{} }, "guide"},
		{"practical rubric must sum to the score", func(q *Question) {
			q.Type, q.Options, q.Answer, q.Task, q.Score = Practical, nil, Answer{}, "接待一位老人", 10
			q.Rubric = []Criterion{{"文明用语", 4}, {"准确告知", 5}}
		}, "rubric"},
	}
	for _, c := range cases {
		q := validSingle()
		c.edit(q)
		err := q.Validate(s)
		if c.field == "" && err != nil {
			t.Errorf("%s: unexpected %v", c.name, err)
		}
		if c.field != "" && (err == nil || !hasField(err, c.field)) {
			t.Errorf("%s: want a problem with %s, got %v", c.name, c.field, err)
		}
	}
	q := validSingle()
	_ = q.Validate(s)
	if q.Answer.Choice != "B" {
		t.Errorf("answer not normalised: %q", q.Answer.Choice)
	}
}

func hasField(err error, field string) bool { return fieldOf(err, field) }

func TestGradeMultiplePartialRules(t *testing.T) {
	q := &Question{Type: Multiple, Answer: Answer{Choice: "ACD"}, Score: 3}
	cases := []struct {
		partial Partial
		choice  string
		want    float64
	}{
		{PartialNone, "ACD", 3}, {PartialNone, "AC", 0}, {PartialNone, "ABC", 0},
		{PartialHalf, "CA", 1.5}, {PartialHalf, "ACB", 0}, {PartialHalf, "", 0}, {PartialHalf, "dca", 3},
		{PartialProportional, "A", 1}, {PartialProportional, "AD", 2}, {PartialProportional, "AB", 0},
	}
	for _, c := range cases {
		q.Partial = c.partial
		res, ok := q.Grade(Response{Choice: c.choice})
		if !ok || res.Points != c.want {
			t.Errorf("%s %q: %v, want %v", c.partial, c.choice, res.Points, c.want)
		}
	}
}

func TestGradeFillNormalises(t *testing.T) {
	q := &Question{Type: Fill, Score: 4, Answer: Answer{Blanks: [][]string{{"五日", "5日"}, {"一次性"}}}}
	cases := []struct {
		blanks []string
		want   float64
	}{
		{[]string{"５日", " 一次性 "}, 4}, // full-width digit, spaces
		{[]string{"5 日", "一次性"}, 4},
		{[]string{"五日", "一次"}, 2},
		{[]string{"", ""}, 0},
		{[]string{"五日"}, 2}, // missing blank
	}
	for _, c := range cases {
		res, _ := q.Grade(Response{Blanks: c.blanks})
		if res.Points != c.want {
			t.Errorf("%q: %v, want %v", c.blanks, res.Points, c.want)
		}
	}
	if _, ok := (&Question{Type: Short}).Grade(Response{Text: "x"}); ok {
		t.Error("short answers are hand-marked")
	}
	j := &Question{Type: Judge, Score: 1, Answer: Answer{Judge: yes()}}
	no := false
	if r, _ := j.Grade(Response{Judge: &no}); r.Points != 0 {
		t.Error("wrong judge answer scored")
	}
	if r, _ := j.Grade(Response{}); r.Points != 0 {
		t.Error("unanswered judge scored")
	}
}

func TestLevelsBitmask(t *testing.T) {
	l := LevelsOf(5, 3, 9)
	if !l.Has(5) || l.Has(4) || l.Has(9) || l.String() != "五级、三级" {
		t.Fatalf("levels %v %s", l.List(), l)
	}
}
