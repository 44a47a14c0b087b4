package bank

import (
	"io"

	"clerkskill/exams"
	"clerkskill/exports"
)

// Import limits: an upload larger than MaxImportBytes or with more than MaxImportRows
// questions is refused before any row is read.
const (
	MaxImportBytes = 10 << 20
	MaxImportRows  = 5000
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
type RowError = exports.RowError

// ReportColumn is the column the error report adds to the user's rows.
const ReportColumn = exports.ReportColumn

// textHeader is the error report's header for Aiken and GIFT: each item's first line
// number and its text.
var textHeader = []string{"起始行", "题目原文"}

// Report is the outcome of reading an import file: exports.Report (rows, errors, the
// source for the error workbook) and the format it was read in.
type Report struct {
	Format string `json:"format"`
	exports.Report
}

// Err is the refusal of the whole file when any row is wrong, nil when all are right.
func (r *Report) Err() error { return r.Report.Err("题目") }

// WriteWorkbook writes the error report: for the Excel template, the user's own rows with
// an added 错误说明 column and the bad cells marked, ready to fix and upload again; for
// Aiken and GIFT, each item's first line number, its text and what is wrong.
func (r *Report) WriteWorkbook(w io.Writer) error {
	if r.Format != FormatXLSX {
		return r.Report.WriteWorkbook(w, "错误报告")
	}
	return r.Report.WriteWorkbook(w, SheetQuestions)
}

// sortErrors orders the errors by row, then by the order of the template's columns.
func (r *Report) sortErrors() { r.SortErrors(Columns) }
