package bank

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/exports"
)

// Import limits: an upload larger than MaxImportBytes or with more than MaxImportRows
// questions is refused before any row is read.
const (
	MaxImportBytes = 10 << 20
	MaxImportRows  = 5000
	// maxListedErrors bounds the errors a report carries; the summary gives the total.
	maxListedErrors = 2000
)

// Import formats.
const (
	FormatXLSX  = "xlsx"
	FormatAiken = "aiken"
	FormatGIFT  = "gift"
)

// Defaults fill what an imported item leaves out: Aiken and GIFT carry no level, code,
// pool or score, and blank cells of the Excel template take them too.
type Defaults struct {
	Owner      int64
	Levels     Levels
	Code       string
	Difficulty int
	Pool       Pool
	Score      int
}

// ImportOptions configure one import. Zero limits mean the package limits.
type ImportOptions struct {
	Std      *exams.Standard
	Defaults Defaults
	MaxBytes int64
	MaxRows  int
	// Progress, when set, is told how many rows have been checked out of how many.
	Progress func(done, total int)
}

func (o ImportOptions) maxBytes() int64 {
	if o.MaxBytes <= 0 {
		return MaxImportBytes
	}
	return o.MaxBytes
}

func (o ImportOptions) maxRows() int {
	if o.MaxRows <= 0 {
		return MaxImportRows
	}
	return o.MaxRows
}

func (o ImportOptions) progress(done, total int) {
	if o.Progress != nil {
		o.Progress(done, total)
	}
}

// RowError is one problem of one row (Excel) or item (Aiken, GIFT, where Row is the line
// the item starts on).
type RowError struct {
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

// Report is the outcome of reading an import file: how many rows it held and what was
// wrong with them, with the source kept to write the error report workbook.
type Report struct {
	Format string     `json:"format"`
	Rows   int        `json:"rows"`
	Errors []RowError `json:"errors"`
	// Total counts every error, also those past the listing bound.
	Total int `json:"total_errors"`

	header []string    // Excel: the file's header row
	source []sourceRow // Excel rows, or the text items
}

// sourceRow is a row as the user wrote it, with its row (or first line) number.
type sourceRow struct {
	no    int
	cells []string
}

func (r *Report) add(row int, column, format string, args ...any) {
	r.Total++
	if len(r.Errors) < maxListedErrors {
		r.Errors = append(r.Errors, RowError{Row: row, Column: column, Message: fmt.Sprintf(format, args...)})
	}
}

// has reports whether row already has an error in column.
func (r *Report) has(row int, column string) bool {
	return slices.ContainsFunc(r.Errors, func(e RowError) bool { return e.Row == row && e.Column == column })
}

// OK reports whether every row was valid.
func (r *Report) OK() bool { return r.Total == 0 }

// BadRows counts the rows with at least one error (among those listed).
func (r *Report) BadRows() int {
	seen := map[int]bool{}
	for _, e := range r.Errors {
		seen[e.Row] = true
	}
	return len(seen)
}

// Err is the refusal of the whole file when any row is wrong, nil when all are right.
func (r *Report) Err() error {
	if r.OK() {
		return nil
	}
	first := r.Errors[0]
	return web.Errorf(web.EINVALID, "%d 行题目中有 %d 行存在错误（共 %d 处），未导入任何题目。首个错误：%s",
		r.Rows, r.BadRows(), r.Total, first.String())
}

// String puts a row error in one line, e.g. "第 3 行“答案”：…".
func (e RowError) String() string {
	if e.Column == "" {
		return fmt.Sprintf("第 %d 行：%s", e.Row, e.Message)
	}
	return fmt.Sprintf("第 %d 行“%s”：%s", e.Row, e.Column, e.Message)
}

// messagesByRow joins each row's errors into one note.
func (r *Report) messagesByRow() map[int]string {
	out := map[int]string{}
	for _, e := range r.Errors {
		msg := e.Message
		if e.Column != "" {
			msg = "“" + e.Column + "”：" + msg
		}
		if out[e.Row] != "" {
			out[e.Row] += "；"
		}
		out[e.Row] += msg
	}
	return out
}

// ReportColumn is the column the error report adds to the user's rows.
const ReportColumn = "错误说明"

// WriteWorkbook writes the error report: for the Excel template, the user's own rows with
// an added 错误说明 column and the bad cells marked, ready to fix and upload again; for
// Aiken and GIFT, each item's first line number, its text and what is wrong.
func (r *Report) WriteWorkbook(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := SheetQuestions
	header := r.header
	if r.Format != FormatXLSX {
		sheet, header = "错误报告", []string{"起始行", "题目原文"}
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	if err := r.writeReportRows(f, sheet, header); err != nil {
		return err
	}
	return f.Write(w)
}

func (r *Report) writeReportRows(f *excelize.File, sheet string, header []string) error {
	styles, err := newReportStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := reportLayout(sw, len(header)); err != nil {
		return err
	}
	head := make([]any, 0, len(header)+1)
	for _, h := range header {
		head = append(head, excelize.Cell{StyleID: styles.header, Value: h})
	}
	head = append(head, excelize.Cell{StyleID: styles.header, Value: ReportColumn})
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	notes := r.messagesByRow()
	for i, src := range r.source {
		if err := sw.SetRow(cellRef(1, i+2), r.reportRow(src, header, notes, styles)); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func reportLayout(sw *excelize.StreamWriter, cols int) error {
	if err := sw.SetColWidth(1, cols, 18); err != nil {
		return err
	}
	if err := sw.SetColWidth(cols+1, cols+1, 60); err != nil {
		return err
	}
	return sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// reportRow is one source row with the bad cells styled and the note added.
func (r *Report) reportRow(src sourceRow, header []string, notes map[int]string, st reportStyles) []any {
	bad := map[string]bool{}
	for _, e := range r.Errors {
		if e.Row == src.no {
			bad[e.Column] = true
		}
	}
	cells := src.cells
	if r.Format != FormatXLSX {
		cells = []string{strconv.Itoa(src.no), strings.Join(src.cells, "\n")}
	}
	out := make([]any, len(header)+1)
	for i := range header {
		c := excelize.Cell{Value: ""}
		if i < len(cells) {
			c.Value = exports.Safe(cells[i])
		}
		if r.Format == FormatXLSX && bad[header[i]] {
			c.StyleID = st.bad
		}
		out[i] = c
	}
	out[len(header)] = excelize.Cell{StyleID: st.note, Value: notes[src.no]}
	return out
}

type reportStyles struct{ header, bad, note int }

func newReportStyles(f *excelize.File) (reportStyles, error) {
	var st reportStyles
	var err error
	if st.header, err = headerStyle(f); err != nil {
		return st, err
	}
	st.bad, err = f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}},
		Font: &excelize.Font{Color: "9C0006"}, NumFmt: 49})
	if err != nil {
		return st, err
	}
	st.note, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "C00000"},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	return st, err
}

// sortErrors orders the errors by row, then by the order of the template's columns.
func (r *Report) sortErrors() {
	slices.SortStableFunc(r.Errors, func(a, b RowError) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return columnIndex(a.Column) - columnIndex(b.Column)
	})
}
