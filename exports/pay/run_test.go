package pay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"

	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/exports"
	"clerkskill/exports/pay"
	"clerkskill/rbac"
)

// liveDump computes the unit's sheet now and dumps the workbook as text.
func (e *payEnv) liveDump(u *pay.Unit, period string) string {
	e.T.Helper()
	var b bytes.Buffer
	q := pay.SheetQuery{Path: u.Path, Period: period}
	if _, err := e.store.ExportSheet(context.Background(), q, pay.SheetTitle(u, period), &b, nil); err != nil {
		e.T.Fatal(err)
	}
	return mustDump(e.T, b.Bytes())
}

// runDump writes the stored sheet of the run with id, read afresh, and dumps it.
func (e *payEnv) runDump(id int64) string {
	e.T.Helper()
	run, err := e.store.FindRun(context.Background(), id)
	if err != nil {
		e.T.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := e.store.ExportRun(context.Background(), run, &b, nil); err != nil {
		e.T.Fatal(err)
	}
	return mustDump(e.T, b.Bytes())
}

func mustDump(t testing.TB, b []byte) string {
	t.Helper()
	s, err := exports.DumpBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// changeInputs changes every kind of input of November after it was closed: a new
// policy version for the county, a new rating and workload, a new level.
func changeInputs(t *testing.T, e *payEnv) {
	r := countyRules()
	r.Base, r.Tiers[0].Coefficient = 1500, 2
	e.mustPolicy(countyCode, "2026-01-01", r)
	e.levels[e.staffID("QS0001")] = 3
	e.mustRatings(countyCode, pay.RatingInput{EmpNo: "QS0002", Period: "2026-11", Grade: 1, Count: 4})
	e.mustWorkload(countyCode, pay.WorkloadInput{EmpNo: "QS0003", Period: "2026-11", Cases: 500})
}

// TestPayRunKeepsTheSheet: a closed month downloads exactly what it computed when
// closed, even after policies, ratings, workload and levels change; closing again is a
// conflict; reopening needs a reason, is audited, and lets the month be closed anew
// with the new figures.
func TestPayRunKeepsTheSheet(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			e := newPayEnv(t, dialect)
			seedComputation(t, e)
			county := e.unit(countyCode)
			before := e.liveDump(county, "2026-11")
			run, err := e.store.CloseRun(ctx, 0, county, "2026-11")
			if err != nil {
				t.Fatal(err)
			}
			if run.Clerks != 300 || run.Status != pay.RunClosed || len(run.Policies) != 2 {
				t.Errorf("run: %d clerks, %s, %d policies", run.Clerks, run.Status, len(run.Policies))
			}
			if got := e.runDump(run.ID); got != before {
				t.Errorf("stored sheet differs from the sheet closed:\n%s\n---\n%s", got, before)
			}
			changeInputs(t, e)
			after := e.liveDump(county, "2026-11")
			if after == before {
				t.Fatal("changed inputs did not change the computed sheet: the test proves nothing")
			}
			if got := e.runDump(run.ID); got != before {
				t.Errorf("stored sheet changed with the inputs:\n%s", got)
			}
			_, err = e.store.CloseRun(ctx, 0, county, "2026-11")
			wantCode(t, "close again", err, web.ECONFLICT, "不能重新计算")
			checkReopen(t, e, run)
			again, err := e.store.CloseRun(ctx, 0, county, "2026-11")
			if err != nil {
				t.Fatal(err)
			}
			if got := e.runDump(again.ID); got != after {
				t.Errorf("the month closed anew is not the sheet of the new inputs")
			}
			if got := e.runDump(run.ID); got != before {
				t.Errorf("the reopened run's rows changed")
			}
			runs, err := e.store.FindRuns(ctx, county.ID)
			if err != nil || len(runs) != 2 || runs[0].ID != again.ID || runs[0].Status != pay.RunClosed || runs[1].Status != pay.RunReopened {
				t.Errorf("runs: %v %+v", err, runs)
			}
		})
	}
}

// checkReopen reopens run: refused without a reason, then audited with who and why.
func checkReopen(t *testing.T, e *payEnv, run *pay.Run) {
	t.Helper()
	ctx := context.Background()
	var hr int64
	if err := e.DB.NewSelect().Table("users").Column("id").Where("username = ?", "hr").Scan(ctx, &hr); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "reopen without reason", e.store.ReopenRun(ctx, hr, run, " "), web.EINVALID, "重开原因")
	if err := e.store.ReopenRun(ctx, hr, run, "好差评申诉成立，需重新计算"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "reopen twice", e.store.ReopenRun(ctx, hr, run, "再次重开"), web.ECONFLICT, "已重开")
	got, err := e.store.FindRun(ctx, run.ID)
	if err != nil || got.Status != pay.RunReopened || got.ReopenedBy == nil || *got.ReopenedBy != hr ||
		got.ReopenedAt == nil || got.ReopenReason != "好差评申诉成立，需重新计算" || got.ReopenedName == "" {
		t.Errorf("reopened run: %v %+v", err, got)
	}
	var entries []rbac.AuditEntry
	err = e.DB.NewSelect().Model(&entries).Where("action = ? AND object_id = ?", "pay.run.reopen", run.ID).Scan(ctx)
	if err != nil || len(entries) != 1 || entries[0].ActorID == nil || *entries[0].ActorID != hr {
		t.Fatalf("audit: %v %+v", err, entries)
	}
	var detail map[string]any
	if err := json.Unmarshal(entries[0].Detail, &detail); err != nil || detail["reason"] != "好差评申诉成立，需重新计算" || detail["period"] != "2026-11" {
		t.Errorf("audit detail: %v %s", err, entries[0].Detail)
	}
}

// TestPayRunCloseRace: HR offices closing the same month of a unit at once get one run
// between them; the others are told it is closed.
func TestPayRunCloseRace(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newPayEnv(t, dialect)
			seedComputation(t, e)
			county := e.unit(countyCode)
			const n = 4
			errs := make([]error, n)
			var wg, start sync.WaitGroup
			start.Add(1)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					start.Wait()
					_, errs[i] = e.store.CloseRun(context.Background(), 0, county, "2026-11")
				}()
			}
			start.Done()
			wg.Wait()
			ok := 0
			for _, err := range errs {
				switch {
				case err == nil:
					ok++
				case web.ErrorCode(err) != web.ECONFLICT:
					t.Errorf("closing at once: %v", err)
				}
			}
			count, err := e.DB.NewSelect().Table("pay_runs").Where("org_id = ? AND period = ?", county.ID, "2026-11").Count(context.Background())
			if ok != 1 || count != 1 || err != nil {
				t.Errorf("%d closes succeeded, %d runs stored (%v); want 1 and 1", ok, count, err)
			}
		})
	}
}

// TestPayRunRefusals: months not yet over cannot be closed; an unknown run is not found.
func TestPayRunRefusals(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			e := newPayEnv(t, dialect)
			now := pay.PeriodOf(e.store.Now())
			_, err := e.store.CloseRun(ctx, 0, e.unit(countyCode), now)
			wantCode(t, "current month", err, web.EINVALID, "已经结束")
			_, err = e.store.FindRun(ctx, 999)
			wantCode(t, "unknown run", err, web.ENOTFOUND, "不存在")
		})
	}
}

// TestPaySheetJobProgress: a background pay sheet reports rows written of the total and
// ends at the total, computed or from a closed run.
func TestPaySheetJobProgress(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			e := newPayEnv(t, dialect)
			seedComputation(t, e)
			county := e.unit(countyCode)
			job := pay.SheetJob{OrgID: county.ID, OrgPath: county.Path, Period: "2026-11", Title: pay.SheetTitle(county, "2026-11")}
			var calls [][2]int
			var b bytes.Buffer
			progress := func(done, total int) { calls = append(calls, [2]int{done, total}) }
			if err := e.store.WriteSheetJob(ctx, &b, job, progress); err != nil {
				t.Fatal(err)
			}
			if len(calls) < 2 || calls[0] != [2]int{0, 300} || calls[len(calls)-1] != [2]int{300, 300} {
				t.Errorf("progress of the computed sheet: %v", calls)
			}
			if got := mustDump(t, b.Bytes()); got != e.liveDump(county, "2026-11") {
				t.Errorf("job workbook differs from the direct download")
			}
			run, err := e.store.CloseRun(ctx, 0, county, "2026-11")
			if err != nil {
				t.Fatal(err)
			}
			changeInputs(t, e)
			calls, b = nil, bytes.Buffer{}
			if err := e.store.WriteSheetJob(ctx, &b, job, progress); err != nil {
				t.Fatal(err)
			}
			if calls[len(calls)-1] != [2]int{300, 300} || mustDump(t, b.Bytes()) != e.runDump(run.ID) {
				t.Errorf("a job for a closed month does not write the stored run: %v", calls)
			}
		})
	}
}
