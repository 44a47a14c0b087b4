package exams

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"clerkskill/app/web"
)

func TestCompareStandards(t *testing.T) {
	ignoreText := cmpopts.IgnoreFields(Difference{}, "Text")
	t.Run("equal definitions", func(t *testing.T) {
		if got := CompareStandards(MustDefault(t), MustDefault(t)); len(got) != 0 {
			t.Errorf("differences = %v, want none", got)
		}
	})
	t.Run("changed weight and pass mark", func(t *testing.T) {
		a, b := MustDefault(t), MustDefault(t)
		b.Level(4).SkillWeights[0].Percent = 25 // 1 咨询引导: 20 → 25
		b.Level(4).SkillWeights[1].Percent = 30 // 2 受理与初审: 35 → 30
		b.Level(2).Part(PartReview).PassMark = 70
		want := []Difference{
			{Kind: DiffPart, Level: 2, Part: PartReview, Field: "pass_mark", Old: "60", New: "70"},
			{Kind: DiffWeight, Level: 4, Part: PartSkill, Code: "1", Old: "20%", New: "25%"},
			{Kind: DiffWeight, Level: 4, Part: PartSkill, Code: "2", Old: "35%", New: "30%"},
		}
		got := CompareStandards(a, b)
		if diff := cmp.Diff(want, got, ignoreText, cmpopts.SortSlices(func(x, y Difference) bool { return x.Level < y.Level || x.Code < y.Code })); diff != "" {
			t.Errorf("differences (-want +got):\n%s", diff)
		}
		if len(got) == 3 && !strings.Contains(diffTexts(got), "四级 技能考核权重 1 咨询引导：20% → 25%") {
			t.Errorf("texts:\n%s", diffTexts(got))
		}
	})
	t.Run("tree nodes added and removed", func(t *testing.T) {
		a, b := MustDefault(t), MustDefault(t)
		b.Tree[1].Children = b.Tree[1].Children[:1] // drop 1.2 with its four requirements
		b.Tree[1].Children[0].Skills = append(b.Tree[1].Children[0].Skills, Requirement{Code: "1.1.9", Text: "新技能"})
		texts := diffTexts(CompareStandards(a, b))
		for _, w := range []string{"删除 代码 1.2（原为 导办分流）", "删除 代码 1.2.1", "新增 代码 1.1.9：技能要求：新技能"} {
			if !strings.Contains(texts, w) {
				t.Errorf("texts lack %q:\n%s", w, texts)
			}
		}
	})
	t.Run("level removed and eligibility changed", func(t *testing.T) {
		a, b := MustDefault(t), MustDefault(t)
		b.Levels = b.Levels[:4]
		b.Level(4).Eligibility[1].Years = 6
		b.Level(4).Eligibility[1].Note = ""
		texts := diffTexts(CompareStandards(a, b))
		for _, w := range []string{"删除 等级 一级", "四级 申报条件第 2 条：累计从事本职业工作 5 年（含）以上 → 累计从事本职业工作 6 年（含）以上"} {
			if !strings.Contains(texts, w) {
				t.Errorf("texts lack %q:\n%s", w, texts)
			}
		}
	})
}

func diffTexts(ds []Difference) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.Text + "\n")
	}
	return b.String()
}

func TestPrintStandard(t *testing.T) {
	s := MustDefault(t)
	t.Run("all levels", func(t *testing.T) {
		out := mustPrint(t, s, 0)
		for _, w := range []string{"暂定说明", "一级/高级技师  综合评审  60/100  15 分钟", "【理论知识权重表】", "8 业务改进（适用：二级、一级）", "合计"} {
			if !strings.Contains(out, w) {
				t.Errorf("output lacks %q", w)
			}
		}
	})
	t.Run("one level hides branches above it", func(t *testing.T) {
		out := mustPrint(t, s, 4)
		for _, bad := range []string{"6 服务管理", "6.1 现场管理", "1.1.3", "五级/初级工", "综合评审  "} {
			if strings.Contains(out, bad) {
				t.Errorf("四级 output shows %q", bad)
			}
		}
		if !strings.Contains(out, "2     受理与初审  35") {
			t.Errorf("四级 skill weight row missing:\n%s", out)
		}
	})
	t.Run("unknown level", func(t *testing.T) {
		if err := PrintStandard(&bytes.Buffer{}, s, 6); web.ErrorCode(err) != web.EINVALID {
			t.Errorf("err = %v, want invalid", err)
		}
	})
}

func TestWriteTableAlignsChinese(t *testing.T) {
	var buf bytes.Buffer
	writeTable(&buf, [][]string{{"代码", "名称", "五级"}, {"1", "受理与初审", "25"}, {"0.10", "ab", "5"}}, 2)
	want := "代码  名称        五级\n1     受理与初审  25\n0.10  ab          5\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
}

func mustPrint(t *testing.T, s *Standard, level int) string {
	t.Helper()
	var buf bytes.Buffer
	if err := PrintStandard(&buf, s, level); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
