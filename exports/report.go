package exports

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"clerkskill/app/web"
)

// MaxListedErrors bounds the errors a report carries; Total still counts them all.
const MaxListedErrors = 2000

// ReportColumn is the column the error report adds to the user's rows; an importer
// ignores it, so the report can be fixed and uploaded again as it is.
const ReportColumn = "错误说明"

// RowError is one problem of one row (for text formats, the line an item starts on).
type RowError struct {
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

// String puts a row error in one line, e.g. "第 3 行“答案”：…".
func (e RowError) String() string {
	if e.Column == "" {
		return fmt.Sprintf("第 %d 行：%s", e.Row, e.Message)
	}
	return fmt.Sprintf("第 %d 行“%s”：%s", e.Row, e.Column, e.Message)
}

// SourceRow is a row as the user wrote it, with its row number in the file.
type SourceRow struct {
	No    int
	Cells []string
}

// Report is the outcome of checking an import: how many rows it held and what was wrong
// with them. Imports are all or nothing: when any row is wrong nothing is stored, and the
// report, written back as a workbook of the user's own rows with a 错误说明 column, says
// row by row what to fix.
type Report struct {
	Rows   int        `json:"rows"`
	Errors []RowError `json:"errors"`
	// Total counts every error, also those past the listing bound.
	Total int `json:"total_errors"`

	Header []string    `json:"-"` // the file's header row
	Source []SourceRow `json:"-"` // the rows as written
}

// Add records a problem of row in column (empty for the row as a whole).
func (r *Report) Add(row int, column, format string, args ...any) {
	r.Total++
	if len(r.Errors) < MaxListedErrors {
		r.Errors = append(r.Errors, RowError{Row: row, Column: column, Message: fmt.Sprintf(format, args...)})
	}
}

// Has reports whether row already has an error in column.
func (r *Report) Has(row int, column string) bool {
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

// Err is the refusal of the whole file when any row is wrong, nil when all are right;
// noun names what the rows are (题目, 人员).
func (r *Report) Err(noun string) error {
	if r.OK() {
		return nil
	}
	return web.Errorf(web.EINVALID, "%d 行%s中有 %d 行存在错误（共 %d 处），未导入任何%s。首个错误：%s",
		r.Rows, noun, r.BadRows(), r.Total, noun, r.Errors[0].String())
}

// SortErrors orders the errors by row, then by the position of their column in order.
func (r *Report) SortErrors(order []string) {
	index := func(c string) int {
		if i := slices.Index(order, c); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(r.Errors, func(a, b RowError) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return index(a.Column) - index(b.Column)
	})
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

// WriteWorkbook writes the error report on sheet: the user's rows under their header
// with an added 错误说明 column and the bad cells marked, ready to fix and upload again.
func (r *Report) WriteWorkbook(w io.Writer, sheet string) error {
	b, err := NewBook()
	if err != nil {
		return err
	}
	defer b.Close()
	cols := make([]Column, 0, len(r.Header)+1)
	for _, h := range r.Header {
		cols = append(cols, Column{Header: h, Width: 18})
	}
	s, err := b.Sheet(sheet, append(cols, Column{Header: ReportColumn, Width: 60}), Layout{Landscape: true})
	if err != nil {
		return err
	}
	if err := r.writeRows(b, s); err != nil {
		return err
	}
	return b.Write(w)
}

func (r *Report) writeRows(b *Book, s *Sheet) error {
	bad, err := b.f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}},
		Font: &excelize.Font{Color: "9C0006"}, NumFmt: 49})
	if err != nil {
		return err
	}
	note, err := b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "C00000"},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	notes := r.messagesByRow()
	for _, src := range r.Source {
		if err := s.Row(r.reportRow(src, notes[src.No], bad, note)...); err != nil {
			return err
		}
	}
	return nil
}

// reportRow is one source row with the bad cells styled and the note added.
func (r *Report) reportRow(src SourceRow, note string, badStyle, noteStyle int) []any {
	bad := map[string]bool{}
	for _, e := range r.Errors {
		if e.Row == src.No {
			bad[e.Column] = true
		}
	}
	out := make([]any, len(r.Header)+1)
	for i, h := range r.Header {
		c := excelize.Cell{Value: ""}
		if i < len(src.Cells) {
			c.Value = src.Cells[i]
		}
		if bad[h] {
			c.StyleID = badStyle
		}
		out[i] = c
	}
	out[len(r.Header)] = excelize.Cell{StyleID: noteStyle, Value: note}
	return out
}

// TextSource turns items of a text format (first line number, lines) into report rows
// of two columns, 起始行 and 原文.
func TextSource(no int, lines []string) SourceRow {
	return SourceRow{No: no, Cells: []string{strconv.Itoa(no), strings.Join(lines, "\n")}}
}
