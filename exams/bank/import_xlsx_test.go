package bank

import (
	"archive/zip"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/rbac"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func no() *bool { b := false; return &b }

// everyType is one valid question of each type.
func everyType() []*Question {
	return []*Question{
		validSingle(),
		{Type: Multiple, Levels: LevelsOf(5), Code: "2.1", Difficulty: 3, Stem: "以下哪些属于一次性告知的内容？", Point: "一次性告知",
			Options: []string{"需补正的材料", "办理时限", "领导电话", "补正方式"}, Answer: Answer{Choice: "ABD"}, Score: 2,
			Partial: PartialProportional, Pool: PoolExam, Explanation: "=SUM(A1) 不应被当作公式"},
		{Type: Judge, Levels: LevelsOf(5, 4), Code: "2.1", Difficulty: 1, Stem: "窗口可以要求群众提供法定以外的材料。",
			Answer: Answer{Judge: no()}, Score: 1, Pool: PoolPractice},
		{Type: Fill, Levels: LevelsOf(4), Code: "2.1", Difficulty: 2, Stem: "补正告知应在（　　）内作出，且只告知（　　）。",
			Answer: Answer{Blanks: [][]string{{"五日", "5日"}, {"一次"}}}, Score: 2, Pool: PoolBoth},
		{Type: Short, Levels: LevelsOf(4, 3), Code: "2.1", Difficulty: 4, Stem: "简述首问负责制的要求。",
			Answer: Answer{Guide: "-首问者负责到底；\n不推诿"}, Score: 10, Pool: PoolExam},
		{Type: Practical, Levels: LevelsOf(5), Code: "2.1", Difficulty: 3, Stem: "模拟受理企业开办申请。", Task: "按材料清单核对并出具告知书。",
			Rubric: []Criterion{{"核对材料完整", 4}, {"一次性告知: 全部", 6}}, Score: 10, Pool: PoolExam},
	}
}

func mustExport(t *testing.T, qs []*Question) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := ExportQuestions(&buf, qs, std(t)); err != nil {
		t.Fatalf("export: %v", err)
	}
	return buf.Bytes()
}

func opts(t *testing.T) ImportOptions {
	return ImportOptions{Std: std(t), Defaults: Defaults{Owner: 7, Score: 1}}
}

// workbookText renders every sheet as tab-separated rows, plus the frozen pane and the
// drop-down lists of the question sheet, for golden comparison.
func workbookText(t *testing.T, b []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		out.WriteString("== " + sheet + "\n")
		for _, r := range rows {
			out.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	panes, _ := f.GetPanes(SheetQuestions)
	fmt.Fprintf(&out, "== panes: freeze=%v top=%s\n", panes.Freeze, panes.TopLeftCell)
	dvs, _ := f.GetDataValidations(SheetQuestions)
	for _, dv := range dvs {
		fmt.Fprintf(&out, "== list %s: %s\n", dv.Sqref, dv.Formula1)
	}
	return out.String()
}

func TestTemplateGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, std(t)); err != nil {
		t.Fatal(err)
	}
	got := workbookText(t, buf.Bytes())
	path := filepath.Join("testdata", "question_template.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
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
	if _, _, err := ParseWorkbook(bytes.NewReader(buf.Bytes()), opts(t)); !strings.Contains(web.ErrorMessage(err), "没有题目") {
		t.Errorf("empty template imported: %v", err)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	in := everyType()
	b := mustExport(t, in)
	if text := workbookText(t, b); !strings.Contains(text, "'=SUM(A1)") || !strings.Contains(text, "'-首问者") {
		t.Errorf("formula-like text not neutralised:\n%s", text)
	}
	var progress []int
	o := opts(t)
	o.Progress = func(done, total int) { progress = append(progress, done) }
	got, rep, err := ParseWorkbook(bytes.NewReader(b), o)
	if err != nil {
		t.Fatalf("import of an export: %v %+v", err, rep)
	}
	for _, q := range in {
		q.OwnerOrgID = 7
		if err := q.Validate(std(t)); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(in, got, cmpopts.IgnoreUnexported(Question{})); diff != "" {
		t.Errorf("round trip (-exported +imported):\n%s", diff)
	}
	if len(progress) != len(in) || progress[len(in)-1] != len(in) {
		t.Errorf("progress calls %v", progress)
	}
}

// sheet builds a workbook with the template header and the given data rows.
func sheet(t *testing.T, rows [][]any, edit func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetSheetName("Sheet1", SheetQuestions)
	head := make([]any, len(Columns))
	for i, c := range Columns {
		head[i] = c
	}
	if err := f.SetSheetRow(SheetQuestions, "A1", &head); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if err := f.SetSheetRow(SheetQuestions, cellRef(1, i+2), &r); err != nil {
			t.Fatal(err)
		}
	}
	if edit != nil {
		edit(f)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// row fills a template row from column name → value.
func row(cells map[string]any) []any {
	out := make([]any, len(Columns))
	for k, v := range cells {
		out[columnIndex(k)] = v
	}
	return out
}

func goodRow() map[string]any {
	return map[string]any{"题型": "单选题", "题干": "材料不齐全时窗口应当怎样做？", "选项A": "退回", "选项B": "一次性告知",
		"选项C": "先收下", "答案": "B", "分值": 1, "等级": "五级,四级", "标准代码": "2.1", "难度": 2, "题池": "两者"}
}

func with(m map[string]any, kv ...any) []any {
	c := map[string]any{}
	for k, v := range m {
		c[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		c[kv[i].(string)] = kv[i+1]
	}
	return row(c)
}

func TestWorkbookAcceptsLooseCells(t *testing.T) {
	rows := [][]any{
		with(goodRow(), "分值", "２", "难度", "３", "答案", "ｂ", "等级", "5、4"),
		with(goodRow(), "题干", time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), "选项A", 12345),
		with(goodRow(), "题型", "判断题", "题干", "判断：可以要求提供法定以外的材料。", "选项A", nil, "选项B", nil, "选项C", nil, "答案", "×"),
		with(goodRow(), "题型", "填空题", "题干", "应在（　　）内告知", "选项A", nil, "选项B", nil, "选项C", nil, "答案", "五日|5日", "分值", "2分"),
	}
	qs, rep, err := ParseWorkbook(bytes.NewReader(sheet(t, rows, nil)), opts(t))
	if err != nil {
		t.Fatalf("%v %+v", err, rep)
	}
	if qs[0].Score != 2 || qs[0].Difficulty != 3 || qs[0].Answer.Choice != "B" || qs[0].Levels != LevelsOf(5, 4) {
		t.Errorf("full-width cells: %+v", qs[0])
	}
	if qs[1].Stem != "2024-01-02" || qs[1].Options[0] != "12345" {
		t.Errorf("date and number in text cells: %q %q", qs[1].Stem, qs[1].Options)
	}
	if *qs[2].Answer.Judge || len(qs[3].Answer.Blanks[0]) != 2 || qs[3].Score != 2 {
		t.Errorf("judge × or fill alternatives: %+v %+v", qs[2].Answer, qs[3])
	}
}

func TestWorkbookRowErrors(t *testing.T) {
	rows := [][]any{
		with(goodRow(), "答案", "E"),
		with(goodRow(), "标准代码", "9.9", "题干", "另一题"),
		row(goodRow()), // duplicates the stem of the first row
		with(goodRow(), "题型", "连线题", "题干", "第四题"),
		with(goodRow(), "题型", "实操题", "题干", "第五题", "选项A", nil, "选项B", nil, "选项C", nil, "答案", nil,
			"任务卡", "做", "评分细则", "核对材料"),
	}
	b := sheet(t, rows, nil)
	qs, rep, err := ParseWorkbook(bytes.NewReader(b), opts(t))
	if qs != nil || web.ErrorCode(err) != web.EINVALID || rep == nil {
		t.Fatalf("qs=%v err=%v", qs, err)
	}
	want := []RowError{
		{Row: 2, Column: "答案", Message: "答案须为选项字母 A–C，不重复"},
		{Row: 3, Column: "标准代码", Message: "标准代码“9.9”不在现行标准中"},
		{Row: 4, Column: "题干", Message: "题干与第 2 行重复"},
		{Row: 5, Column: "题型", Message: "题型“连线题”无法识别，应为单选题、多选题、判断题、填空题、简答题或实操题"},
		{Row: 6, Column: "评分细则", Message: "评分细则第 1 条“核对材料”应写成“要点：分值”"},
	}
	if diff := cmp.Diff(want, rep.Errors); diff != "" {
		t.Errorf("row errors (-want +got):\n%s", diff)
	}
	if !strings.Contains(web.ErrorMessage(err), "5 行题目中有 5 行存在错误") {
		t.Errorf("summary: %s", web.ErrorMessage(err))
	}
	checkReportWorkbook(t, rep, want)
}

// checkReportWorkbook reads the error report back: the user's rows, an added 错误说明
// column with each row's messages, the bad cells marked, and it imports again once fixed.
func checkReportWorkbook(t *testing.T, rep *Report, want []RowError) {
	t.Helper()
	var buf bytes.Buffer
	if err := rep.WriteWorkbook(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(SheetQuestions)
	last := len(Columns)
	if rows[0][last] != ReportColumn {
		t.Fatalf("header %q lacks %s", rows[0], ReportColumn)
	}
	for _, e := range want {
		if note := rows[e.Row-1][last]; !strings.Contains(note, e.Message) || !strings.Contains(note, "“"+e.Column+"”") {
			t.Errorf("row %d note %q lacks %q", e.Row, note, e.Message)
		}
		ref := cellRef(columnIndex(e.Column)+1, e.Row)
		style, _ := f.GetCellStyle(SheetQuestions, ref)
		if s, _ := f.GetStyle(style); s == nil || len(s.Fill.Color) == 0 || s.Fill.Color[0] != "FFC7CE" {
			t.Errorf("bad cell %s not marked", ref)
		}
	}
	// Fix every row and upload the report itself again.
	fixes := map[string]string{"K2": "B", "O3": "2.1", "B4": "第三题", "A5": "单选题", "V6": "核对材料：1"}
	for ref, v := range fixes {
		_ = f.SetCellValue(SheetQuestions, ref, v)
	}
	var again bytes.Buffer
	_ = f.Write(&again)
	if qs, rep, err := ParseWorkbook(&again, opts(t)); err != nil || len(qs) != 5 {
		t.Errorf("fixed report does not import: %v %+v", err, rep)
	}
}

func TestWorkbookRefusals(t *testing.T) {
	tooMany := make([][]any, MaxImportRows+1)
	for i := range tooMany {
		tooMany[i] = []any{"单选题", fmt.Sprintf("题%d", i)}
	}
	cases := []struct {
		name  string
		input func(t *testing.T) []byte
		code  string
		want  string
	}{
		{"not a zip", func(t *testing.T) []byte { return []byte("题型,题干\n单选题,abc") }, web.EINVALID, "不是 Excel 工作簿"},
		{"old xls", func(t *testing.T) []byte { return []byte("\xD0\xCF\x11\xE0rest") }, web.EINVALID, ".xls"},
		{"a zip but not a workbook", plainZip, web.EINVALID, "不是有效的 Excel 工作簿"},
		{"zip bomb", zipBomb, web.ETOOLARGE, "压缩炸弹"},
		{"oversize", func(t *testing.T) []byte { return append([]byte("PK\x03\x04"), make([]byte, MaxImportBytes)...) }, web.ETOOLARGE, "10 MiB"},
		{"too many rows", func(t *testing.T) []byte { return sheet(t, tooMany, nil) }, web.ETOOLARGE, "5000 题"},
		{"renamed header", func(t *testing.T) []byte {
			return sheet(t, [][]any{row(goodRow())}, func(f *excelize.File) { _ = f.SetCellValue(SheetQuestions, "B1", "题目") })
		}, web.EINVALID, "缺少列“题干”；无法识别的列“题目”"},
		{"missing column", func(t *testing.T) []byte {
			return sheet(t, [][]any{row(goodRow())}, func(f *excelize.File) { _ = f.SetCellValue(SheetQuestions, "V1", "") })
		}, web.EINVALID, "缺少列“评分细则”"},
		{"merged cells", func(t *testing.T) []byte {
			return sheet(t, [][]any{row(goodRow()), row(goodRow())}, func(f *excelize.File) { _ = f.MergeCell(SheetQuestions, "A2", "A3") })
		}, web.EINVALID, "A2:A3 是合并单元格"},
		{"empty sheet", func(t *testing.T) []byte { return sheet(t, nil, nil) }, web.EINVALID, "没有题目"},
		{"no question sheet", func(t *testing.T) []byte {
			return sheet(t, nil, func(f *excelize.File) { _ = f.SetSheetName(SheetQuestions, "Sheet1") })
		}, web.EINVALID, "缺少工作表“题目”"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			qs, rep, err := ParseWorkbook(bytes.NewReader(tt.input(t)), opts(t))
			if qs != nil || rep != nil || web.ErrorCode(err) != tt.code || !strings.Contains(web.ErrorMessage(err), tt.want) {
				t.Fatalf("got %d questions, err %v; want %s saying %q", len(qs), err, tt.code, tt.want)
			}
		})
	}
}

func plainZip(t *testing.T) []byte {
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
	if buf.Len() > MaxImportBytes {
		t.Fatalf("bomb is %d bytes, must pass the upload limit", buf.Len())
	}
	return buf.Bytes()
}

// TestBrokenInputsStoreNothing sends every broken input through Store.Import on each
// database and checks the bank is unchanged, while a good file is stored whole.
func TestBrokenInputsStoreNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		stds := exams.NewStore(d, nil)
		if _, err := stds.EnsureDefaultStandard(ctx); err != nil {
			t.Fatal(err)
		}
		orgs, err := rbac.NewStore(d, nil)
		if err != nil {
			t.Fatal(err)
		}
		unit := &rbac.OrgUnit{Tier: rbac.TierCounty, Code: "C", Name: "县中心"}
		if err := orgs.CreateOrg(ctx, 0, unit); err != nil {
			t.Fatal(err)
		}
		s := NewStore(d, stds, nil)
		d0 := Defaults{Owner: unit.ID, Score: 1, Levels: LevelsOf(5), Code: "2.1"}
		broken := map[string][]byte{
			"not a zip.xlsx":         []byte("hello"),
			"zip bomb.xlsx":          zipBomb(t),
			"oversize.xlsx":          append([]byte("PK\x03\x04"), make([]byte, MaxImportBytes)...),
			"too many rows.xlsx":     sheet(t, make([][]any, MaxImportRows+1), func(f *excelize.File) { fillRows(f, MaxImportRows+1) }),
			"wrong headers.xlsx":     sheet(t, [][]any{row(goodRow())}, func(f *excelize.File) { _ = f.SetCellValue(SheetQuestions, "K1", "正确答案") }),
			"merged cells.xlsx":      sheet(t, [][]any{row(goodRow())}, func(f *excelize.File) { _ = f.MergeCell(SheetQuestions, "B2", "C2") }),
			"bad answer letter.xlsx": sheet(t, [][]any{row(goodRow()), with(goodRow(), "题干", "另一题", "答案", "Z")}, nil),
			"unknown code.xlsx":      sheet(t, [][]any{row(goodRow()), with(goodRow(), "题干", "另一题", "标准代码", "9.9")}, nil),
			"broken aiken.txt":       []byte("题？\nA. 甲\nB. 乙\n"),
			"broken gift.gift":       []byte("好 {=甲 ~乙}\n\n数 {#3}\n"),
		}
		for name, b := range broken {
			qs, _, err := s.Import(ctx, 1, ImportInput{Filename: name, Body: bytes.NewReader(b), Options: ImportOptions{Defaults: d0}})
			if err == nil || qs != nil {
				t.Errorf("%s: accepted", name)
			}
		}
		if n, _ := s.CountQuestions(ctx); n != 0 {
			t.Fatalf("broken inputs stored %d questions", n)
		}
		good := sheet(t, [][]any{with(goodRow(), "分值", "３", "题干", time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)), with(goodRow(), "题干", "另一题")}, nil)
		var done []int
		qs, _, err := s.Import(ctx, 1, ImportInput{Filename: "good.xlsx", Body: bytes.NewReader(good), Options: ImportOptions{Defaults: d0},
			Stored: func(n, total int) { done = append(done, n) }})
		if n, _ := s.CountQuestions(ctx); err != nil || n != 2 || len(done) != 2 || qs[0].Score != 3 || qs[0].Stem != "2024-05-01" {
			t.Fatalf("good file: %v, count %d, progress %v, first %+v", err, n, done, qs[0])
		}
	})
}

func fillRows(f *excelize.File, n int) {
	for i := range n {
		_ = f.SetSheetRow(SheetQuestions, cellRef(1, i+2), &[]any{"单选题", fmt.Sprintf("题%d", i)})
	}
}
