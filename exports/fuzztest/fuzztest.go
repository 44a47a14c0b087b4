// Package fuzztest builds fuzz inputs for the Excel importers: grids of cells as one
// string, and raw uploads with a few bytes changed.
package fuzztest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

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

// Storable reports whether the cells of a grid are UTF-8 holding only characters an xlsx
// can: XML 1.0 has no other control characters (excelize writes U+FFFD for them).
func Storable(grid string) bool {
	if !utf8.ValidString(grid) {
		return false
	}
	for _, r := range strings.NewReplacer(RowSep, "", CellSep, "").Replace(grid) {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return false
		}
	}
	return true
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

// Workbook writes rows as the first sheet of the smallest workbook excelize reads: inline
// strings, no styles or theme, nothing compressed. It is several times quicker to write
// and read than a workbook excelize writes, which matters to fuzzing (each input that
// finds new code is minimised with thousands of runs); exports fuzzes Book's output.
func Workbook(tb testing.TB, rows [][]string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(skeleton)) {
		write(tb, zw, name, []byte(skeleton[name]))
	}
	write(tb, zw, "xl/worksheets/sheet1.xml", sheetXML(rows))
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func write(tb testing.TB, zw *zip.Writer, name string, b []byte) {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
	if err == nil {
		_, err = w.Write(b)
	}
	if err != nil {
		tb.Fatal(err)
	}
}

func sheetXML(rows [][]string) []byte {
	var b bytes.Buffer
	b.WriteString(`<worksheet xmlns="` + mainNS + `"><sheetData>`)
	for i, r := range rows {
		fmt.Fprintf(&b, `<row r="%d">`, i+1)
		for j, c := range r {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			b.WriteString(`<c r="` + ref + `" t="inlineStr"><is><t xml:space="preserve">`)
			_ = xml.EscapeText(&b, []byte(c))
			b.WriteString(`</t></is></c>`)
		}
		b.WriteString(`</row>`)
	}
	b.WriteString(`</sheetData></worksheet>`)
	return b.Bytes()
}

const (
	mainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	relNS  = "http://schemas.openxmlformats.org/package/2006/relationships"
	docRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	xlType = "application/vnd.openxmlformats-officedocument.spreadsheetml."
)

// skeleton is every part of Workbook but the sheet.
var skeleton = map[string]string{
	"[Content_Types].xml": `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="` + xlType + `sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="` + xlType + `worksheet+xml"/></Types>`,
	"_rels/.rels": `<Relationships xmlns="` + relNS + `"><Relationship Id="rId1" Type="` + docRel +
		`/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
	"xl/workbook.xml": `<workbook xmlns="` + mainNS + `" xmlns:r="` + docRel + `">` +
		`<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
	"xl/_rels/workbook.xml.rels": `<Relationships xmlns="` + relNS + `"><Relationship Id="rId1" Type="` + docRel +
		`/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
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
