package training_test

import (
	"context"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
)

// TestHoursInYears sums the years asked for, both ends included, and leaves the rest out.
func TestHoursInYears(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx := env.Srv.Training, context.Background()
			a := uid(t, env, "clerk061")
			for i, yr := range []int{2023, 2024, 2025, 2026} {
				at := time.Date(yr, 6, 1, 2, 0, 0, 0, time.UTC)
				must(t, s.RecordCompletion(ctx, a, int64(10+i), 1, float64(10*(i+1)), at))
			}
			must(t, s.RecordCompletion(ctx, uid(t, env, "clerk062"), 10, 1, 40, time.Date(2024, 6, 1, 2, 0, 0, 0, time.UTC)))
			for _, c := range []struct {
				from, to int
				want     float64
			}{{2024, 2025, 50}, {0, 2026, 100}, {2026, 2026, 40}, {2027, 2030, 0}} {
				got, err := s.HoursInYears(ctx, a, c.from, c.to)
				must(t, err)
				if got != c.want {
					t.Errorf("%d–%d: %v hours, want %v", c.from, c.to, got, c.want)
				}
			}
		})
	}
}
