package training_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/curriculum/training"
)

// benchLedger fills the ledger with perClerk course completions for each of the 300 demo
// clerks over three years, in one transaction per clerk.
func benchLedger(b *testing.B, env *apptest.Env, perClerk int) {
	b.Helper()
	s, ctx := env.Srv.Training, context.Background()
	for n := 1; n <= 300; n++ {
		u := uid(b, env, fmt.Sprintf("clerk%03d", n))
		for i := range perClerk {
			at := time.Date(2024+i%3, time.Month(1+i%12), 1+i%28, 2, 0, 0, 0, time.UTC)
			if err := s.RecordCompletion(ctx, u, int64(1000+i), 1, 1.5, at); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkTotals times HoursFor (one clerk, one year) and OrgHours (the county's whole
// subtree, one year) over 300 clerks with 60 entries each (18,000 entries).
// go test -run '^$' -bench Totals -benchtime 200x ./curriculum/training/
func BenchmarkTotals(b *testing.B) {
	for _, d := range dbtest.Dialects(b) {
		env := apptest.New(b, d)
		benchLedger(b, env, 60)
		s, ctx := env.Srv.Training, context.Background()
		u, county := uid(b, env, "clerk150"), orgID(b, env, countyCode)
		b.Run(d+"/HoursFor", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.HoursFor(ctx, u, 2025); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(d+"/OrgHours", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.OrgHours(ctx, county, 2025); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(d+"/ByUnit", func(b *testing.B) {
			for b.Loop() {
				if _, _, _, err := s.ByUnit(ctx, training.ReportFilter{OrgID: county, Year: 2025}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
