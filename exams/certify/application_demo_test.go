package certify_test

import (
	"context"
	"fmt"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/exams/certify"
)

// TestSeedApplications: the demo holds eligible and ineligible applications, some placed
// into the open 五级 session, one exception with its reason; seeding twice adds nothing.
func TestSeedApplications(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx := env.Srv.Certify, context.Background()
			five := mustSession(t, env, "县中心五级考试", 5, orgOf(t, env, "QS").ID)
			if got, err := s.DemoSession(ctx, 5); err != nil || got != five {
				t.Fatalf("demo session %d %v, want %d", got, err, five)
			}
			var staff []int64
			for n := 1; n <= 30; n++ {
				staff = append(staff, staffOf(t, env, fmt.Sprintf("clerk%03d", n)))
			}
			sum, err := s.SeedApplications(ctx, userOf(t, env, "hr"), five, staff)
			appMust(t, err)
			if sum.Applications != 30 || sum.Eligible == 0 || sum.Eligible == sum.Applications || sum.Exceptions != 1 ||
				sum.Placed == 0 || sum.Rejected != 1 || sum.Withdrawn == 0 || sum.Qualifications == 0 {
				t.Errorf("summary %+v", sum)
			}
			list, n, err := s.FindApplications(ctx, certify.ApplicationFilter{Status: certify.AppPlaced})
			appMust(t, err)
			if n != sum.Placed || *list[0].SessionID != five {
				t.Errorf("%d placed, summary says %d", n, sum.Placed)
			}
			again, err := s.SeedApplications(ctx, userOf(t, env, "hr"), five, staff)
			appMust(t, err)
			if again.Applications >= sum.Applications {
				t.Errorf("second seeding filed %d applications", again.Applications)
			}
		})
	}
}
