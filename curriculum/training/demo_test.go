package training_test

import (
	"context"
	"slices"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/curriculum/training"
)

// TestDemoTraining seeds the demo events and external entries: past events carry
// attendance and hours, coming ones registrations, one is cancelled with its
// registrations kept, one entry is voided; seeding twice changes nothing.
func TestDemoTraining(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx := env.Srv.Training, context.Background()
			sum, err := s.SeedDemo(ctx)
			must(t, err)
			if sum.Events != 6 || sum.Cancelled != 1 || sum.Attendances < 100 || sum.Registrations < 50 || sum.Externals != 9 {
				t.Fatalf("demo summary %+v", sum)
			}
			again, err := s.SeedDemo(ctx)
			if must(t, err); again != (training.DemoSummary{}) {
				t.Errorf("seeding twice wrote %+v", again)
			}
			_, total, err := s.FindEntries(ctx, training.EntryFilter{Voided: true, Page: training.Page{Limit: 1}})
			must(t, err)
			if total != sum.Attendances+sum.Externals {
				t.Errorf("%d ledger entries, want %d", total, sum.Attendances+sum.Externals)
			}
			open, err := s.FindOpenEvents(ctx, uid(t, env, "clerk095"))
			must(t, err)
			mine := 0
			for _, o := range open {
				if o.Mine != nil {
					mine++
				}
			}
			if len(open) != 3 || mine != 1 {
				t.Errorf("clerk095 sees %d coming events (want 3), registered for %d (want 1, the 东湖 session)", len(open), mine)
			}
			gone, err := s.FindOpenEvents(ctx, uid(t, env, "clerk061"))
			must(t, err)
			if !slices.ContainsFunc(gone, func(o *training.OpenEvent) bool { return o.Cancelled() && o.Mine != nil && o.CancelReason != "" }) {
				t.Errorf("clerk061 is not shown the cancelled session they registered for")
			}
			rows, _, _, err := s.ByUnit(ctx, training.ReportFilter{OrgID: orgID(t, env, countyCode), Year: training.YearOf(env.Now.Now().AddDate(0, 0, -40))})
			must(t, err)
			for _, r := range rows {
				if r.Hours == 0 {
					t.Errorf("%s has no hours in the demo: its HR officer would see an empty report", r.Name)
				}
			}
			c63 := uid(t, env, "clerk063")
			year := training.YearOf(env.Now.Now().AddDate(0, 0, -58))
			list, _, err := s.FindEntries(ctx, training.EntryFilter{UserID: c63, Year: year})
			must(t, err)
			want := 0.0
			for _, e := range list {
				if e.Source == training.SourceExternal {
					t.Errorf("clerk063's voided entry is listed as valid: %+v", e)
				}
				want += e.Hours
			}
			if h := hoursFor(t, s, c63, year); h != want {
				t.Errorf("clerk063 has %v hours, want %v", h, want)
			}
		})
	}
}
