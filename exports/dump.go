package exports

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Dump renders a workbook as text for golden tests: per sheet its layout (frozen rows,
// print titles, paper, orientation, column widths) and every row, cells separated by
// " | ", formulas shown as =… after the value.
func Dump(r io.Reader) (string, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var b strings.Builder
	for _, name := range f.GetSheetList() {
		if err := dumpSheet(&b, f, name); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

// DumpBytes is Dump over a workbook in memory.
func DumpBytes(b []byte) (string, error) { return Dump(bytes.NewReader(b)) }

func dumpSheet(b *strings.Builder, f *excelize.File, name string) error {
	rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
	if err != nil {
		return err
	}
	fmt.Fprintf(b, "== %s\n%s\n", name, layoutLine(f, name, rows))
	for i, row := range rows {
		cells := make([]string, len(row))
		for j, v := range row {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if fx, _ := f.GetCellFormula(name, ref); fx != "" {
				v += " =" + fx
			}
			cells[j] = v
		}
		fmt.Fprintf(b, "%d: %s\n", i+1, strings.Join(cells, " | "))
	}
	return nil
}

func layoutLine(f *excelize.File, name string, rows [][]string) string {
	var parts []string
	if p, err := f.GetPanes(name); err == nil && p.Freeze {
		parts = append(parts, fmt.Sprintf("frozen=%s", p.TopLeftCell))
	}
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" && d.Scope == name {
			parts = append(parts, "print-titles="+d.RefersTo)
		}
	}
	if pl, err := f.GetPageLayout(name); err == nil {
		if pl.Size != nil {
			parts = append(parts, fmt.Sprintf("paper=%d", *pl.Size))
		}
		if pl.Orientation != nil {
			parts = append(parts, *pl.Orientation)
		}
	}
	if len(rows) > 0 {
		var ws []string
		for j := range rows[0] {
			col, _ := excelize.ColumnNumberToName(j + 1)
			w, _ := f.GetColWidth(name, col)
			ws = append(ws, fmt.Sprintf("%g", w))
		}
		parts = append(parts, "widths="+strings.Join(ws, ","))
	}
	return strings.Join(parts, " ")
}
