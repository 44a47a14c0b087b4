// Package fuzztest builds fuzz inputs for the Excel importers: grids of cells as one
// string, and raw uploads with a few bytes changed.
package fuzztest

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"clerkskill/exports"
)

// A grid is a sheet written as one string for fuzz targets: rows end at RowSep and cells
// at CellSep, so a cell may hold any other character, line breaks and tabs included. The
// fuzzing engine mutates and minimises such text well, where mutated xlsx bytes are
// mostly broken zips and a zip it finds interesting cannot be minimised in the time.
const (
	RowSep  = "\x1e"
	CellSep = "\x1f"
)

// Grid writes rows as a grid.
func Grid(rows ...[]string) string {
	lines := make([]string, len(rows))
	for i, r := range rows {
		lines[i] = strings.Join(r, CellSep)
	}
	return strings.Join(lines, RowSep)
}

// Rows splits a grid into its rows of cells.
func Rows(grid string) [][]string {
	var out [][]string
	for line := range strings.SplitSeq(grid, RowSep) {
		out = append(out, strings.Split(line, CellSep))
	}
	return out
}

// Table is a grid as exports.Workbook.Table gives a sheet: the first row is the header,
// every cell with Safe undone, trimmed, blank rows skipped, rows numbered as in the sheet.
func Table(grid string) *exports.Table {
	rows := Rows(grid)
	t := &exports.Table{Sheet: "Sheet1", Header: clean(rows[0])}
	for i, r := range rows[1:] {
		if c := clean(r); strings.Join(c, "") != "" {
			t.Rows = append(t.Rows, exports.SourceRow{No: i + 2, Cells: c})
		}
	}
	return t
}

func clean(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.TrimSpace(exports.Unsafe(c))
	}
	return out
}

// Workbook writes rows with excelize as text cells of the first sheet: an upload as a
// user would save it, for fuzz targets that read whole files back.
func Workbook(tb testing.TB, rows [][]string) []byte {
	tb.Helper()
	x := excelize.NewFile()
	defer x.Close()
	for i, r := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", ref, &r); err != nil {
			tb.Fatalf("write row %d: %v", i+1, err)
		}
	}
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		tb.Fatalf("write workbook: %v", err)
	}
	return b.Bytes()
}

// Patch is a copy of b with patch written over it at at (modulo its length), then cut
// to cut bytes (modulo its length) unless cut is 0: raw upload bytes for a fuzz target
// that changes a few bytes of a real file, so that what the engine minimises is short.
func Patch(b []byte, at int, patch []byte, cut int) []byte {
	at %= len(b)
	out := append(slices.Clone(b[:at]), patch...)
	if at+len(patch) < len(b) {
		out = append(out, b[at+len(patch):]...)
	}
	if cut != 0 {
		out = out[:cut%len(out)]
	}
	return out
}
