package bank

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"clerkskill/exams"
	"clerkskill/exports"
)

// The question workbook: sheet 题目 holds one question per row under a fixed header; sheet
// 填写说明 explains each column; sheet 标准代码 lists the codes of the standard in force.
const (
	SheetQuestions = "题目"
	SheetGuide     = "填写说明"
	SheetCodes     = "标准代码"
)

// Columns of the 题目 sheet, in template order; 选项A … 选项H are colOptA … colOptA+7.
const (
	colType, colStem, colOptA                      = 0, 1, 2
	colAnswer, colScore, colExplanation, colLevels = 10, 11, 12, 13
	colCode, colDifficulty, colPool, colPoint      = 14, 15, 16, 17
	colPartial, colGuide, colTask, colRubric       = 18, 19, 20, 21
	numColumns                                     = 22
)

// Columns is the header row of the 题目 sheet.
var Columns = func() []string {
	out := []string{"题型", "题干"}
	for _, l := range Letters {
		out = append(out, "选项"+string(l))
	}
	return append(out, "答案", "分值", "解析", "等级", "标准代码", "难度", "题池", "知识点", "多选给分", "评分要点", "任务卡", "评分细则")
}()

var columnWidths = map[int]float64{colType: 9, colStem: 48, colAnswer: 14, colScore: 6, colExplanation: 36, colLevels: 12,
	colCode: 10, colDifficulty: 6, colPool: 8, colPoint: 16, colPartial: 12, colGuide: 30, colTask: 30, colRubric: 30}

// columnIndex is the template position of a column name; unknown names sort last.
func columnIndex(name string) int {
	for i, c := range Columns {
		if c == name {
			return i
		}
	}
	return len(Columns)
}

// Labels used in cells for pools and partial-credit rules.
var (
	poolCells    = map[Pool]string{PoolExam: "考试", PoolPractice: "练习", PoolBoth: "两者"}
	partialCells = map[Partial]string{PartialNone: "全对得分", PartialHalf: "少选得半分", PartialProportional: "按比例"}
)

// guideRows explain each column of the 题目 sheet, with an example.
var guideRows = [][]any{
	{"列名", "填写说明", "示例"},
	{"题型", "单选题、多选题、判断题、填空题、简答题、实操题之一", "单选题"},
	{"题干", "题目正文。填空题用（　　）标出每个空", "申请材料不齐全的，应当（　　）一次性告知申请人需要补正的全部内容。"},
	{"选项A–选项H", "选择题的选项，从A起连续填写，2至8个；其他题型留空", "一次性告知"},
	{"答案", "单选题填一个字母；多选题填多个字母；判断题填 对/错（也可填 正确/错误、√/×、T/F）；填空题各空用“；”分隔，同一空的多个可接受答案用“｜”分隔；简答题可在此或“评分要点”中填写要点；实操题留空",
		"B；ACD；对；五日｜5日；一次"},
	{"分值", "1至100的整数，可用全角数字；留空时取导入页面上的默认分值", "2"},
	{"解析", "答题后向学员展示的解析，可留空", "《优化营商环境条例》要求一次性告知。"},
	{"等级", "适用等级，多个用逗号分隔，可写汉字或数字；留空时取默认等级", "五级,四级 或 5,4"},
	{"标准代码", "职业技能标准中的代码（见“标准代码”工作表），须适用于所填等级", "2.1"},
	{"难度", "1（易）至5（难）的整数；留空为3", "3"},
	{"题池", "考试、练习或两者；留空为两者", "两者"},
	{"知识点", "简短的知识点名称，不超过100字，可留空", "一次性告知"},
	{"多选给分", "仅多选题：全对得分、少选得半分、按比例；留空为少选得半分", "少选得半分"},
	{"评分要点", "简答题的评分要点（人工阅卷参照）", "要点一……；要点二……"},
	{"任务卡", "实操题发给考生的任务说明", "模拟受理一件企业开办申请……"},
	{"评分细则", "实操题的评分细则，每行一条，格式为“要点：分值”，分值合计须等于该题分值", "核对材料完整：4\n一次性告知：6"},
	{},
	{"注意", "第1行表头不可修改或删除；一行一题；不要合并单元格；每次最多导入5000题，文件不超过10MB。"},
	{"注意", "导入是整体进行的：任何一行有错误，所有题目都不会导入；下载错误报告，按“错误说明”列修改后可直接重新上传。"},
}

func cellRef(col, row int) string {
	name, _ := excelize.ColumnNumberToName(col)
	return name + strconv.Itoa(row)
}

func headerStyle(f *excelize.File) (int, error) {
	return f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
}

// Export writes questions into the template layout row by row, so a large bank is never
// held in memory: NewExport, Add for each question, then Finish.
type Export struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	row int
}

// NewExport starts a workbook in the template layout for std.
func NewExport(std *exams.Standard) (*Export, error) {
	f := excelize.NewFile()
	x := &Export{f: f, row: 1}
	if err := x.start(std); err != nil {
		_ = f.Close()
		return nil, err
	}
	return x, nil
}

func (x *Export) start(std *exams.Standard) error {
	if err := x.f.SetSheetName("Sheet1", SheetQuestions); err != nil {
		return err
	}
	if err := writeGuideSheet(x.f); err != nil {
		return err
	}
	codes, err := writeCodeSheet(x.f, std)
	if err != nil {
		return err
	}
	if err := addValidations(x.f, codes); err != nil {
		return err
	}
	if x.sw, err = x.f.NewStreamWriter(SheetQuestions); err != nil {
		return err
	}
	return x.header()
}

func (x *Export) header() error {
	style, err := headerStyle(x.f)
	if err != nil {
		return err
	}
	text, err := x.f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": cells stay text, 2.10 is not a number
	if err != nil {
		return err
	}
	for i := range Columns {
		w := columnWidths[i]
		if w == 0 {
			w = 16
		}
		if err := x.sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := x.sw.SetColStyle(1, len(Columns), text); err != nil {
		return err
	}
	if err := x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(Columns))
	for i, c := range Columns {
		head[i] = excelize.Cell{StyleID: style, Value: c}
	}
	return x.sw.SetRow("A1", head)
}

// Add writes one question as the next row.
func (x *Export) Add(q *Question) error {
	x.row++
	return x.sw.SetRow(cellRef(1, x.row), questionRow(q))
}

// Close discards an export that will not be finished.
func (x *Export) Close() error { return x.f.Close() }

// Finish writes the workbook to w.
func (x *Export) Finish(w io.Writer) error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	return x.f.Write(w)
}

// WriteTemplate writes the empty import template for std.
func WriteTemplate(w io.Writer, std *exams.Standard) error {
	return ExportQuestions(w, nil, std)
}

// ExportQuestions writes qs in the template layout, ready to be imported again.
func ExportQuestions(w io.Writer, qs []*Question, std *exams.Standard) error {
	x, err := NewExport(std)
	if err != nil {
		return err
	}
	for _, q := range qs {
		if err := x.Add(q); err != nil {
			_ = x.f.Close()
			return err
		}
	}
	return x.Finish(w)
}

// questionRow lays a question out in the template's columns.
func questionRow(q *Question) []any {
	cells := make([]string, numColumns)
	cells[colType], cells[colStem] = q.Type.Label(), q.Stem
	for i, o := range q.Options {
		if i < len(Letters) {
			cells[colOptA+i] = o
		}
	}
	cells[colAnswer] = answerCell(q)
	cells[colExplanation], cells[colLevels], cells[colCode] = q.Explanation, levelsCell(q.Levels), q.Code
	cells[colPool], cells[colPoint] = poolCells[q.Pool], q.Point
	if q.Type == Multiple {
		cells[colPartial] = partialCells[q.Partial]
	}
	cells[colGuide], cells[colTask], cells[colRubric] = q.Answer.Guide, q.Task, rubricCell(q.Rubric)
	out := make([]any, numColumns)
	for i, c := range cells {
		out[i] = exports.Safe(c)
	}
	out[colScore], out[colDifficulty] = q.Score, q.Difficulty
	return out
}

func answerCell(q *Question) string {
	switch q.Type {
	case Single, Multiple:
		return q.Answer.Choice
	case Judge:
		if q.Answer.Judge == nil {
			return ""
		}
		if *q.Answer.Judge {
			return "对"
		}
		return "错"
	case Fill:
		blanks := make([]string, len(q.Answer.Blanks))
		for i, alts := range q.Answer.Blanks {
			blanks[i] = strings.Join(alts, "｜")
		}
		return strings.Join(blanks, "；")
	}
	return ""
}

func levelsCell(l Levels) string {
	names := []string{}
	for _, lv := range l.List() {
		names = append(names, exams.LevelName(lv))
	}
	return strings.Join(names, ",")
}

func rubricCell(rs []Criterion) string {
	lines := make([]string, len(rs))
	for i, c := range rs {
		lines[i] = fmt.Sprintf("%s：%d", c.Criterion, c.Points)
	}
	return strings.Join(lines, "\n")
}

func writeGuideSheet(f *excelize.File) error {
	if _, err := f.NewSheet(SheetGuide); err != nil {
		return err
	}
	for i, r := range guideRows {
		if err := f.SetSheetRow(SheetGuide, cellRef(1, i+1), &r); err != nil {
			return err
		}
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(SheetGuide, "A1", cellRef(3, len(guideRows)), wrap); err != nil {
		return err
	}
	if err := f.SetColWidth(SheetGuide, "A", "A", 12); err != nil {
		return err
	}
	return f.SetColWidth(SheetGuide, "B", "C", 60)
}

// writeCodeSheet lists the standard's codes with their names and returns how many.
func writeCodeSheet(f *excelize.File, std *exams.Standard) (int, error) {
	if _, err := f.NewSheet(SheetCodes); err != nil {
		return 0, err
	}
	if err := f.SetSheetRow(SheetCodes, "A1", &[]any{"代码", "名称"}); err != nil {
		return 0, err
	}
	if std == nil {
		return 0, nil
	}
	row := 1
	var err error
	std.Walk(func(n *exams.Node, depth int) {
		if err == nil {
			row++
			err = f.SetSheetRow(SheetCodes, cellRef(1, row), &[]any{n.Code, strings.Repeat("　", depth) + n.Name})
		}
	})
	if err != nil {
		return 0, err
	}
	return row - 1, f.SetColWidth(SheetCodes, "B", "B", 40)
}

// addValidations offers drop-down lists for the columns with fixed values.
func addValidations(f *excelize.File, codes int) error {
	lists := []struct {
		col    int
		values []string
	}{
		{colType, []string{"单选题", "多选题", "判断题", "填空题", "简答题", "实操题"}},
		{colPool, []string{"考试", "练习", "两者"}},
		{colDifficulty, []string{"1", "2", "3", "4", "5"}},
		{colPartial, []string{"全对得分", "少选得半分", "按比例"}},
	}
	for _, l := range lists {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = columnRange(l.col)
		if err := dv.SetDropList(l.values); err != nil {
			return err
		}
		if err := f.AddDataValidation(SheetQuestions, dv); err != nil {
			return err
		}
	}
	if codes == 0 {
		return nil
	}
	dv := excelize.NewDataValidation(true)
	dv.Sqref = columnRange(colCode)
	dv.SetSqrefDropList(fmt.Sprintf("'%s'!$A$2:$A$%d", SheetCodes, codes+1))
	return f.AddDataValidation(SheetQuestions, dv)
}

func columnRange(col int) string {
	name, _ := excelize.ColumnNumberToName(col + 1)
	return fmt.Sprintf("%s2:%s%d", name, name, MaxImportRows+1)
}
