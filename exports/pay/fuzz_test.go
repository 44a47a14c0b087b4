package pay_test

import (
	"bytes"
	"testing"
	"time"
	"unicode/utf8"

	"clerkskill/app/web/webtest"
	"clerkskill/exports/fuzztest"
	"clerkskill/exports/pay"
)

// The pay imports are fuzzed with the rows of a sheet below a template's header (a grid,
// see fuzztest.Grid) that excelize writes as a workbook, read back by the import: the
// engine mutates and minimises such text well, where mutated xlsx bytes are mostly
// broken zips (the shared reader is fuzzed on those in exports). Seeds are a row or two:
// every input that finds new code is minimised a byte at a time, at a cost that grows
// with the square of its length.

// FuzzParseRatings feeds the ratings import's parse step (no database) in either layout:
// it never panics or hangs, refuses with an application error, and every input it passes
// on names a clerk, a month, a grade and a count in range, with row problems only in the
// report.
func FuzzParseRatings(f *testing.F) {
	for _, s := range ratingSeeds {
		f.Add(s.counts, fuzztest.Grid(s.rows...))
	}
	f.Fuzz(func(t *testing.T, counts bool, rows string) {
		header := pay.RatingHeader
		if counts {
			header = pay.CountHeader
		}
		b, ok := fuzzBook(t, header, rows)
		if !ok {
			return
		}
		start := time.Now()
		in, rep, err := pay.ParseRatings(bytes.NewReader(b))
		webtest.Within(t, start)
		webtest.AppError(t, err)
		if err != nil {
			return
		}
		for _, r := range in {
			if r.EmpNo == "" || len(r.Period) != len("2006-01") || r.Grade < 1 || r.Grade > 5 || r.Count < 1 ||
				r.Count > 100000 || utf8.RuneCountInString(r.Channel) > 20 || r.Row < 2 {
				t.Errorf("passed on a bad rating %+v", r)
			}
			if rep.Has(r.Row, "工号") || rep.Has(r.Row, "评价等级") {
				t.Errorf("row %d both reported and passed on", r.Row)
			}
		}
	})
}

// FuzzParseWorkload does the same for the workload import.
func FuzzParseWorkload(f *testing.F) {
	for _, rows := range workloadSeeds {
		f.Add(fuzztest.Grid(rows...))
	}
	f.Fuzz(func(t *testing.T, rows string) {
		b, ok := fuzzBook(t, pay.WorkloadHeader, rows)
		if !ok {
			return
		}
		start := time.Now()
		in, _, err := pay.ParseWorkload(bytes.NewReader(b))
		webtest.Within(t, start)
		webtest.AppError(t, err)
		for _, w := range in {
			if w.EmpNo == "" || len(w.Period) != len("2006-01") || min(w.Cases, w.Calls, w.Consults, w.Errands) < 0 {
				t.Errorf("passed on a bad workload row %+v", w)
			}
		}
	})
}

// fuzzBook writes header and the grid rows below it as a workbook; not ok for a grid
// too long to be worth reading.
func fuzzBook(t *testing.T, header []string, rows string) ([]byte, bool) {
	if len(rows) > 1<<12 {
		return nil, false
	}
	return fuzztest.Workbook(t, fuzztest.Rows(fuzztest.Grid(header)+fuzztest.RowSep+rows)), true
}

// ratingSeeds are rows in each layout: a good rating, a date serial, a bad grade and a
// formula-like case number; counts with a full-width figure, a negative one and text,
// and the same clerk and month twice; and no rows.
var ratingSeeds = []struct {
	counts bool
	rows   [][]string
}{
	{false, [][]string{{"CG001", "2026-11-03", "非常满意", "现场", "=HYPERLINK(\"x\")"}}},
	{false, [][]string{{"CG002", "46330", "差评", "", ""}}},
	{true, [][]string{{"CG001", "2026年11月", "3", "２", "", "-1", "x"}}},
	{true, [][]string{{"CG001", "2026-11", "1"}, {"CG001", "2026/11", "2"}}},
	{true, nil},
}

// workloadSeeds are a good row, a row without a clerk and a huge figure, and no rows.
var workloadSeeds = [][][]string{
	{{"CG001", "2026/11", "120", "300", "15", "2"}},
	{{"", "1999-01", "1e9"}},
	nil,
}
