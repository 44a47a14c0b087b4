package exams

import (
	"archive/zip"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"clerkskill/app/web"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// MustTemplate writes the weight workbook of s and opens it for editing.
func MustTemplate(t *testing.T, s *Standard) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteWeightTemplate(&buf, s); err != nil {
		t.Fatalf("write template: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("reopen template: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// MustBytes saves an edited workbook.
func MustBytes(t *testing.T, f *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatalf("save workbook: %v", err)
	}
	return buf.Bytes()
}

// workbookText renders every sheet as tab-separated rows, for golden comparison.
func workbookText(t *testing.T, f *excelize.File) string {
	t.Helper()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("== " + sheet + "\n")
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return b.String()
}

func TestWeightTemplateGolden(t *testing.T) {
	got := workbookText(t, MustTemplate(t, MustDefault(t)))
	path := filepath.Join("testdata", "weight_template.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("template (-golden +got):\n%s", diff)
	}
}

func TestWeightWorkbookRoundTrip(t *testing.T) {
	base := MustDefault(t)
	t.Run("unchanged template gives the same weights", func(t *testing.T) {
		f := MustTemplate(t, base)
		got, err := ParseWeightWorkbook(bytes.NewReader(MustBytes(t, f)), base)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(base.Levels, got.Levels); diff != "" {
			t.Errorf("levels (-base +got):\n%s", diff)
		}
		if !got.IsProvisional() || got.Meta.Version == base.Meta.Version {
			t.Errorf("meta = %+v, want provisional kept and a new version label", got.Meta)
		}
	})
	t.Run("edited weights and official flag apply", func(t *testing.T) {
		f := MustTemplate(t, base)
		setCell(t, f, "技能要求权重表", "1", "四级", 25) // 20 → 25
		setCell(t, f, "技能要求权重表", "2", "四级", 30) // 35 → 30
		setCell(t, f, "理论知识权重表", "1.1", "五级", 20)
		setCell(t, f, "理论知识权重表", "1", "五级", nil) // weight moves from 1 to 1.1
		mustSet(t, f, SheetGuide, "B7", "2026 官方版")
		mustSet(t, f, SheetGuide, "B8", "是")
		got, err := ParseWeightWorkbook(bytes.NewReader(MustBytes(t, f)), base)
		if err != nil {
			t.Fatal(err)
		}
		want := base.Clone()
		want.Level(4).SkillWeights[0].Percent, want.Level(4).SkillWeights[1].Percent = 25, 30
		want.Level(5).TheoryWeights[2].Code = "1.1"
		want.Level(5).TheoryWeights = append(want.Level(5).TheoryWeights[:2], append([]Weight{{Code: "1.1", Percent: 20}}, want.Level(5).TheoryWeights[3:]...)...)
		want.Meta.Version = "2026 官方版"
		want.Meta.dropProvisional(TopicWeights)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("imported (-want +got):\n%s", diff)
		}
	})
}

// setCell writes v into the row of code and the column of level on a weight sheet.
func setCell(t *testing.T, f *excelize.File, sheet, code, level string, v any) {
	t.Helper()
	rows, _ := f.GetRows(sheet)
	col := -1
	for i, h := range rows[0] {
		if h == level {
			col = i + 1
		}
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == code && col > 0 {
			mustSet(t, f, sheet, cell(col, i+1), v)
			return
		}
	}
	t.Fatalf("no cell for %s %s on %s", code, level, sheet)
}

func mustSet(t *testing.T, f *excelize.File, sheet, ref string, v any) {
	t.Helper()
	if err := f.SetCellValue(sheet, ref, v); err != nil {
		t.Fatal(err)
	}
}

func TestWeightWorkbookRefuses(t *testing.T) {
	base := MustDefault(t)
	tests := []struct {
		name  string
		input func(t *testing.T) []byte
		code  string
		want  []string
	}{
		{"not a zip", func(t *testing.T) []byte { return []byte("代码,名称\n1,咨询引导\n") },
			web.EINVALID, []string{"不是有效的 Excel 工作簿"}},
		{"zip that is not xlsx", func(t *testing.T) []byte { return plainZip(t) },
			web.EINVALID, []string{"不是有效的 Excel 工作簿"}},
		{"zip bomb", func(t *testing.T) []byte { return zipBomb(t) },
			web.ETOOLARGE, []string{"解压后超过 64 MiB"}},
		{"empty file", func(t *testing.T) []byte { return nil }, web.EINVALID, []string{"文件为空"}},
		{"oversize", func(t *testing.T) []byte { return make([]byte, MaxStandardSize+1) }, web.ETOOLARGE, []string{"超过 5 MiB"}},
		{"wrong sheet names", func(t *testing.T) []byte {
			f := MustTemplate(t, base)
			_ = f.SetSheetName("理论知识权重表", "Sheet2")
			_ = f.SetSheetName("技能要求权重表", "技能权重")
			return MustBytes(t, f)
		}, web.EINVALID, []string{"工作簿缺少工作表“理论知识权重表”", "工作簿缺少工作表“技能要求权重表”"}},
		{"text in a number cell", func(t *testing.T) []byte {
			f := MustTemplate(t, base)
			setCell(t, f, "理论知识权重表", "2", "三级", "二十")
			return MustBytes(t, f)
		}, web.EINVALID, []string{"工作表“理论知识权重表”第 8 行“三级”列：“二十”不是数字"}},
		{"fraction", func(t *testing.T) []byte {
			f := MustTemplate(t, base)
			setCell(t, f, "技能要求权重表", "1", "五级", 24.5)
			return MustBytes(t, f)
		}, web.EINVALID, []string{"24.5 应为 0 到 100 之间的整数"}},
		{"sum off by one", func(t *testing.T) []byte {
			f := MustTemplate(t, base)
			setCell(t, f, "技能要求权重表", "1", "二级", 11)
			return MustBytes(t, f)
		}, web.EINVALID, []string{"二级 技能考核权重合计为 101，应为 100"}},
		{"unknown and duplicate codes", func(t *testing.T) []byte {
			f := MustTemplate(t, base)
			mustSet(t, f, "技能要求权重表", "A3", "9.9")
			mustSet(t, f, "技能要求权重表", "A6", "1")
			return MustBytes(t, f)
		}, web.EINVALID, []string{"第 3 行：代码 9.9 不在当前标准树中", "第 6 行：代码 1 与第 5 行重复"}},
		{"level column missing", func(t *testing.T) []byte {
			f := MustTemplate(t, base)
			mustSet(t, f, "理论知识权重表", "E1", "3级")
			return MustBytes(t, f)
		}, web.EINVALID, []string{"工作表“理论知识权重表”缺少“三级”列"}},
		{"bad official flag", func(t *testing.T) []byte {
			f := MustTemplate(t, base)
			mustSet(t, f, SheetGuide, "B8", "也许")
			return MustBytes(t, f)
		}, web.EINVALID, []string{"应填“是”或“否”"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseWeightWorkbook(bytes.NewReader(tt.input(t)), base)
			if web.ErrorCode(err) != tt.code {
				t.Fatalf("err = %v, want code %s", err, tt.code)
			}
			for _, w := range tt.want {
				if !strings.Contains(web.ErrorMessage(err), w) {
					t.Errorf("message lacks %q:\n%s", w, web.ErrorMessage(err))
				}
			}
		})
	}
}

func plainZip(t testing.TB) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("readme.txt")
	_, _ = w.Write([]byte("hello"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipBomb is a small xlsx-looking zip whose one entry inflates past the unzip limit.
func zipBomb(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	zeros := make([]byte, 1<<20)
	for range 80 {
		_, _ = w.Write(zeros)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > MaxStandardSize {
		t.Fatalf("bomb is %d bytes, must pass the upload limit", buf.Len())
	}
	return buf.Bytes()
}
