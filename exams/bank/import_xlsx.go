package bank

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"clerkskill/app/web"
	"clerkskill/exports"
)

// unzip limits keep a small upload from inflating into gigabytes.
var workbookOptions = excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20}

// ParseWorkbook reads questions from the Excel template. A file it cannot take as a whole
// (too large, not .xlsx, a zip bomb, too many rows, a changed header, merged cells, no
// rows) is refused with err and no report. Otherwise every row is checked against
// opt.Std: when any row is wrong, qs is nil, err says so and the report lists every
// problem by row and column; when all are right, qs holds one question per row.
func ParseWorkbook(r io.Reader, opt ImportOptions) (qs []*Question, rep *Report, err error) {
	defer func() {
		if v := recover(); v != nil { // a malformed file must never take the server down
			qs, rep, err = nil, nil, web.Errorf(web.EINVALID, "无法读取工作簿，文件可能已损坏")
		}
	}()
	b, err := readUpload(r, opt.maxBytes())
	if err != nil {
		return nil, nil, err
	}
	if err := sniffXLSX(b); err != nil {
		return nil, nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), workbookOptions)
	if err != nil {
		return nil, nil, openProblem(err)
	}
	defer f.Close()
	sheet, err := readQuestionSheet(f, opt.maxRows())
	if err != nil {
		return nil, nil, err
	}
	return sheet.questions(opt)
}

// readUpload reads at most limit bytes and refuses anything longer.
func readUpload(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, web.Errorf(web.ETOOLARGE, "文件超过 %d MiB 的上限，请分成几个文件导入", limit>>20)
	}
	if len(b) == 0 {
		return nil, web.Errorf(web.EINVALID, "文件是空的")
	}
	return b, nil
}

func sniffXLSX(b []byte) error {
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return nil
	case bytes.HasPrefix(b, []byte("\xD0\xCF\x11\xE0")):
		return web.Errorf(web.EINVALID, "文件是旧版 .xls 或设有密码的工作簿，请另存为不设密码的 .xlsx 后再导入")
	}
	return web.Errorf(web.EINVALID, "文件不是 Excel 工作簿（.xlsx），请下载模板填写后再导入")
}

// openProblem tells a user why a workbook could not be opened.
func openProblem(err error) error {
	switch {
	case strings.Contains(err.Error(), "unzip size exceeds"):
		return web.Errorf(web.ETOOLARGE, "工作簿解压后超过 %d MiB（疑似压缩炸弹），已拒绝", workbookOptions.UnzipSizeLimit>>20)
	case errors.Is(err, excelize.ErrWorkbookPassword):
		return web.Errorf(web.EINVALID, "工作簿设有密码，请取消密码后再导入")
	}
	return web.Errorf(web.EINVALID, "文件不是有效的 Excel 工作簿（.xlsx），请下载模板填写后再导入")
}

// questionSheet is the 题目 sheet as read: the header and the non-empty rows, each cell
// both as shown (formatted) and as stored (raw).
type questionSheet struct {
	f         *excelize.File
	header    []string
	formatted [][]string
	raw       [][]string
}

func readQuestionSheet(f *excelize.File, maxRows int) (*questionSheet, error) {
	if idx, _ := f.GetSheetIndex(SheetQuestions); idx < 0 {
		return nil, web.Errorf(web.EINVALID, "工作簿缺少工作表“%s”，请使用下载的模板", SheetQuestions)
	}
	if err := countRows(f, maxRows); err != nil {
		return nil, err
	}
	if err := refuseMerged(f); err != nil {
		return nil, err
	}
	formatted, err := f.GetRows(SheetQuestions)
	if err != nil {
		return nil, openProblem(err)
	}
	raw, err := f.GetRows(SheetQuestions, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, openProblem(err)
	}
	if len(formatted) == 0 {
		return nil, web.Errorf(web.EINVALID, "工作表“%s”是空的：第1行应为表头，第2行起每行一题", SheetQuestions)
	}
	return &questionSheet{f: f, header: trimAll(formatted[0]), formatted: formatted, raw: raw}, nil
}

// countRows refuses absurd row counts before the sheet is loaded into memory, counting
// only rows that hold something (a formatted but empty row is not a question).
func countRows(f *excelize.File, maxRows int) error {
	rows, err := f.Rows(SheetQuestions)
	if err != nil {
		return openProblem(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return openProblem(err)
		}
		if !emptyRow(cols) {
			n++
		}
		if n > maxRows+1 {
			return web.Errorf(web.ETOOLARGE, "工作表“%s”超过 %d 题的上限，请分成几个文件导入", SheetQuestions, maxRows)
		}
	}
	return nil
}

func refuseMerged(f *excelize.File) error {
	merged, err := f.GetMergeCells(SheetQuestions)
	if err != nil {
		return openProblem(err)
	}
	for _, m := range merged {
		_, row, err := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err == nil && row >= 2 {
			return web.Errorf(web.EINVALID, "工作表“%s”的 %s:%s 是合并单元格，请取消合并，每行只写一题", SheetQuestions,
				m.GetStartAxis(), m.GetEndAxis())
		}
	}
	return nil
}

func emptyRow(cols []string) bool {
	for _, c := range cols {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func trimAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.TrimSpace(s)
	}
	return out
}

// headerColumns maps each template column to its position in the file, refusing a header
// that lacks a column, repeats one or has one the template does not know.
func headerColumns(header []string) ([]int, error) {
	pos := make([]int, len(Columns))
	for i := range pos {
		pos[i] = -1
	}
	var unknown, twice []string
	for j, h := range header {
		i := columnIndex(headerName(h))
		switch {
		case h == "" || h == ReportColumn:
		case i == len(Columns):
			unknown = append(unknown, "“"+h+"”")
		case pos[i] >= 0:
			twice = append(twice, "“"+h+"”")
		default:
			pos[i] = j
		}
	}
	var missing []string
	for i, p := range pos {
		if p < 0 {
			missing = append(missing, "“"+Columns[i]+"”")
		}
	}
	return pos, headerProblem(missing, unknown, twice)
}

// headerName folds width and spacing, so 选项Ａ and 选项 A match 选项A.
func headerName(h string) string {
	n := strings.ToUpper(NormalizeText(h))
	for _, c := range Columns {
		if strings.ToUpper(NormalizeText(c)) == n {
			return c
		}
	}
	return h
}

func headerProblem(missing, unknown, twice []string) error {
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "缺少列"+strings.Join(missing, ""))
	}
	if len(unknown) > 0 {
		parts = append(parts, "无法识别的列"+strings.Join(unknown, ""))
	}
	if len(twice) > 0 {
		parts = append(parts, "重复的列"+strings.Join(twice, ""))
	}
	if len(parts) == 0 {
		return nil
	}
	return web.Errorf(web.EINVALID, "第1行表头与模板不符：%s。请下载最新模板，不要修改或删除表头", strings.Join(parts, "；"))
}

// questions turns every non-empty row into a question and checks it.
func (s *questionSheet) questions(opt ImportOptions) ([]*Question, *Report, error) {
	pos, err := headerColumns(s.header)
	if err != nil {
		return nil, nil, err
	}
	rep := &Report{Format: FormatXLSX, Report: exports.Report{Header: s.header}}
	for i := 1; i < len(s.formatted); i++ {
		if !emptyRow(s.formatted[i]) {
			rep.Source = append(rep.Source, exports.SourceRow{No: i + 1, Cells: s.cells(i, pos)})
		}
	}
	rep.Rows = len(rep.Source)
	if rep.Rows == 0 {
		return nil, nil, web.Errorf(web.EINVALID, "工作表“%s”没有题目：请从第2行起每行填写一题", SheetQuestions)
	}
	qs := make([]*Question, 0, rep.Rows)
	stems := map[string]int{}
	for i, src := range rep.Source {
		rr := &rowReader{no: src.No, cells: byTemplate(src.Cells, pos), rep: rep, opt: opt}
		q := rr.question()
		rr.checkDuplicate(q, stems)
		qs = append(qs, q)
		opt.progress(i+1, rep.Rows)
	}
	rep.sortErrors()
	if !rep.OK() {
		return nil, rep, rep.Err()
	}
	return qs, rep, nil
}

// cells returns row i in the file's column order, each cell as the user sees it, except
// that dates are written as 2006-01-02 and numbers in 分值 and 难度 are taken as stored.
func (s *questionSheet) cells(i int, pos []int) []string {
	out := make([]string, len(s.header))
	for j := range out {
		f, r := at(s.formatted, i, j), at(s.raw, i, j)
		switch j {
		case pos[colScore], pos[colDifficulty]:
			out[j] = strings.TrimSpace(r)
		default:
			out[j] = strings.TrimSpace(exports.Unsafe(s.dateText(i, j, f, r)))
		}
	}
	return out
}

func at(rows [][]string, i, j int) string {
	if i < len(rows) && j < len(rows[i]) {
		return rows[i][j]
	}
	return ""
}

// byTemplate reorders a file row into template column order.
func byTemplate(cells []string, pos []int) []string {
	out := make([]string, len(Columns))
	for i, p := range pos {
		if p >= 0 && p < len(cells) {
			out[i] = cells[p]
		}
	}
	return out
}

// dateText writes a date cell as 2006-01-02 rather than in the sheet's display format.
func (s *questionSheet) dateText(i, j int, formatted, raw string) string {
	if formatted == raw || !s.dateCell(cellRef(j+1, i+1)) {
		return formatted
	}
	serial, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return formatted
	}
	t, err := excelize.ExcelDateToTime(serial, false)
	if err != nil {
		return formatted
	}
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 15:04")
}

// dateCell reports whether the cell's number format shows a date.
func (s *questionSheet) dateCell(ref string) bool {
	id, err := s.f.GetCellStyle(SheetQuestions, ref)
	if err != nil {
		return false
	}
	st, err := s.f.GetStyle(id)
	if err != nil || st == nil {
		return false
	}
	n := st.NumFmt
	if (n >= 14 && n <= 17) || n == 22 || (n >= 27 && n <= 31) || (n >= 34 && n <= 36) || (n >= 50 && n <= 58) {
		return true
	}
	if st.CustomNumFmt == nil {
		return false
	}
	code := quotedText.ReplaceAllString(strings.ToLower(*st.CustomNumFmt), "")
	return strings.ContainsAny(code, "yd") || strings.ContainsAny(code, "年月日")
}

// quotedText matches literal text and colour or locale codes in a number format.
var quotedText = regexp.MustCompile(`"[^"]*"|\[[^\]]*\]`)
