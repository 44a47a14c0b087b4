package pay_test

import (
	"bytes"
	"testing"
	"time"
	"unicode/utf8"

	"clerkskill/app/web/webtest"
	"clerkskill/exports/pay"
)

// FuzzParseRatings feeds the ratings import's parse step (no database): it never panics
// or hangs, refuses with an application error, and every input it passes on names a
// clerk, a month, a grade and a count in range, with row problems only in the report.
func FuzzParseRatings(f *testing.F) {
	for _, seed := range paySeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
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
	for _, seed := range paySeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
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

// paySeeds are the three templates, filled ones in each layout, and broken files.
func paySeeds(f *testing.F) [][]byte {
	var out [][]byte
	for _, kind := range pay.TemplateKinds {
		var buf bytes.Buffer
		if err := pay.WriteTemplate(&buf, pay.Templates[kind]); err != nil {
			f.Fatal(err)
		}
		out = append(out, buf.Bytes())
	}
	filled := [][][]any{
		{toAny(pay.RatingHeader), {"CG001", "2026-11-03", "非常满意", "现场", "=HYPERLINK(\"x\")"}, {"CG002", 46330, "差评", "", ""}},
		{toAny(pay.CountHeader), {"CG001", "2026年11月", 3, "２", "", -1, "x"}, {"CG001", "2026-11", 1}},
		{toAny(pay.WorkloadHeader), {"CG001", "2026/11", 120, 300, 15, 2}, {"", "1999-01", 1e9}},
	}
	for _, rows := range filled {
		out = append(out, xlsx(f, rows...).Bytes())
	}
	return append(out, []byte("PK\x03\x04"), []byte("工号,月份\n"))
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
