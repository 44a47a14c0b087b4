package bank

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"clerkskill/app/web"
	"clerkskill/exams"
)

func defaultStd() (*exams.Standard, error) { return exams.DefaultStandard() }

// checkOutcome is what every parse must satisfy: either questions that all validate and
// a clean report, or an error and no questions.
func checkOutcome(t *testing.T, s *exams.Standard, qs []*Question, rep *Report, err error) {
	t.Helper()
	if err != nil {
		if qs != nil {
			t.Errorf("error %v with %d questions", err, len(qs))
		}
		if web.ErrorCode(err) == web.EINTERNAL {
			t.Errorf("internal error: %v", err)
		}
		return
	}
	if rep == nil || !rep.OK() || len(qs) == 0 {
		t.Fatalf("accepted with report %+v", rep)
	}
	for _, q := range qs {
		if q.Validate(s) != nil {
			t.Errorf("accepted an invalid question %+v", q)
		}
	}
}

func textOpts(t *testing.T) ImportOptions {
	return ImportOptions{Std: std(t), Defaults: Defaults{Owner: 3, Levels: LevelsOf(5, 4), Code: "2.1", Difficulty: 2, Pool: PoolPractice, Score: 2}}
}

const goodAiken = "\ufeff申请材料不齐全时，窗口应当怎样做？\r\nA. 直接退回\r\nB. 一次性告知\r\nC) 让群众自己查\r\nANSWER: B\r\n\r\n" +
	"以下属于一次性告知内容的有\n（可多选）\nA、需补正的材料\nB．办理时限\nC. 领导电话\nANSWER：A,B\n"

func TestAikenGood(t *testing.T) {
	qs, rep, err := ParseAiken(strings.NewReader(goodAiken), textOpts(t))
	if err != nil {
		t.Fatalf("%v %+v", err, rep)
	}
	want := []*Question{
		{Type: Single, Levels: LevelsOf(5, 4), Code: "2.1", Difficulty: 2, Stem: "申请材料不齐全时，窗口应当怎样做？",
			Options: []string{"直接退回", "一次性告知", "让群众自己查"}, Answer: Answer{Choice: "B"}, Score: 2, Partial: PartialNone, Pool: PoolPractice, OwnerOrgID: 3},
		{Type: Multiple, Levels: LevelsOf(5, 4), Code: "2.1", Difficulty: 2, Stem: "以下属于一次性告知内容的有\n（可多选）",
			Options: []string{"需补正的材料", "办理时限", "领导电话"}, Answer: Answer{Choice: "AB"}, Score: 2, Partial: PartialHalf, Pool: PoolPractice, OwnerOrgID: 3},
	}
	if diff := cmp.Diff(want, qs); diff != "" {
		t.Errorf("aiken (-want +got):\n%s", diff)
	}
}

func TestAikenBroken(t *testing.T) {
	cases := []struct {
		name, text string
		want       []RowError
	}{
		{"no answer line", "题一？\nA. 甲\nB. 乙\n\n题二？\nA. 甲\nB. 乙\nANSWER: A\n",
			[]RowError{{Row: 1, Column: "答案", Message: "缺少“ANSWER: 字母”一行"}}},
		{"answer letter outside the options", "题一？\nA. 甲\nB. 乙\nANSWER: D\n",
			[]RowError{{Row: 1, Column: "答案", Message: "答案须为选项字母 A–B，不重复"}}},
		{"options out of order", "题一？\nA. 甲\nC. 乙\nANSWER: A\n",
			[]RowError{{Row: 1, Column: "选项", Message: "选项“C. 乙”不合顺序：应从A起依次排列，最多到H"}}},
		{"no options", "题一？\nANSWER: A\n", []RowError{{Row: 1, Column: "选项", Message: "没有选项：每个选项单独一行，写成“A. 内容”"}}},
		{"duplicate stem", "题一？\nA. 甲\nB. 乙\nANSWER: A\n\n题一？\nA. 甲\nB. 乙\nANSWER: B\n",
			[]RowError{{Row: 6, Column: "题干", Message: "题干与第 1 行开始的题目重复"}}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			qs, rep, err := ParseAiken(strings.NewReader(tt.text), textOpts(t))
			if qs != nil || web.ErrorCode(err) != web.EINVALID || rep == nil {
				t.Fatalf("qs=%v err=%v", qs, err)
			}
			if diff := cmp.Diff(tt.want, rep.Errors); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTextRefusals(t *testing.T) {
	noCode := textOpts(t)
	noCode.Defaults.Code = ""
	noLevel := textOpts(t)
	noLevel.Defaults.Levels = 0
	many := strings.Repeat("题？\nA. 甲\nB. 乙\nANSWER: A\n\n", 3)
	small := textOpts(t)
	small.MaxRows = 2
	cases := []struct {
		name, text string
		opt        ImportOptions
		want       string
	}{
		{"not UTF-8", "\xb2\xe2\xca\xd4", textOpts(t), "UTF-8"},
		{"a workbook", "PK\x03\x04xx", textOpts(t), "Excel"},
		{"no default code", goodAiken, noCode, "默认标准代码"},
		{"no default level", goodAiken, noLevel, "默认等级"},
		{"empty", "\n\n", textOpts(t), "没有题目"},
		{"too many items", many, small, "2 题的上限"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			for name, parse := range map[string]func() ([]*Question, *Report, error){
				"aiken": func() ([]*Question, *Report, error) { return ParseAiken(strings.NewReader(tt.text), tt.opt) },
				"gift":  func() ([]*Question, *Report, error) { return ParseGIFT(strings.NewReader(tt.text), tt.opt) },
			} {
				if name == "gift" && tt.name == "too many items" {
					continue
				}
				qs, _, err := parse()
				if qs != nil || !strings.Contains(web.ErrorMessage(err), tt.want) {
					t.Errorf("%s: err %v, want %q", name, err, tt.want)
				}
			}
		})
	}
}

const goodGIFT = `// 一次性告知
$CATEGORY: 受理
::告知::申请材料不齐全时，窗口应当 {=一次性告知 ~直接退回#不对 ~让群众自己查}

::多选::以下属于告知内容的有 {~%50%需补正的材料 ~%50%办理时限 ~%-100%领导电话}

窗口可以要求提供法定以外的材料。{F}

补正告知应在{=五日 =5日}内作出。

首问负责制要求 \{首问\} 者 {T#对}
`

func TestGIFTGood(t *testing.T) {
	qs, rep, err := ParseGIFT(strings.NewReader(goodGIFT), textOpts(t))
	if err != nil {
		t.Fatalf("%v %+v", err, rep)
	}
	if len(qs) != 5 {
		t.Fatalf("got %d questions", len(qs))
	}
	got := []string{}
	for _, q := range qs {
		got = append(got, string(q.Type)+"|"+q.Point+"|"+q.Stem+"|"+strings.Join(q.Options, ",")+"|"+q.Answer.Choice+"|"+answerCell(q))
	}
	want := []string{
		"single|告知|申请材料不齐全时，窗口应当|一次性告知,直接退回,让群众自己查|A|A",
		"multiple|多选|以下属于告知内容的有|需补正的材料,办理时限,领导电话|AB|AB",
		"judge||窗口可以要求提供法定以外的材料。|||错",
		"fill||补正告知应在（　　）内作出。|||五日｜5日",
		"judge||首问负责制要求 {首问} 者|||对",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("gift (-want +got):\n%s", diff)
	}
	if qs[1].Partial != PartialProportional || qs[0].OwnerOrgID != 3 || qs[0].Pool != PoolPractice {
		t.Errorf("defaults or partial rule not applied: %+v", qs[1])
	}
}

func TestGIFTBroken(t *testing.T) {
	text := "问答题 {}\n\n数值题 {#5:1}\n\n匹配题 {=甲 -> 乙 =丙 -> 丁}\n\n没有答案的说明\n\n单选混用 {=甲 =乙 ~丙}\n\n" +
		"没有正确答案 {~甲 ~乙}\n\n两个答案 {=甲 ~乙} 以及 {T}\n\n好题 {=甲 ~乙}\n"
	qs, rep, err := ParseGIFT(strings.NewReader(text), textOpts(t))
	if qs != nil || rep == nil || web.ErrorCode(err) != web.EINVALID {
		t.Fatalf("qs=%v err=%v", qs, err)
	}
	want := []RowError{
		{Row: 1, Column: "题型", Message: "不支持问答题（{}），请改用 Excel 模板导入简答题"},
		{Row: 3, Column: "题型", Message: "不支持数值题（{#…}），请改为填空题"},
		{Row: 5, Column: "题型", Message: "不支持匹配题（=… -> …）"},
		{Row: 7, Column: "答案", Message: "没有找到答案部分 {…}（不支持说明类条目）"},
		{Row: 9, Column: "答案", Message: "正确答案标记混用：单选只用一个 =，多选请用 ~%权重% 标出每个正确选项"},
		{Row: 11, Column: "答案", Message: "没有标出正确答案：单选用 =，多选用 ~%50% 这样的正权重"},
		{Row: 13, Column: "答案", Message: "一道题只能有一个答案部分 {…}"},
	}
	if diff := cmp.Diff(want, rep.Errors); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if rep.Rows != 8 || !strings.Contains(web.ErrorMessage(err), "8 行题目中有 7 行") {
		t.Errorf("summary %q rows %d", web.ErrorMessage(err), rep.Rows)
	}
	checkTextReport(t, rep)
}

// checkTextReport reads the text formats' error report: line, the item's text, the note.
func checkTextReport(t *testing.T, rep *Report) {
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
	rows, _ := f.GetRows("错误报告")
	if len(rows) != 9 || rows[0][2] != ReportColumn || rows[1][0] != "1" || rows[1][1] != "问答题 {}" ||
		!strings.Contains(rows[1][2], "不支持问答题") || len(rows[8]) > 2 && rows[8][2] != "" {
		t.Errorf("text report rows: %q", rows)
	}
}
