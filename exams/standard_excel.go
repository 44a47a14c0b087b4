package exams

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"clerkskill/app/web"
)

// The weight workbook: one sheet per weight table, rows are tree codes, columns are the
// levels 五级 to 一级, cells are whole percentages. A 填写说明 sheet explains the layout and
// carries the version label and whether the figures are official.
const (
	SheetGuide       = "填写说明"
	guideVersionKey  = "版本标签"
	guideOfficialKey = "权重是否为官方数字（是/否）"
	maxWorkbookRows  = 2000
	headerCode       = "代码"
	headerName       = "名称"
	totalRowLabel    = "合计"
)

// unzip limits keep a small upload from inflating into gigabytes.
var workbookOptions = excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20, RawCellValue: true}

// WriteWeightTemplate writes the weight workbook for s, filled with its current weights,
// ready for an administrator to overwrite with the official figures.
func WriteWeightTemplate(w io.Writer, s *Standard) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetGuide); err != nil {
		return err
	}
	if err := writeGuide(f, s); err != nil {
		return err
	}
	for _, t := range weightTables {
		if _, err := f.NewSheet(t.Name); err != nil {
			return err
		}
		if err := writeWeightSheet(f, t.Name, t.Kind, s); err != nil {
			return fmt.Errorf("write %s: %w", t.Name, err)
		}
	}
	return f.Write(w)
}

func writeGuide(f *excelize.File, s *Standard) error {
	rows := [][]any{
		{"行政办事员（政务服务综合窗口办事员）权重表导入模板"},
		{"1. 在“理论知识权重表”和“技能要求权重表”中，按等级填写各分支所占分值的百分比，只填整数，如 25 表示 25%。"},
		{"2. 每个等级每张表的权重合计必须为 100；不适用于该等级的分支请留空。"},
		{"3. 不要修改“代码”列和表头；“合计”行仅供核对，导入时忽略。"},
		{"4. 导入后系统生成新的标准版本，已有成绩仍按原版本保存。"},
		{},
		{guideVersionKey, s.Meta.Version + "（导入权重表）"},
		{guideOfficialKey, "否"},
	}
	for i, r := range rows {
		if err := f.SetSheetRow(SheetGuide, cell(1, i+1), &r); err != nil {
			return err
		}
	}
	return f.SetColWidth(SheetGuide, "A", "A", 30)
}

func writeWeightSheet(f *excelize.File, sheet, kind string, s *Standard) error {
	header := []any{headerCode, headerName}
	for _, c := range LevelCodes {
		header = append(header, LevelName(c))
	}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return err
	}
	row := 2
	var err error
	s.Walk(func(n *Node, depth int) {
		if err == nil && depth <= 1 {
			err = f.SetSheetRow(sheet, cell(1, row), weightRow(s, n, depth, kind))
			row++
		}
	})
	if err != nil {
		return err
	}
	if err := writeTotals(f, sheet, row); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", "B", 24); err != nil {
		return err
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// weightRow is one row of a weight sheet: code, indented name, percent per level.
func weightRow(s *Standard, n *Node, depth int, kind string) *[]any {
	r := []any{n.Code, strings.Repeat("　", depth) + n.Name}
	for _, c := range LevelCodes {
		r = append(r, weightCell(s.Level(c), kind, n.Code))
	}
	return &r
}

func weightCell(l *Level, kind, code string) any {
	if l == nil {
		return nil
	}
	for _, w := range l.Weights(kind) {
		if w.Code == code {
			return w.Percent
		}
	}
	return nil
}

func writeTotals(f *excelize.File, sheet string, row int) error {
	if err := f.SetCellValue(sheet, cell(1, row), totalRowLabel); err != nil {
		return err
	}
	for i := range LevelCodes {
		col := cell(3+i, 0)[:1] // C..G
		formula := fmt.Sprintf("SUM(%s2:%s%d)", col, col, row-1)
		if err := f.SetCellFormula(sheet, cell(3+i, row), formula); err != nil {
			return err
		}
	}
	return nil
}

func cell(col, row int) string {
	name, _ := excelize.ColumnNumberToName(col)
	if row == 0 {
		return name
	}
	return name + strconv.Itoa(row)
}

// ParseWeightWorkbook reads a weight workbook and returns a copy of base with both weight
// tables replaced, validated. Every problem in the workbook is reported at once. Oversize
// files, files that are not .xlsx and workbooks not made from the template are refused.
func ParseWeightWorkbook(r io.Reader, base *Standard) (s *Standard, err error) {
	defer func() {
		if v := recover(); v != nil { // a malformed file must never take the server down
			s, err = nil, web.Errorf(web.EINVALID, "无法读取工作簿，文件可能已损坏")
		}
	}()
	if base == nil {
		return nil, web.Errorf(web.EINVALID, "没有可套用权重表的当前标准版本")
	}
	b, err := readLimited(r, MaxStandardSize)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), workbookOptions)
	if err != nil {
		return nil, openProblem(err)
	}
	defer f.Close()
	return applyWorkbook(f, base)
}

// openProblem tells a user why a workbook could not be opened.
func openProblem(err error) error {
	switch {
	case strings.Contains(err.Error(), "unzip size exceeds"):
		return web.Errorf(web.ETOOLARGE, "工作簿解压后超过 %d MiB，已拒绝", workbookOptions.UnzipSizeLimit>>20)
	case errors.Is(err, excelize.ErrWorkbookPassword):
		return web.Errorf(web.EINVALID, "工作簿设有密码，请取消密码后再导入")
	}
	return web.Errorf(web.EINVALID, "文件不是有效的 Excel 工作簿（.xlsx），请下载模板填写后再导入")
}

func applyWorkbook(f *excelize.File, base *Standard) (*Standard, error) {
	out := base.Clone()
	p := &problems{}
	for _, t := range weightTables {
		table := readWeightSheet(f, t.Name, out, p)
		for _, c := range LevelCodes {
			if l := out.Level(c); l != nil {
				l.setWeights(t.Kind, table[c])
			}
		}
	}
	readGuide(f, out, p)
	if err := p.err(); err != nil {
		return nil, err
	}
	if err := out.Validate(); err != nil {
		return nil, err
	}
	return out, nil
}

// readGuide takes the version label and the official flag from the guide sheet, if any.
func readGuide(f *excelize.File, s *Standard, p *problems) {
	s.Meta.Version += "（导入权重表）"
	rows, err := f.GetRows(SheetGuide, workbookOptions)
	if err != nil {
		return // the guide is optional
	}
	for _, r := range rows {
		if len(r) < 2 {
			continue
		}
		key, val := strings.TrimSpace(r[0]), strings.TrimSpace(r[1])
		switch {
		case key == guideVersionKey && val != "":
			s.Meta.Version = val
		case key == guideOfficialKey && val == "是":
			s.Meta.dropProvisional(TopicWeights)
		case key == guideOfficialKey && val != "否" && val != "":
			p.add("workbook", "%s：“%s”一栏应填“是”或“否”，实际为“%s”", SheetGuide, guideOfficialKey, val)
		}
	}
}

// readWeightSheet returns the weights per level found on one sheet, in row order.
func readWeightSheet(f *excelize.File, sheet string, s *Standard, p *problems) map[int][]Weight {
	rows, err := f.GetRows(sheet, workbookOptions)
	if err != nil {
		p.add("workbook", "工作簿缺少工作表“%s”，请使用系统提供的模板", sheet)
		return nil
	}
	if len(rows) > maxWorkbookRows {
		p.add("workbook", "工作表“%s”有 %d 行，超过上限 %d 行", sheet, len(rows), maxWorkbookRows)
		return nil
	}
	cols, ok := levelColumns(sheet, rows, p)
	if !ok {
		return nil
	}
	out := map[int][]Weight{}
	seen := map[string]int{}
	for i, r := range rows[1:] {
		readWeightRow(sheet, i+2, r, cols, s, seen, out, p)
	}
	return out
}

// levelColumns maps each level to its column index from the header row.
func levelColumns(sheet string, rows [][]string, p *problems) (map[int]int, bool) {
	if len(rows) == 0 || len(rows[0]) == 0 || strings.TrimSpace(rows[0][0]) != headerCode {
		p.add("workbook", "工作表“%s”第 1 行应为表头，第一列为“%s”", sheet, headerCode)
		return nil, false
	}
	cols := map[int]int{}
	for i, h := range rows[0] {
		for _, c := range LevelCodes {
			if strings.HasPrefix(strings.TrimSpace(h), LevelName(c)) {
				cols[c] = i
			}
		}
	}
	ok := true
	for _, c := range LevelCodes {
		if _, found := cols[c]; !found {
			p.add("workbook", "工作表“%s”缺少“%s”列", sheet, LevelName(c))
			ok = false
		}
	}
	return cols, ok
}

func readWeightRow(sheet string, rowNo int, r []string, cols map[int]int, s *Standard, seen map[string]int, out map[int][]Weight, p *problems) {
	code := ""
	if len(r) > 0 {
		code = strings.TrimSpace(r[0])
	}
	at := fmt.Sprintf("工作表“%s”第 %d 行", sheet, rowNo)
	switch {
	case code == "" || code == totalRowLabel:
		return
	case s.Node(code) == nil:
		p.add("workbook", "%s：代码 %s 不在当前标准树中", at, code)
		return
	case seen[code] != 0:
		p.add("workbook", "%s：代码 %s 与第 %d 行重复", at, code, seen[code])
		return
	}
	seen[code] = rowNo
	for _, c := range LevelCodes {
		v := ""
		if cols[c] < len(r) {
			v = strings.TrimSpace(r[cols[c]])
		}
		if pct, ok := parsePercent(v, at, c, p); ok {
			out[c] = append(out[c], Weight{Code: code, Percent: pct})
		}
	}
}

// parsePercent reads one cell: empty means no weight; otherwise a whole number.
func parsePercent(v, at string, level int, p *problems) (int, bool) {
	if v == "" {
		return 0, false
	}
	x, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
	switch {
	case err != nil || math.IsNaN(x) || math.IsInf(x, 0):
		p.add("workbook", "%s“%s”列：“%s”不是数字", at, LevelName(level), v)
		return 0, false
	case x != math.Trunc(x) || math.Abs(x) > 1000:
		p.add("workbook", "%s“%s”列：%s 应为 0 到 100 之间的整数", at, LevelName(level), v)
		return 0, false
	}
	return int(x), true
}
