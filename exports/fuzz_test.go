package exports_test

import (
	"archive/zip"
	"bytes"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"clerkskill/app/web/webtest"
	"clerkskill/exports"
	"clerkskill/exports/fuzztest"
)

// Raw xlsx bytes make a poor fuzz input: nearly every mutation breaks the zip, and an input
// that finds new code is minimised a byte at a time, each try a broken zip that keeps
// nothing, for the whole -fuzzminimizetime (60 s): a worker then runs no new inputs at all.
// So FuzzReadTable changes a few bytes of a real workbook and FuzzReadParts a few bytes of
// the XML inside one (the short patch is what gets minimised), and FuzzTableRoundTrip
// writes short grids of cells with Book.

var fuzzLimits = exports.Limits{MaxBytes: 1 << 20, MaxUnzip: 8 << 20, MaxRows: 200}

// maxPatch bounds the bytes a target writes into a workbook, and so the work of
// minimising them (each try one read of a workbook).
const maxPatch = 48

// FuzzReadTable feeds the shared upload reader every importer goes through (Open, Table,
// Columns) one of the seed workbooks with up to maxPatch bytes overwritten at offset at
// and, when cut is not 0, cut short (see fuzztest.Patch): headers, sizes the zip
// declares (a bomb), compressed data, the old .xls signature, text. It never panics or
// hangs and refuses with an application error.
func FuzzReadTable(f *testing.F) {
	books := tableBooks(f)
	for _, s := range rawSeeds(books) {
		f.Add(s.book, s.at, s.patch, s.cut)
	}
	f.Fuzz(func(t *testing.T, book uint8, at uint16, patch []byte, cut uint16) {
		if len(patch) > maxPatch {
			return
		}
		b := fuzztest.Patch(books[int(book)%len(books)], int(at), patch, int(cut))
		start := time.Now()
		tab, err := readFuzzTable(b, fuzzLimits)
		webtest.Within(t, start)
		webtest.AppError(t, err)
		if err == nil {
			checkTable(t, tab)
		}
	})
}

type rawSeed struct {
	book    uint8
	at, cut uint16
	patch   []byte
}

// rawSeeds are each book as written, cut in half, and with its first entry declaring
// 4 GiB (a zip bomb), plus an old .xls signature and plain text in place of the file.
func rawSeeds(books [][]byte) []rawSeed {
	out := []rawSeed{{patch: []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), cut: 8}, {patch: []byte("工号,姓名\n"), cut: 14}}
	for i, b := range books {
		dir := bytes.Index(b, []byte("PK\x01\x02"))
		out = append(out, rawSeed{book: uint8(i)}, rawSeed{book: uint8(i), cut: uint16(len(b) / 2)},
			rawSeed{book: uint8(i), at: uint16(dir + 24), patch: []byte{0xFF, 0xFF, 0xFF, 0xFF}})
	}
	return out
}

// FuzzReadParts edits the XML of one part of a seed workbook (the sheet, the shared
// strings, the workbook, the styles...): drop bytes at offset at are replaced with patch
// (up to maxPatch bytes), then the workbook is zipped again and read. It never panics or
// hangs and refuses with an application error.
func FuzzReadParts(f *testing.F) {
	var books []bookParts
	for _, b := range tableBooks(f) {
		books = append(books, partsOf(f, b))
	}
	for _, s := range partSeeds(books) {
		f.Add(s.book, s.part, s.at, s.drop, s.patch)
	}
	f.Fuzz(func(t *testing.T, book, part uint8, at, drop uint16, patch string) {
		if len(patch) > maxPatch {
			return
		}
		b := books[int(book)%len(books)].edited(t, int(part), int(at), int(drop), patch)
		start := time.Now()
		tab, err := readFuzzTable(b, fuzzLimits)
		webtest.Within(t, start)
		webtest.AppError(t, err)
		if err != nil {
			return
		}
		checkTable(t, tab)
	})
}

// FuzzTableRoundTrip writes a grid of cells (see fuzztest.Grid) with Book and reads
// it back: the same cells as a user's sheet holding them reads as, or, for a sheet with
// no data rows or too many, an application error.
func FuzzTableRoundTrip(f *testing.F) {
	for _, rows := range gridSeeds {
		f.Add(fuzztest.Grid(rows...))
	}
	f.Fuzz(func(t *testing.T, grid string) {
		if len(grid) > 4096 || !fuzztest.Storable(grid) {
			return
		}
		rows := fuzztest.Rows(grid)
		start := time.Now()
		tab, err := readFuzzTable(written(t, rows), fuzzLimits)
		webtest.Within(t, start)
		want := fuzztest.Table(grid)
		if err != nil {
			webtest.AppError(t, err)
			if n := len(want.Rows); n > 0 && n <= fuzzLimits.MaxRows {
				t.Fatalf("refused %d rows Book wrote: %v", n, err)
			}
			return
		}
		checkTable(t, tab)
		if diff := cmp.Diff(cellsOf(want), cellsOf(tab)); diff != "" {
			t.Errorf("round trip (-written +read):\n%s", diff)
		}
	})
}

// gridSeeds are short (every input that finds new code is minimised a byte at a time,
// at a cost that grows with the square of its length): a roster row, formula-like,
// full-width, padded, multi-line and blank cells, a blank row, and a header alone.
var gridSeeds = [][][]string{
	{{"工号", "姓名"}, {"QS1", "'=李四"}},
	{{"工 号", "错误说明"}, {"=1+1", "@SUM(A1)"}, {"\t"}, {"-2", "２０２４－０３－０１"}},
	{{"工号", "", "姓名"}, {" QS3 ", "", "王\n五"}},
	{{"入职日期"}},
}

// checkTable is what every accepted table must satisfy.
func checkTable(t *testing.T, tab *exports.Table) {
	t.Helper()
	if len(tab.Rows) == 0 || len(tab.Rows) > fuzzLimits.MaxRows {
		t.Fatalf("accepted %d rows", len(tab.Rows))
	}
	_, err := tab.Columns(header)
	webtest.AppError(t, err)
}

// bookParts are the entries of a workbook by name, names in order.
type bookParts struct {
	names   []string
	content map[string][]byte
}

func partsOf(f *testing.F, b []byte) bookParts {
	content := zipEntries(f, b)
	for name := range content { // not needed to read a table, and slow to parse
		if strings.HasPrefix(name, "xl/theme/") || strings.HasPrefix(name, "docProps/") {
			delete(content, name)
		}
	}
	return bookParts{names: slices.Sorted(maps.Keys(content)), content: content}
}

// edited zips the parts again with part (modulo their number) edited: drop bytes at at
// (modulo its length) replaced with patch.
func (p bookParts) edited(t *testing.T, part, at, drop int, patch string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i, name := range p.names {
		b := p.content[name]
		if i == part%len(p.names) {
			at %= len(b) + 1
			b = slices.Concat(b[:at], []byte(patch), b[min(at+drop, len(b)):])
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err == nil {
			_, err = w.Write(b)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type partSeed struct {
	book, part uint8
	at, drop   uint16
	patch      string
}

// partSeeds are each book as written and edits of the first: a huge row number, a
// formula, an error and a boolean cell, rows out of order, an undefined style, a broken
// shared string, no sheets in the workbook.
func partSeeds(books []bookParts) []partSeed {
	var out []partSeed
	for i := range books {
		out = append(out, partSeed{book: uint8(i)})
	}
	p := books[0]
	edit := func(name, near, patch string, drop int) {
		i, at := slices.Index(p.names, name), bytes.Index(p.content[name], []byte(near))
		if i >= 0 && at >= 0 {
			out = append(out, partSeed{part: uint8(i), at: uint16(at), drop: uint16(drop), patch: patch})
		}
	}
	sheet := "xl/worksheets/sheet1.xml"
	edit(sheet, "</sheetData>", `<row r="1048576"><c t="s"><v>99</v></c></row>`, 0)
	edit(sheet, "</sheetData>", `<row r="3"><c t="str"><f>1+1</f><v>2</v></c></row>`, 0)
	edit(sheet, "</sheetData>", `<row><c t="e"><v>#N/A</v></c><c t="b"><v>1</v></c></row>`, 0)
	edit(sheet, `<row r="1"`, `<row r="9"`, len(`<row r="1"`))
	edit(sheet, `<c r="A2"`, `<c r="A2" s="999"`, len(`<c r="A2"`))
	edit("xl/sharedStrings.xml", "</t>", "", len("</t>"))
	edit("xl/workbook.xml", "<sheets>", "<sheets/><x>", len("<sheets>"))
	return out
}

// zipEntries reads every entry of a zip.
func zipEntries(f *testing.F, b []byte) map[string][]byte {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		f.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range zr.File {
		r, err := e.Open()
		if err != nil {
			f.Fatal(err)
		}
		out[e.Name], err = io.ReadAll(r)
		if err != nil {
			f.Fatal(err)
		}
		r.Close()
	}
	return out
}

func readFuzzTable(b []byte, lim exports.Limits) (*exports.Table, error) {
	w, err := exports.Open(bytes.NewReader(b), lim)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	return w.Table("", "人员")
}

// written writes rows with Book: the first as the header, the others as text.
func written(t *testing.T, rows [][]string) []byte {
	b, err := exports.NewBook()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	cols := make([]exports.Column, len(rows[0]))
	for i, h := range rows[0] {
		cols[i] = exports.Column{Header: h}
	}
	s, err := b.Sheet("人员", cols, exports.Layout{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		row := make([]any, len(r))
		for i, c := range r {
			row[i] = c
		}
		if err := s.Row(row...); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// cellsOf is the header and rows of a table, trailing blank cells dropped.
func cellsOf(tab *exports.Table) [][]string {
	out := [][]string{trimRight(tab.Header)}
	for _, r := range tab.Rows {
		out = append(out, trimRight(r.Cells))
	}
	return out
}

func trimRight(cells []string) []string {
	n := len(cells)
	for n > 0 && cells[n-1] == "" {
		n--
	}
	return slices.Clone(cells[:n])
}

// tableBooks are a good roster, one with formula-like and date cells and one with
// merged cells, as excelize writes them.
func tableBooks(f *testing.F) [][]byte {
	good := seedBook(f, [][]any{{"工号", "姓名", "入职日期"}, {"QS1", "张三", "2024/3/1"}, {}, {"QS2", "'=李四", 45352}}, nil)
	odd := seedBook(f, [][]any{{"工 号", "姓名", "入职日期", "错误说明"}, {"=1+1", "@SUM(A1)", "２０２４－０３－０１"}}, nil)
	merged := seedBook(f, [][]any{{"工号", "姓名", "入职日期"}, {"QS1", "张三"}, {"QS2"}}, func(x *excelize.File) {
		_ = x.MergeCell("花名册", "A2", "B3")
	})
	return [][]byte{good, odd, merged}
}

func seedBook(f *testing.F, rows [][]any, prep func(x *excelize.File)) []byte {
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", "花名册"); err != nil {
		f.Fatal(err)
	}
	for i, r := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("花名册", ref, &r); err != nil {
			f.Fatal(err)
		}
	}
	if prep != nil {
		prep(x)
	}
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		f.Fatal(err)
	}
	return b.Bytes()
}
