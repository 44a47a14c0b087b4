package training_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/curriculum/training"
)

// together runs each function at once and waits for all of them.
func together(fns ...func()) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, f := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			f()
		}()
	}
	close(start)
	wg.Wait()
}

// TestCancelRace: ten clerks register while the trainer cancels. Every registration
// either lands before the cancel (and the cancel's audit counts it) or is refused as
// cancelled; none lands after it.
func TestCancelRace(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx := env.Srv.Training, context.Background()
			e := mustEvent(t, env, countyCode, "政策法规讲座", env.Now.Now().Add(48*time.Hour), 100, 2)
			errs := make([]error, 10)
			var cancelErr error
			fns := []func(){func() { _, cancelErr = s.CancelEvent(ctx, 7, e.ID, "与上级会议冲突") }}
			for i := range errs {
				fns = append(fns, func() { _, errs[i] = s.Register(ctx, uid(t, env, fmt.Sprintf("clerk%03d", 20+i)), e.ID) })
			}
			together(fns...)
			must(t, cancelErr)
			ok := 0
			for _, err := range errs {
				switch {
				case err == nil:
					ok++
				case web.ErrorCode(err) != web.ECONFLICT:
					t.Errorf("unexpected: %v", err)
				}
			}
			got, err := s.FindEventByID(ctx, e.ID)
			must(t, err)
			regs, err := s.FindRegistrations(ctx, e.ID)
			must(t, err)
			log := audits(t, env, "event.cancel", e.ID)
			if len(log) != 1 || log[0]["registered"] != float64(ok) || got.Registered != ok || len(regs) != ok {
				t.Fatalf("%d registered, count %d, rows %d, counted at the cancel %v", ok, got.Registered, len(regs), log)
			}
		})
	}
}

// TestCapacityEditRace: eight clerks register while the trainer lowers the capacity; the
// places taken never exceed the capacity and the count agrees with the rows.
func TestCapacityEditRace(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx := env.Srv.Training, context.Background()
			e := mustEvent(t, env, countyCode, "公文基础讲座", env.Now.Now().Add(48*time.Hour), 10, 2)
			for i := range 4 {
				_, err := s.Register(ctx, uid(t, env, fmt.Sprintf("clerk%03d", 1+i)), e.ID)
				must(t, err)
			}
			var editErr error
			fns := []func(){func() { _, editErr = s.UpdateEvent(ctx, 7, e.ID, training.EventUpdate{Capacity: ptr(6)}) }}
			for i := range 8 {
				fns = append(fns, func() { _, _ = s.Register(ctx, uid(t, env, fmt.Sprintf("clerk%03d", 30+i)), e.ID) })
			}
			together(fns...)
			got, err := s.FindEventByID(ctx, e.ID)
			must(t, err)
			regs, err := s.FindRegistrations(ctx, e.ID)
			must(t, err)
			if got.Registered != len(regs) || got.Registered > got.Capacity {
				t.Fatalf("count %d, rows %d, capacity %d", got.Registered, len(regs), got.Capacity)
			}
			if (editErr == nil) != (got.Capacity == 6) {
				t.Errorf("edit returned %v but the capacity is %d", editErr, got.Capacity)
			}
		})
	}
}

// TestAttendanceRaces: the trainer ticks a clerk while the hours change, and while the
// event is cancelled. The entry written carries the hours the event has in the end; of
// ticking and cancelling exactly one succeeds.
func TestAttendanceRaces(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx := env.Srv.Training, context.Background()
			for i := range 3 {
				e := mustEvent(t, env, chengguanCode, "标准化讲座", env.Now.Now().Add(10*time.Minute), 30, 2)
				a := uid(t, env, fmt.Sprintf("clerk%03d", 61+i))
				together(func() { _, _ = s.MarkAttended(ctx, 7, e.ID, []int64{a}) },
					func() { _, _ = s.UpdateEvent(ctx, 7, e.ID, training.EventUpdate{Hours: ptr(1.5)}) })
				got, err := s.FindEventByID(ctx, e.ID)
				must(t, err)
				if h := hoursFor(t, s, a, training.YearOf(e.StartsAt)); h == 0 {
					t.Fatalf("round %d: no hours recorded", i)
				}
				list, _, err := s.FindEntries(ctx, training.EntryFilter{UserID: a, Source: training.SourceEvent})
				must(t, err)
				if len(list) != 1 || list[0].Hours != got.Hours {
					t.Errorf("round %d: entry %+v, event hours %v", i, list, got.Hours)
				}
				c := mustEvent(t, env, chengguanCode, "群众心理分享会", env.Now.Now().Add(10*time.Minute), 30, 1)
				var markErr, cancelErr error
				together(func() { _, markErr = s.MarkAttended(ctx, 7, c.ID, []int64{a}) },
					func() { _, cancelErr = s.CancelEvent(ctx, 7, c.ID, "讲师临时有事") })
				if (markErr == nil) == (cancelErr == nil) {
					t.Errorf("round %d: tick %v, cancel %v; want exactly one to succeed", i, markErr, cancelErr)
				}
			}
		})
	}
}
