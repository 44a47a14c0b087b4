package training_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/curriculum/training"
)

// reportSet is the hand-made data set the report figures are checked against.
type reportSet struct {
	event *training.Event
}

// seedReportSet writes, for 2026 in China time unless noted:
//
//	clerk001 (county centre)      course 11 (8h), external 4h
//	clerk061 (城关镇)              course 11 (8h), event (3h)
//	clerk081 (城关镇 village)       event (3h)
//	clerk062 (城关镇)              external 16h, voided
//	clerk091 (东湖街道)            course 12 (2.5h); course 11 (8h) in 2025
func seedReportSet(t *testing.T, env *apptest.Env) reportSet {
	t.Helper()
	s, ctx := env.Srv.Training, context.Background()
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 2, 0, 0, 0, time.UTC) }
	must(t, s.RecordCompletion(ctx, uid(t, env, "clerk001"), 11, 1, 8, day(3, 1)))
	must(t, s.RecordCompletion(ctx, uid(t, env, "clerk061"), 11, 2, 8, day(3, 2)))
	must(t, s.RecordCompletion(ctx, uid(t, env, "clerk091"), 12, 1, 2.5, day(5, 5)))
	must(t, s.RecordCompletion(ctx, uid(t, env, "clerk091"), 11, 1, 8, time.Date(2025, 6, 1, 2, 0, 0, 0, time.UTC)))
	_, err := s.AddExternal(ctx, 0, &training.External{UserID: uid(t, env, "clerk001"), Title: "省级综窗业务骨干研修班",
		Hours: 4, Date: "2026-04-01", Note: "凭结业证书"})
	must(t, err)
	x, err := s.AddExternal(ctx, 0, &training.External{UserID: uid(t, env, "clerk062"), Title: "档案管理培训",
		Hours: 16, Date: "2026-04-02", Note: "待核"})
	must(t, err)
	_, err = s.VoidEntry(ctx, 0, x.ID, "重复登记")
	must(t, err)
	e := &training.Event{Title: "群众心理与沟通技巧讲座", Kind: training.KindLecture, StartsAt: day(9, 10), EndsAt: day(9, 10).Add(3 * time.Hour),
		Place: "城关镇便民服务中心二楼会议室", Capacity: 50, Hours: 3, OrgID: orgID(t, env, chengguanCode)}
	must(t, s.CreateEvent(ctx, 0, e))
	_, err = s.MarkAttended(ctx, 0, e.ID, []int64{uid(t, env, "clerk061"), uid(t, env, "clerk081")})
	must(t, err)
	return reportSet{event: e}
}

// TestUnitReport checks the report by unit, with source filters and paging, against
// figures worked out by hand from seedReportSet.
func TestUnitReport(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			seedReportSet(t, env)
			s, ctx := env.Srv.Training, context.Background()
			county := orgID(t, env, countyCode)
			rows, n, total, err := s.ByUnit(ctx, training.ReportFilter{OrgID: county, Year: 2026, Page: training.Page{Limit: 3}})
			must(t, err)
			want := []training.UnitRow{
				{OrgID: county, Name: "青山县政务服务中心", Own: true, People: 60, Learners: 1, Completions: 1, Externals: 1, Hours: 12},
				{OrgID: orgID(t, env, chengguanCode), Name: "城关镇便民服务中心", People: 30, Learners: 2, Completions: 1, Attendances: 2, Hours: 14},
				{OrgID: orgID(t, env, donghuCode), Name: "东湖街道便民服务中心", People: 30, Learners: 1, Completions: 1, Hours: 2.5},
			}
			if diff := cmp.Diff(want, rows); diff != "" || n != 9 {
				t.Errorf("units (total rows %d, want 9): %s", n, diff)
			}
			wantTotal := training.UnitRow{OrgID: county, Name: "青山县政务服务中心", People: 300, Learners: 4, Completions: 3, Attendances: 2, Externals: 1, Hours: 28.5}
			if diff := cmp.Diff(wantTotal, total); diff != "" {
				t.Errorf("summary: %s", diff)
			}
			rows, _, _, err = s.ByUnit(ctx, training.ReportFilter{OrgID: county, Year: 2026, Page: training.Page{Offset: 8, Limit: 3}})
			if must(t, err); len(rows) != 1 || rows[0].Hours != 0 || rows[0].People != 30 {
				t.Errorf("last page: %+v", rows)
			}
			rows, _, total, err = s.ByUnit(ctx, training.ReportFilter{OrgID: county, Year: 2026, Source: training.SourceEvent, Page: training.Page{Limit: 2}})
			if must(t, err); rows[1].Hours != 6 || rows[1].Attendances != 2 || rows[0].Hours != 0 || total.Hours != 6 || total.Learners != 2 {
				t.Errorf("events only: %+v, %+v", rows, total)
			}
			rows, _, total, err = s.ByUnit(ctx, training.ReportFilter{OrgID: county, Year: 2025})
			if must(t, err); total.Hours != 8 || rows[2].Hours != 8 {
				t.Errorf("2025: %+v", total)
			}

		})
	}
}

// TestCourseAndPersonReports checks the reports by course and by person, with source
// filters and paging, against figures worked out by hand from seedReportSet.
func TestCourseAndPersonReports(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			set := seedReportSet(t, env)
			s, ctx := env.Srv.Training, context.Background()
			county := orgID(t, env, countyCode)
			courses, n, err := s.ByCourse(ctx, training.ReportFilter{OrgID: county, Year: 2026})
			must(t, err)
			c11, c12, ev := int64(11), int64(12), set.event.ID
			wantCourses := []training.CourseRow{
				{Source: training.SourceCourse, CourseID: &c11, Title: "课程 #11", People: 2, Entries: 2, Hours: 16},
				{Source: training.SourceEvent, EventID: &ev, Title: "群众心理与沟通技巧讲座", People: 2, Entries: 2, Hours: 6},
				{Source: training.SourceExternal, Title: "外部培训（合计）", People: 1, Entries: 1, Hours: 4},
				{Source: training.SourceCourse, CourseID: &c12, Title: "课程 #12", People: 1, Entries: 1, Hours: 2.5},
			}
			if diff := cmp.Diff(wantCourses, courses); diff != "" || n != 4 {
				t.Errorf("courses (%d rows): %s", n, diff)
			}
			courses, n, err = s.ByCourse(ctx, training.ReportFilter{OrgID: orgID(t, env, chengguanCode), Year: 2026, Page: training.Page{Offset: 1, Limit: 1}})
			if must(t, err); n != 2 || len(courses) != 1 || courses[0].Hours != 6 {
				t.Errorf("城关 courses, second page: %d %+v", n, courses)
			}

			people, n, err := s.ByPerson(ctx, training.ReportFilter{OrgID: orgID(t, env, chengguanCode), Year: 2026, Page: training.Page{Limit: 3}})
			must(t, err)
			if n != 30 || len(people) != 3 {
				t.Fatalf("people: %d rows, page %d", n, len(people))
			}
			got := []any{people[0].Username, people[0].Hours, people[0].Completions, people[0].Attendances, people[1].Username, people[1].Hours, people[2].Hours}
			if diff := cmp.Diff([]any{"clerk061", 11.0, 1, 1, "clerk081", 3.0, 0.0}, got); diff != "" {
				t.Errorf("people: %s", diff)
			}
			people, _, err = s.ByPerson(ctx, training.ReportFilter{OrgID: orgID(t, env, chengguanCode), Year: 2026, Source: training.SourceCourse, Page: training.Page{Limit: 2}})
			if must(t, err); people[0].Username != "clerk061" || people[0].Hours != 8 || people[1].Hours != 0 {
				t.Errorf("people, courses only: %+v", people)
			}
		})
	}
}

// TestCourseTitlesFromCurriculum: course rows are named by the curriculum's published
// revision (the latest while none is published), read from its tables by name only.
func TestCourseTitlesFromCurriculum(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx, db := env.Srv.Training, context.Background(), env.Srv.DB
			now := env.Now.Now()
			county := orgID(t, env, countyCode)
			var ids []int64
			for i, c := range []struct {
				code      string
				published int
				titles    []string
			}{{"GJ-01", 1, []string{"窗口服务礼仪", "窗口服务礼仪（修订中）"}}, {"GJ-02", 0, []string{"群众心理与沟通"}}} {
				var id int64
				err := db.NewRaw("INSERT INTO courses (code, owner_org_id, published_rev, latest_rev, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
					c.code, county, c.published, len(c.titles), now, now).Scan(ctx, &id)
				must(t, err)
				for rev, title := range c.titles {
					_, err := db.NewRaw("INSERT INTO course_revisions (course_id, revision, status, title, kind, created_at) VALUES (?, ?, ?, ?, ?, ?)",
						id, rev+1, "draft", title, "theory", now).Exec(ctx)
					must(t, err)
				}
				ids = append(ids, id)
				must(t, s.RecordCompletion(ctx, uid(t, env, "clerk001"), id, 1, float64(8-2*i), now))
			}
			rows, _, err := s.ByCourse(ctx, training.ReportFilter{OrgID: county, Year: training.YearOf(now)})
			must(t, err)
			if len(rows) != 2 || rows[0].Title != "窗口服务礼仪" || rows[1].Title != "群众心理与沟通" {
				t.Errorf("course titles: %+v", rows)
			}
		})
	}
}
