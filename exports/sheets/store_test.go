package sheets_test

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/exports"
	"clerkskill/exports/exportstest"
	"clerkskill/exports/sheets"
	"clerkskill/rbac"
)

// TestWorkbooks writes each workbook over the demo roster plus a finished session, its
// certificates, hours and ratings, reads it back and compares it with its golden; the
// same golden serves both stores.
func TestWorkbooks(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := apptest.New(t, dialect)
			st := env.Srv.Sheets
			cg := staffOf(t, env, chengguan)
			session := seedSession(t, env, chengguan, "2026年第一期五级认定（城关镇）",
				map[string][2]float64{"clerk061": {86.5, 72}, "clerk062": {58, 90}, "clerk063": {75, -1}}, "clerk064")
			seedCertificate(t, env, cg[0], session, "YC2026QS000017", "valid")
			seedCertificate(t, env, cg[1], session, "YC2026QS000018", "revoked")
			seedHoursAndRatings(t, env, "clerk061", cg[0])
			scope := rbac.Scope{org(t, env, village).Path}
			t.Run("roster masked for an exporter without pii", func(t *testing.T) {
				var b bytes.Buffer
				n, err := st.WriteRoster(ctx, &b, scope, exports.IDView{}, nil)
				must(t, err)
				if n != 2 {
					t.Errorf("rows = %d, want the village's 2", n)
				}
				exportstest.Golden(t, "roster_masked", b.Bytes())
			})
			t.Run("roster whole for an exporter with pii", func(t *testing.T) {
				var b bytes.Buffer
				_, err := st.WriteRoster(ctx, &b, scope, exports.IDView{PII: scope}, nil)
				must(t, err)
				exportstest.Golden(t, "roster_pii", b.Bytes())
			})
			t.Run("gradebook", func(t *testing.T) {
				gs, err := st.FindGradeSession(ctx, session)
				must(t, err)
				g, err := st.Gradebook(ctx, gs)
				must(t, err)
				var b bytes.Buffer
				must(t, g.Write(&b))
				exportstest.Golden(t, "gradebook", b.Bytes())
			})
			t.Run("certificate register", func(t *testing.T) {
				var b bytes.Buffer
				n, err := st.WriteRegister(ctx, &b, rbac.Scope{org(t, env, chengguan).Path}, exports.IDView{}, nil)
				must(t, err)
				if n != 2 {
					t.Errorf("rows = %d, want 2", n)
				}
				exportstest.Golden(t, "register", b.Bytes())
			})
			t.Run("assessment of one clerk", func(t *testing.T) {
				var b bytes.Buffer
				must(t, st.WriteAssessmentBook(ctx, &b, org(t, env, chengguan).Path, cg[0].ID, 2026, exports.IDView{}))
				exportstest.Golden(t, "assessment", b.Bytes())
			})
			t.Run("roster template", func(t *testing.T) {
				var b bytes.Buffer
				must(t, sheets.WriteRosterTemplate(&b))
				exportstest.Golden(t, "roster_template", b.Bytes())
			})
		})
	}
}

// TestAssessmentFigures checks the 考核表's figures against the seeded facts: removed and
// last year's ratings do not count, hours come from the ledger, the level is the valid one.
func TestAssessmentFigures(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := apptest.New(t, dialect)
			cg := staffOf(t, env, chengguan)
			session := seedSession(t, env, chengguan, "五级认定", map[string][2]float64{"clerk061": {86.5, 72}}, "")
			seedCertificate(t, env, cg[0], session, "YC2026QS000001", "valid")
			seedHoursAndRatings(t, env, "clerk061", cg[0])
			list, err := env.Srv.Sheets.Assessments(ctx, org(t, env, chengguan).Path, 0, 2026)
			must(t, err)
			var a *sheets.Assessment
			for _, x := range list {
				if x.Person.ID == cg[0].ID {
					a = x
				}
			}
			if a == nil {
				t.Fatalf("clerk061 missing among %d", len(list))
			}
			if a.Hours != 12 || a.Rated() != 39 || a.Good() != 38 || a.Bad() != 1 || a.Level != 5 || len(a.Results) != 2 {
				t.Errorf("got hours %v rated %d good %d bad %d level %d results %d; want 12, 39, 38, 1, 5, 2",
					a.Hours, a.Rated(), a.Good(), a.Bad(), a.Level, len(a.Results))
			}
		})
	}
}

// TestJobsRunOnce: a queued export is claimed by exactly one of two runners at once
// (SKIP LOCKED on PostgreSQL), reports its progress and leaves a workbook to fetch.
func TestJobsRunOnce(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := apptest.New(t, dialect)
			st := env.Srv.Sheets
			j, err := st.QueueJob(ctx, user(t, env, "hr").ID, sheets.KindRoster, sheets.JobParams{Scope: []string{org(t, env, "QS").Path}})
			must(t, err)
			var wg sync.WaitGroup
			ran := make([]bool, 2)
			for i := range ran {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r, err := st.RunNextJob(ctx)
					if err != nil {
						t.Error(err)
					}
					ran[i] = r
				}()
			}
			wg.Wait()
			if ran[0] == ran[1] {
				t.Fatalf("runners took the job %v times, want exactly once", ran)
			}
			got, err := st.FindJob(ctx, j.ID)
			must(t, err)
			if got.Status != sheets.JobDone || got.Percent() != 100 || got.TotalRows != 300 || got.DoneRows != 300 {
				t.Errorf("job = %s %d/%d (%d%%), want done 300/300", got.Status, got.DoneRows, got.TotalRows, got.Percent())
			}
			// Another instance (its own store and scratch directory) serves the same file.
			other := sheets.NewStore(env.Srv.DB, sheets.Deps{People: env.Srv.RBAC, Dir: t.TempDir()}, nil)
			f, size, err := other.OpenJobFile(ctx, got)
			must(t, err)
			body, err := io.ReadAll(f)
			must(t, err)
			if len(body) != size {
				t.Errorf("read %d bytes of a %d-byte file", len(body), size)
			}
			dump, err := exports.DumpBytes(body)
			must(t, err)
			if !strings.Contains(dump, "301: ") || strings.Contains(dump, "302: ") {
				t.Errorf("workbook should hold a header and 300 rows:\n%.300s", dump)
			}
		})
	}
}
