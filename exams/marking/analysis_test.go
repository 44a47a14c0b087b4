package marking

import (
	"fmt"
	"slices"
	"testing"

	"clerkskill/exams/bank"
)

// TestAnalyseHandChecked runs the item analysis on six candidates whose figures were
// worked out by hand. Part scores 90, 80, 70, 60, 50, 40: the 27% groups are two each,
// attempts 1–2 (upper) and 5–6 (lower).
func TestAnalyseHandChecked(t *testing.T) {
	yes := true
	qs := map[int64]*bank.Question{
		1: {ID: 1, Type: bank.Single, Code: "1.1", Options: []string{"甲", "乙", "丙", "丁"}, Answer: bank.Answer{Choice: "A"}},
		2: {ID: 2, Type: bank.Judge, Code: "0.1", Answer: bank.Answer{Judge: &yes}},
		3: {ID: 3, Type: bank.Short, Code: "3.1"},
		4: {ID: 4, Type: bank.Single, Code: "2.1", Options: []string{"甲", "乙"}, Answer: bank.Answer{Choice: "B"}},
	}
	d := analysisData{partOf: map[int64]string{}, totals: map[int64]float64{}, questions: qs}
	for a := int64(1); a <= 6; a++ {
		d.partOf[a], d.totals[a] = "theory", float64(100-10*a)
	}
	add := func(q int64, points float64, scores []float64, choices []string) {
		for i, s := range scores {
			d.marks = append(d.marks, &ItemMark{AttemptID: int64(i + 1), QuestionID: q, Points: points, Score: ptr(s),
				Status: StatusAuto, Choice: choices[i], Answered: choices[i] != ""})
		}
	}
	add(1, 10, []float64{10, 10, 10, 0, 0, 0}, []string{"A", "A", "A", "B", "B", ""})
	add(2, 5, []float64{0, 0, 5, 5, 5, 5}, []string{"F", "F", "T", "T", "T", "T"})
	add(3, 20, []float64{20, 20, 20, 20, 20, 18}, []string{"", "", "", "", "", ""})
	for i := range d.marks[12:] {
		d.marks[12+i].Answered = true
	}
	add(4, 2, []float64{2, 0, 2}, []string{"B", "A", "B"})
	byID := map[int64]*ItemStat{}
	for _, it := range analyse(d) {
		byID[it.QuestionID] = it
	}
	want := []struct {
		q          int64
		n          int
		p, d       string
		unanswered int
		options    string
		flags      []string
	}{
		{1, 6, "0.50", "1.00", 1, "A*3 B2 C0 D0", []string{"干扰项C无人选择", "干扰项D无人选择"}},
		{2, 6, "0.67", "-1.00", 0, "T*4 F2", []string{"区分度为负"}},
		{3, 6, "0.98", "0.05", 0, "", []string{"过易", "区分度偏低"}},
		{4, 3, "0.67", "—", 0, "A1 B*2", []string{}}, // nobody in the lower group had it
	}
	for _, w := range want {
		it := byID[w.q]
		if it == nil {
			t.Fatalf("question %d missing", w.q)
		}
		if it.N != w.n || it.FacilityText() != w.p || it.DiscriminationText() != w.d || it.Unanswered != w.unanswered {
			t.Errorf("question %d: n %d P %s D %s unanswered %d; want %d %s %s %d", w.q, it.N, it.FacilityText(), it.DiscriminationText(), it.Unanswered, w.n, w.p, w.d, w.unanswered)
		}
		if got := optionText(it.Options); got != w.options {
			t.Errorf("question %d options %q, want %q", w.q, got, w.options)
		}
		if !slices.Equal(it.Flags, w.flags) {
			t.Errorf("question %d flags %v, want %v", w.q, it.Flags, w.flags)
		}
	}
}

func optionText(os []OptionCount) string {
	s := ""
	for i, o := range os {
		if i > 0 {
			s += " "
		}
		star := ""
		if o.Key {
			star = "*"
		}
		s += fmt.Sprintf("%s%s%d", o.Letter, star, o.Count)
	}
	return s
}
