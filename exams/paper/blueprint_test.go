package paper_test

import (
	"strings"
	"testing"

	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/exams/paper"
)

func defaultStd(t *testing.T) *exams.Standard {
	t.Helper()
	std, err := exams.DefaultStandard()
	if err != nil {
		t.Fatal(err)
	}
	return std
}

// exact is a 五级 theory blueprint with one row per branch worth exactly its weight,
// except that shift points move from branch 5 to branch 2.
func exact(shift, tol float64) *paper.Blueprint {
	marks := map[string]float64{"0.1": 5, "0.2": 25, "1": 20, "2": 25 + shift, "3": 10, "4": 10, "5": 5 - shift}
	b := &paper.Blueprint{Name: "测试", Level: 5, Part: exams.PartTheory, Tolerance: tol, Mix: paper.DefaultMix}
	for _, c := range []string{"0.1", "0.2", "1", "2", "3", "4", "5"} {
		b.Rows = append(b.Rows, paper.Row{Code: c, Type: bank.Single, Count: 1, Points: marks[c]})
	}
	return b
}

func fieldsOf(err error) map[string]string {
	if e, ok := err.(*web.Error); ok && e.Code == web.EINVALID {
		return e.Fields
	}
	return nil
}

func TestBlueprintDeviation(t *testing.T) {
	std := defaultStd(t)
	b := exact(2, 2)
	b.Rows[3] = paper.Row{Code: "2", Type: bank.Single, Count: 9, Points: 3} // 27 marks
	bal := b.Balance(std)
	byCode := map[string]paper.Share{}
	for _, s := range bal.Shares {
		byCode[s.Code] = s
	}
	if bal.Total != 100 || len(bal.Shares) != 7 {
		t.Fatalf("total %v, %d shares", bal.Total, len(bal.Shares))
	}
	for code, want := range map[string][3]float64{"2": {25, 27, 2}, "5": {5, 3, -2}, "0.2": {25, 25, 0}} {
		s := byCode[code]
		if s.Weight != want[0] || s.Percent != want[1] || s.Deviation != want[2] || !s.Within {
			t.Errorf("branch %s: %+v, want weight %v share %v deviation %v within", code, s, want[0], want[1], want[2])
		}
	}
	if byCode["2"].Name != "受理与初审" || byCode["2"].DeviationText() != "+2" || byCode["5"].DeviationText() != "-2" {
		t.Errorf("names or texts: %+v", byCode["2"])
	}
	// Shares are of the paper's total: a 50-mark paper in proportion deviates nowhere.
	half := exact(0, 2)
	for i := range half.Rows {
		half.Rows[i].Points /= 2
	}
	hb := half.Balance(std)
	if hb.Total != 50 || hb.Shares[1].Percent != 25 || hb.Shares[1].Deviation != 0 || hb.OK() {
		t.Errorf("half paper: %+v", hb)
	}
}

func TestBlueprintToleranceEdge(t *testing.T) {
	std := defaultStd(t)
	cases := []struct {
		name       string
		shift, tol float64
		refused    []string
	}{
		{"exact", 0, 0, nil},
		{"at the edge", 2, 2, nil},
		{"half a point past", 2.5, 2, []string{"branch.2", "branch.5"}},
		{"zero tolerance refuses any gap", 0.5, 0, []string{"branch.2", "branch.5"}},
		{"wide tolerance", 4.5, 5, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := exact(c.shift, c.tol).Validate(std)
			f := fieldsOf(err)
			if len(c.refused) == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if len(f) != len(c.refused) {
				t.Fatalf("fields %v, want %v", f, c.refused)
			}
			for _, k := range c.refused {
				if f[k] == "" {
					t.Errorf("no message for %s in %v", k, f)
				}
			}
		})
	}
	msg := fieldsOf(exact(2.5, 2).Validate(std))["branch.2"]
	for _, want := range []string{"2 受理与初审", "27.5 分", "27.5%", "权重表为 25%", "+2.5", "±2"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

func TestBlueprintValidateRefusals(t *testing.T) {
	std := defaultStd(t)
	mod := func(fn func(b *paper.Blueprint)) *paper.Blueprint { b := exact(0, 2); fn(b); return b }
	cases := []struct {
		name  string
		b     *paper.Blueprint
		field string
		text  string
	}{
		{"total", mod(func(b *paper.Blueprint) { b.Rows[0].Points = 6 }), "total", "合计 101 分"},
		{"stray code", mod(func(b *paper.Blueprint) { b.Rows[0].Code = "0" }), "stray.0", "不在本等级本部分权重表"},
		{"unknown branch", mod(func(b *paper.Blueprint) { b.Rows[0].Code = "9.9" }), "row.1", "不在现行标准中"},
		{"branch not at level", mod(func(b *paper.Blueprint) { b.Rows[0].Code = "6" }), "row.1", "不考核五级"},
		{"practical in theory", mod(func(b *paper.Blueprint) { b.Rows[0].Type = bank.Practical }), "row.1", "理论知识不能使用"},
		{"count", mod(func(b *paper.Blueprint) { b.Rows[0].Count = 0 }), "row.1", "题数"},
		{"points", mod(func(b *paper.Blueprint) { b.Rows[0].Points = 0.3 }), "row.1", "0.5 分"},
		{"duplicate row", mod(func(b *paper.Blueprint) { b.Rows[1].Code = "0.1" }), "row.2", "重复"},
		{"mix", mod(func(b *paper.Blueprint) { b.Mix.Hard = 30 }), "mix", "合计 100%"},
		{"review part", mod(func(b *paper.Blueprint) { b.Part = exams.PartReview }), "part", "考核部分"},
		{"no review table", mod(func(b *paper.Blueprint) { b.Level = 2; b.Part = "review" }), "part", ""},
		{"tolerance", mod(func(b *paper.Blueprint) { b.Tolerance = 11 }), "tolerance", "0 至 10"},
		{"name", mod(func(b *paper.Blueprint) { b.Name = "  " }), "name", "名称"},
		{"no rows", mod(func(b *paper.Blueprint) { b.Rows = nil }), "rows", "至少填写一行"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := fieldsOf(c.b.Validate(std))
			if f[c.field] == "" || !strings.Contains(f[c.field], c.text) {
				t.Errorf("field %s: got %v, want text %q", c.field, f, c.text)
			}
		})
	}
}
