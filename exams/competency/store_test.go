package competency_test

import (
	"context"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/exams/competency"
)

// cellOf finds a branch's cell in a person's mastery.
func cellOf(t *testing.T, p *competency.PersonMastery, code string) competency.Cell {
	t.Helper()
	for _, c := range p.Cells {
		if c.Code == code {
			return c
		}
	}
	t.Fatalf("no cell %s", code)
	return competency.Cell{}
}

func wantPercent(t *testing.T, what string, c competency.Cell, want float64) {
	t.Helper()
	if c.Percent == nil || *c.Percent != want {
		t.Errorf("%s: got %v, want %v", what, c.Percent, want)
	}
}

// seedHistory gives clerk061 two released sessions: 80% then 40% in branch 1 (60 and 30
// days ago), 30% in branch 2 (60 days ago), nothing in branch 3; and a held session
// from yesterday with 100% in branch 1 that must not count.
func seedHistory(t *testing.T, env *apptest.Env) {
	old := newExam(t, env, "第一次考试", true, true)
	recent := newExam(t, env, "第二次考试", true, true)
	held := newExam(t, env, "尚未发布的考试", true, false)
	result(t, env, old, "theory", "clerk061", 60, mark{"1", 8, 10}, mark{"2", 3, 10})
	result(t, env, recent, "theory", "clerk061", 30, mark{"1", 4, 10})
	result(t, env, held, "theory", "clerk061", 1, mark{"1", 10, 10})
}

func TestMasteryMethods(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := apptest.New(t, dialect)
			ctx := context.Background()
			s := env.Srv.Skills
			seedHistory(t, env)
			me := who(t, env, "clerk061")

			p, err := s.FindPersonMastery(ctx, me.staffID)
			must(t, err)
			if p.Settings.Method != competency.MethodLatest || !p.Settings.Inherited {
				t.Fatalf("default settings: %+v", p.Settings)
			}
			// Most recent: branch 1 is the later session's 4/10; the held 10/10 is not out.
			wantPercent(t, "latest branch 1", cellOf(t, p, "1"), 40)
			wantPercent(t, "latest branch 2", cellOf(t, p, "2"), 30)
			if c := cellOf(t, p, "3"); c.Percent != nil || c.Band != competency.BandNone {
				t.Errorf("branch 3 without results: %+v, want no data", c)
			}
			if ev := cellOf(t, p, "1").Evidence; len(ev) != 2 || ev[0].SessionName != "第二次考试" || ev[0].Weight != 1 || ev[1].Weight != 0 {
				t.Errorf("evidence of branch 1: %+v", ev)
			}

			// Decaying average, half-life 30 days, set at the county and inherited by 城关镇:
			// weights 0.5 (30 days) and 0.25 (60 days): (0.5×40 + 0.25×80) / 0.75 = 53.3.
			must(t, s.SaveSettings(ctx, 0, &competency.Settings{OrgID: orgID(t, env, county), Method: competency.MethodDecay,
				HalfLifeDays: 30, GapBelow: 60, StrongFrom: 85}))
			p, err = s.FindPersonMastery(ctx, me.staffID)
			must(t, err)
			if !p.Settings.Inherited || p.Settings.From != "青山县政务服务中心" {
				t.Errorf("inherited settings: %+v", p.Settings)
			}
			c := cellOf(t, p, "1")
			wantPercent(t, "decay branch 1", c, 53.3)
			if c.Evidence[0].Weight != 0.667 || c.Evidence[1].Weight != 0.333 {
				t.Errorf("decay weights: %v, %v", c.Evidence[0].Weight, c.Evidence[1].Weight)
			}
			wantPercent(t, "decay branch 2", cellOf(t, p, "2"), 30)
			if c.Band != competency.BandGap {
				t.Errorf("53.3 below 60: band %s", c.Band)
			}
		})
	}
}

func TestHeldAndOpenResults(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := apptest.New(t, dialect)
			ctx := context.Background()
			held := newExam(t, env, "成绩暂缓发布", true, false)
			open := newExam(t, env, "成绩不暂缓", false, false)
			result(t, env, held, "theory", "clerk062", 2, mark{"4", 9, 10})
			result(t, env, open, "theory", "clerk063", 2, mark{"4", 7, 10})
			p, err := env.Srv.Skills.FindPersonMastery(ctx, who(t, env, "clerk062").staffID)
			must(t, err)
			if c := cellOf(t, p, "4"); c.Percent != nil {
				t.Errorf("held result counted: %+v", c)
			}
			p, err = env.Srv.Skills.FindPersonMastery(ctx, who(t, env, "clerk063").staffID)
			must(t, err)
			wantPercent(t, "not held, closed", cellOf(t, p, "4"), 70)
		})
	}
}

func TestMatrixScopeNoDataAndGaps(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := apptest.New(t, dialect)
			ctx := context.Background()
			s := env.Srv.Skills
			e := newExam(t, env, "分支摸底", true, true)
			result(t, env, e, "theory", "clerk061", 5, mark{"3", 0, 10}, mark{"2", 9, 10})
			result(t, env, e, "theory", "clerk062", 5, mark{"3", 7, 10})
			result(t, env, e, "theory", "clerk091", 5, mark{"3", 1, 10}) // 东湖街道: a sibling

			m, err := s.BuildMatrix(ctx, competency.MatrixFilter{OrgID: orgID(t, env, chengguan), Limit: 200})
			must(t, err)
			if m.Staff != 30 || m.Total != 30 {
				t.Errorf("城关镇 and its villages: %d staff, %d rows, want 30", m.Staff, m.Total)
			}
			rows := map[string]competency.Person{}
			for _, p := range m.People {
				rows[p.Username] = p
			}
			if _, ok := rows["clerk091"]; ok {
				t.Error("a clerk of the sibling township is in the matrix")
			}
			col := columnOf(t, m, "3")
			c61, c64 := rows["clerk061"].Cells[col], rows["clerk064"].Cells[col]
			if c61.Percent == nil || *c61.Percent != 0 || c61.Band != competency.BandGap {
				t.Errorf("zero marks: %+v, want 0 and a gap", c61)
			}
			if c64.Percent != nil || c64.Band != competency.BandNone || c64.Text() != "—" {
				t.Errorf("no results: %+v, want no data", c64)
			}
			if got := m.Columns[col]; got.Gaps != 1 || got.People != 2 || got.Average == nil || *got.Average != 35 {
				t.Errorf("column 3: %+v", got)
			}

			gaps, err := s.BuildMatrix(ctx, competency.MatrixFilter{OrgID: orgID(t, env, chengguan), GapsOnly: true, Branch: "3"})
			must(t, err)
			if gaps.Total != 1 || gaps.People[0].Username != "clerk061" {
				t.Errorf("gaps in branch 3: %d rows %+v", gaps.Total, gaps.People)
			}
		})
	}
}

func columnOf(t *testing.T, m *competency.Matrix, code string) int {
	t.Helper()
	for j, c := range m.Columns {
		if c.Code == code {
			return j
		}
	}
	t.Fatalf("no column %s", code)
	return -1
}

func TestGapCoursesAndOneStepAssign(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := apptest.New(t, dialect)
			ctx := context.Background()
			s := env.Srv.Skills
			e := newExam(t, env, "分支摸底", true, true)
			result(t, env, e, "theory", "clerk061", 5, mark{"3", 2, 10})
			result(t, env, e, "theory", "clerk062", 5, mark{"3", 5, 10})
			result(t, env, e, "theory", "clerk063", 5, mark{"3", 9, 10})
			course := publishedCourse(t, env, "LZ-01", "办件流转实务", "3.1")
			publishedCourse(t, env, "ZX-01", "咨询引导", "1")

			scope := scopeOf(t, env, chengguan)
			sug, err := s.Suggestions(ctx, scope)
			must(t, err)
			if len(sug["3"]) != 1 || sug["3"][0].ID != course.ID || len(sug["1"]) != 1 {
				t.Fatalf("suggestions: %+v", sug)
			}
			out, err := s.AssignGapCourse(ctx, 0, scope, competency.AssignGaps{OrgID: orgID(t, env, chengguan), Branch: "3",
				CourseID: course.ID, DueOn: env.Now.Now().AddDate(0, 1, 0).Format("2006-01-02")})
			must(t, err)
			if len(out) != 2 {
				t.Fatalf("assigned %d, want the 2 gaps (clerk061, clerk062)", len(out))
			}
			// Someone without a gap in the branch cannot be chosen.
			_, err = s.AssignGapCourse(ctx, 0, scope, competency.AssignGaps{OrgID: orgID(t, env, chengguan), Branch: "3",
				CourseID: course.ID, DueOn: env.Now.Now().AddDate(0, 1, 0).Format("2006-01-02"), StaffIDs: []int64{who(t, env, "clerk063").staffID}})
			if web.ErrorCode(err) != web.EINVALID {
				t.Errorf("assigning a person without a gap: %v", err)
			}
			n, err := env.Srv.DB.NewSelect().Table("course_assignments").Where("course_id = ?", course.ID).Count(ctx)
			must(t, err)
			if n != 2 {
				t.Errorf("%d assignments stored, want 2", n)
			}
		})
	}
}

// TestDashboard: levels valid today by unit and tier (a revoked certificate does not
// count), awards per month with the running total, pass rates by session and branch;
// a unit without certificates has none.
func TestDashboard(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := apptest.New(t, dialect)
			ctx := context.Background()
			e := newExam(t, env, "分支摸底", true, true)
			result(t, env, e, "theory", "clerk061", 5, mark{"3", 2, 10})
			result(t, env, e, "theory", "clerk062", 5, mark{"3", 8, 10})
			today := env.Now.Now().Format("2006-01-02")
			certificate(t, env, "clerk061", 5, today, "valid")
			certificate(t, env, "clerk062", 4, env.Now.Now().AddDate(0, -2, 0).Format("2006-01-02"), "valid")
			certificate(t, env, "clerk063", 5, today, "revoked")
			d, err := env.Srv.Skills.BuildDashboard(ctx, orgID(t, env, chengguan))
			must(t, err)
			if d.Certified != 2 || d.People != 30 || d.ByUnit[0].Counts[5] != 1 || d.ByUnit[0].Counts[4] != 1 {
				t.Errorf("levels: certified %d of %d, by unit %+v", d.Certified, d.People, d.ByUnit)
			}
			last := d.Months[len(d.Months)-1]
			if last.Awards != 1 || last.Cumulative != 2 || d.Months[len(d.Months)-3].Awards != 1 {
				t.Errorf("months: %+v", d.Months)
			}
			if len(d.Sessions) != 1 || d.Sessions[0].People != 2 || d.Sessions[0].Passed != 1 || d.Sessions[0].Rate != 50 {
				t.Errorf("sessions: %+v", d.Sessions)
			}
			if len(d.Branches) != 1 || d.Branches[0].Code != "3" || d.Branches[0].Rate != 50 || d.Branches[0].Average != 50 {
				t.Errorf("branches: %+v", d.Branches)
			}
			east, err := env.Srv.Skills.BuildDashboard(ctx, orgID(t, env, donghu))
			must(t, err)
			if east.Certified != 0 || len(east.Sessions) != 0 || east.Months[len(east.Months)-1].Cumulative != 0 {
				t.Errorf("东湖街道 without awards or results: %+v", east)
			}
		})
	}
}
