package exports

import (
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"clerkskill/app/web"
)

// Table is one sheet of an upload: its header and its non-empty rows, every cell as
// stored (a date cell gives its serial number, see ParseDate), trimmed, with Safe undone.
type Table struct {
	Sheet  string
	Header []string
	Rows   []SourceRow
}

// Table reads sheet (the first sheet when empty). It refuses a missing sheet, a sheet
// with more than MaxRows data rows (counted while reading, so a 2-million-row sheet
// stops at the limit), merged cells below the header (the range named) and a sheet
// with no data rows; noun names what one row is (人员, 题目).
func (w *Workbook) Table(sheet, noun string) (*Table, error) {
	if sheet == "" {
		sheet = w.File.GetSheetName(0)
	}
	if idx, _ := w.File.GetSheetIndex(sheet); idx < 0 {
		return nil, web.Errorf(web.EINVALID, "工作簿缺少工作表“%s”，请使用下载的模板", sheet)
	}
	t, err := w.readRows(sheet, noun)
	if err != nil {
		return nil, err
	}
	if err := w.RefuseMerged(sheet); err != nil {
		return nil, err
	}
	if len(t.Rows) == 0 {
		return nil, web.Errorf(web.EINVALID, "工作表“%s”没有数据：第1行为表头，请从第2行起每行填写一条%s", sheet, noun)
	}
	return t, nil
}

func (w *Workbook) readRows(sheet, noun string) (*Table, error) {
	rows, err := w.File.Rows(sheet)
	if err != nil {
		return nil, OpenProblem(err, w.lim.MaxUnzip)
	}
	defer rows.Close()
	t := &Table{Sheet: sheet}
	for no := 1; rows.Next(); no++ {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, OpenProblem(err, w.lim.MaxUnzip)
		}
		cells := clean(cols)
		if no == 1 {
			t.Header = cells
			continue
		}
		if emptyRow(cells) {
			continue
		}
		if len(t.Rows) == w.lim.MaxRows {
			return nil, web.Errorf(web.ETOOLARGE, "工作表“%s”超过 %d 条%s的上限，请分成几个文件导入", sheet, w.lim.MaxRows, noun)
		}
		t.Rows = append(t.Rows, SourceRow{No: no, Cells: cells})
	}
	return t, rows.Error()
}

// RefuseMerged refuses merged cells below the header, naming the first range.
func (w *Workbook) RefuseMerged(sheet string) error {
	merged, err := w.File.GetMergeCells(sheet)
	if err != nil {
		return OpenProblem(err, w.lim.MaxUnzip)
	}
	for _, m := range merged {
		_, row, err := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err == nil && row >= 2 {
			return web.Errorf(web.EINVALID, "工作表“%s”的 %s:%s 是合并单元格，请取消合并，每行只写一条", sheet,
				m.GetStartAxis(), m.GetEndAxis())
		}
	}
	return nil
}

func emptyRow(cols []string) bool {
	return !slices.ContainsFunc(cols, func(c string) bool { return strings.TrimSpace(c) != "" })
}

// clean undoes Safe, then trims: Safe("\t") is "'\t", which reads back as "".
func clean(cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = strings.TrimSpace(Unsafe(c))
	}
	return out
}

// Columns maps each expected column to its position in the file, ignoring the report's
// 错误说明 column and folding full-width letters and spaces in names. A header that lacks
// a column, repeats one or has one not expected is refused, naming the problem columns,
// the expected header and the header found.
func (t *Table) Columns(expected []string) ([]int, error) {
	pos := make([]int, len(expected))
	for i := range pos {
		pos[i] = -1
	}
	var unknown, twice, missing []string
	for j, h := range t.Header {
		i := slices.IndexFunc(expected, func(e string) bool { return headerKey(e) == headerKey(h) })
		switch {
		case h == "" || h == ReportColumn:
		case i < 0:
			unknown = append(unknown, "“"+h+"”")
		case pos[i] >= 0:
			twice = append(twice, "“"+h+"”")
		default:
			pos[i] = j
		}
	}
	for i, p := range pos {
		if p < 0 {
			missing = append(missing, "“"+expected[i]+"”")
		}
	}
	return pos, headerProblem(missing, unknown, twice, expected, t.Header)
}

func headerKey(h string) string {
	return strings.ToUpper(strings.Join(strings.Fields(Normalize(h)), ""))
}

func headerProblem(missing, unknown, twice, expected, found []string) error {
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
	return web.Errorf(web.EINVALID, "第1行表头与模板不符：%s。模板表头为：%s；文件表头为：%s。请下载最新模板，不要修改或删除表头",
		strings.Join(parts, "；"), strings.Join(expected, "、"), strings.Join(slices.DeleteFunc(slices.Clone(found),
			func(s string) bool { return s == "" }), "、"))
}

// Cells returns row's cells in expected-column order given pos from Columns.
func Cells(row SourceRow, pos []int) []string {
	out := make([]string, len(pos))
	for i, p := range pos {
		if p >= 0 && p < len(row.Cells) {
			out[i] = row.Cells[p]
		}
	}
	return out
}
