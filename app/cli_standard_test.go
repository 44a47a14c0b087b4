package app_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"clerkskill/app/db/dbtest"
	"clerkskill/exams"
)

// writeStandard writes the default profile, changed by edit, as YAML into dir.
func writeStandard(t *testing.T, dir, name string, edit func(s *exams.Standard)) string {
	t.Helper()
	s, err := exams.DefaultStandard()
	if err != nil {
		t.Fatal(err)
	}
	edit(s)
	var buf bytes.Buffer
	if err := exams.MarshalStandard(&buf, s, "yaml"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestStandardCommands(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			c := newCLI(t, d)
			dir := t.TempDir()
			all := c.must("第 1 版", "standard", "show")
			for _, want := range []string{"含暂定数字", "暂定说明", "理论知识权重表", "技能要求权重表", "一级/高级技师", "综合评审", "申报条件"} {
				if !strings.Contains(all, want) {
					t.Errorf("standard show lacks %q", want)
				}
			}
			four := c.must("四级/中级工", "standard", "show", "--level", "4")
			if strings.Contains(four, "一级/高级技师") || strings.Contains(four, "五级/初级工") {
				t.Errorf("show --level 4 shows other levels:\n%s", four)
			}
			c.fails("等级 7 不存在", "standard", "show", "--level", "7")

			good := writeStandard(t, dir, "official.yaml", func(s *exams.Standard) {
				s.Meta.Version = "2026 试行版"
				s.Level(4).SkillWeights[0].Percent += 5
				s.Level(4).SkillWeights[1].Percent -= 5
			})
			c.must("第 2 版", "standard", "import", good)
			out := c.must("2 version(s)", "standard", "versions")
			if !regexp.MustCompile(`\* 第 2 版 .*2026 试行版`).MatchString(out) || !strings.Contains(out, "第 1 版") {
				t.Errorf("versions do not show 2 as current and 1 kept:\n%s", out)
			}
			c.must("默认配置 v1", "standard", "show", "--version", "1")

			broken := writeStandard(t, dir, "broken.yaml", func(s *exams.Standard) {
				s.Level(5).TheoryWeights[0].Percent += 3
				s.Tree[1].Children[0].Code = "0.1" // duplicate of 基本要求's 职业道德
			})
			code, _, errs := c.run("standard", "import", broken)
			if code == 0 || !strings.Contains(errs, "五级") || !strings.Contains(errs, "0.1") || strings.Count(errs, "  - ") < 2 {
				t.Errorf("broken import: exit %d, stderr:\n%s", code, errs)
			}
			c.must("2 version(s)", "standard", "versions")
			c.fails("expected exactly one", "standard", "import")

			xlsx := filepath.Join(dir, "weights.xlsx")
			c.must("weights.xlsx", "standard", "template", "-o", xlsx)
			editWorkbook(t, xlsx, "技能要求权重表", "3", "五级", 15, "2", "五级", 30)
			c.must("第 3 版", "standard", "import", xlsx)
			five := c.must("第 3 版", "standard", "show", "--level", "5")
			skill := five[strings.Index(five, "【技能要求权重表】"):]
			if !regexp.MustCompile(`(?m)^3\s+流转\s+15$`).MatchString(skill) {
				t.Errorf("edited weight not imported:\n%s", skill)
			}
		})
	}
}

// editWorkbook sets two cells of a weight sheet (row by tree code, column by level name),
// so the level's total stays 100, and saves the file.
func editWorkbook(t *testing.T, path, sheet, code1, level1 string, v1 int, code2, level2 string, v2 int) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	set := func(code, level string, v int) {
		col := -1
		for i, h := range rows[0] {
			if h == level {
				col = i + 1
			}
		}
		for i, r := range rows {
			if len(r) > 0 && r[0] == code && col > 0 {
				ref, _ := excelize.CoordinatesToCellName(col, i+1)
				if err := f.SetCellValue(sheet, ref, v); err != nil {
					t.Fatal(err)
				}
				return
			}
		}
		t.Fatalf("no cell %s/%s on %s", code, level, sheet)
	}
	set(code1, level1, v1)
	set(code2, level2, v2)
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}
