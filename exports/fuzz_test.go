package exports_test

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"clerkskill/app/web/webtest"
	"clerkskill/exports"
)

// FuzzReadTable feeds the shared upload reader every importer goes through (Open, Table,
// Columns): it never panics or hangs, refuses with an application error, and a table it
// accepts reads back the same after Book writes it out.
func FuzzReadTable(f *testing.F) {
	for _, seed := range tableSeeds(f) {
		f.Add(seed)
	}
	lim := exports.Limits{MaxBytes: 1 << 20, MaxUnzip: 8 << 20, MaxRows: 200}
	f.Fuzz(func(t *testing.T, b []byte) {
		start := time.Now()
		tab, err := readFuzzTable(b, lim)
		webtest.Within(t, start)
		webtest.AppError(t, err)
		if err != nil {
			return
		}
		if len(tab.Rows) == 0 || len(tab.Rows) > lim.MaxRows {
			t.Fatalf("accepted %d rows", len(tab.Rows))
		}
		_, err = tab.Columns(header)
		webtest.AppError(t, err)
		back, err := readFuzzTable(rewrite(t, tab), lim)
		if err != nil {
			t.Fatalf("re-read of a written table: %v", err)
		}
		if diff := cmp.Diff(cellsOf(tab), cellsOf(back)); diff != "" {
			t.Errorf("round trip (-accepted +re-read):\n%s", diff)
		}
	})
}

func readFuzzTable(b []byte, lim exports.Limits) (*exports.Table, error) {
	w, err := exports.Open(bytes.NewReader(b), lim)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	return w.Table("", "人员")
}

// rewrite writes a table through Book: its header, then every row as text.
func rewrite(t *testing.T, tab *exports.Table) []byte {
	b, err := exports.NewBook()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	cols := make([]exports.Column, len(tab.Header))
	for i, h := range tab.Header {
		cols[i] = exports.Column{Header: h}
	}
	s, err := b.Sheet("人员", cols, exports.Layout{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range tab.Rows {
		row := make([]any, len(r.Cells))
		for i, c := range r.Cells {
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

// tableSeeds are a good roster, one with formula-like and date cells, one with merged
// cells, a truncated file, an old .xls signature and plain text.
func tableSeeds(f *testing.F) [][]byte {
	good := seedBook(f, [][]any{{"工号", "姓名", "入职日期"}, {"QS1", "张三", "2024/3/1"}, {}, {"QS2", "'=李四", 45352}}, nil)
	odd := seedBook(f, [][]any{{"工 号", "姓名", "入职日期", "错误说明"}, {"=1+1", "@SUM(A1)", "２０２４－０３－０１"}}, nil)
	merged := seedBook(f, [][]any{{"工号", "姓名", "入职日期"}, {"QS1", "张三"}, {"QS2"}}, func(x *excelize.File) {
		_ = x.MergeCell("花名册", "A2", "B3")
	})
	return [][]byte{good, odd, merged, good[:len(good)/2], []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), []byte("工号,姓名\n")}
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
