package competency

import (
	"testing"
	"time"

	"clerkskill/app/web"
	"clerkskill/app/web/webtest"
)

// TestEveryCompetencyPageRenders renders each competency_ page with the handlers' data
// structs, empty and full, and fails when one of them has no case here.
func TestEveryCompetencyPageRenders(t *testing.T) {
	r := webtest.MustRenderer(t)
	hr := &web.Viewer{ID: 3, Username: "hr", DisplayName: "县中心人事办", Roles: []string{"hr"}}
	clerk := &web.Viewer{ID: 5, Username: "clerk061", DisplayName: "王芳", Roles: []string{"trainee"}}
	page := func(u *web.Viewer, data any) web.Page { return web.Page{Title: "t", User: u, CSRF: "tok", Data: data} }
	m, person, dash := sampleMatrix(), samplePerson(), sampleDashboard()
	courses := map[string][]CourseRef{"3": {{ID: 7, Code: "LZ-01", Title: "办件流转实务", Hours: 2}}}
	orgs := []OrgOption{{ID: 4, Name: "城关镇便民服务中心"}}
	empty := &Matrix{OrgID: 4, OrgName: "城关镇便民服务中心", Settings: DefaultSettings(), Limit: 50}
	webtest.Pages(t, r, r.PagesWithPrefix("competency_"), []webtest.Case{
		{Name: "matrix", Page: "competency_matrix", Data: page(hr, matrixPage{M: m, Courses: courses, Orgs: orgs, CanAssign: true, Today: "2026-12-31",
			Pager: web.Pager{Limit: 50, Total: 2, Query: "org=4"}}),
			Want: []string{"能力矩阵 · 城关镇便民服务中心", `class="num cell gap">0<`, `class="num cell none">—<`, "办件流转实务", "指派给该分支全部短板人员", "competency.css"}},
		{Name: "matrix, no people", Page: "competency_matrix", Data: page(hr, matrixPage{M: empty}), Want: []string{"没有符合条件的人员"},
			Absent: []string{"指派给"}},
		{Name: "person", Page: "competency_person", Data: page(hr, personPage{P: person, Courses: courses, CanAssign: true, Today: "2026-12-31"}),
			Want: []string{"王芳 · 能力掌握", "第二次考试", "理论知识", "0.667", "指派给王芳", `value="3"`}},
		{Name: "mine", Page: "competency_person", Data: page(clerk, personPage{P: person, Mine: true}),
			Want: []string{"我的能力掌握", "没有已发布的成绩涉及这个分支"}, Absent: []string{"指派给", "返回能力矩阵"}},
		{Name: "dashboard", Page: "competency_dashboard", Data: page(hr, dashboardPage{D: dash, Orgs: orgs,
			ByUnit: levelChart("各单位持证等级分布", dash.ByUnit), ByTier: levelChart("各层级持证等级分布", dash.ByTier),
			Sessions: sessionChart(dash.Sessions), Branches: branchChart(dash.Branches, 60), Months: monthChart(dash.Months)}),
			Want: []string{"各单位持证等级分布", `class="s5"`, "各场次通过率", "75%", "各分支达到60分的比例", "polyline", "累计"}},
		{Name: "dashboard, nothing yet", Page: "competency_dashboard", Data: page(hr, dashboardPage{D: &Dashboard{OrgName: "东湖街道"}}),
			Want: []string{"还没有有效的等级证书", "没有可统计的数据", "还没有颁证记录"}, Absent: []string{"polyline"}},
		{Name: "settings", Page: "competency_settings", Data: page(hr, settingsPage{OrgID: 4, Orgs: orgs, Settings: DefaultSettings(),
			Errors: map[string]string{"gap_below": "短板线须在1至100分之间"}}), Want: []string{"沿用系统默认的设置", "短板线须在1至100分之间"}},
	})
}

func pct(v float64) *float64 { return &v }

func sampleMatrix() *Matrix {
	set := DefaultSettings()
	cols := []Column{{Branch: Branch{Code: "2", Name: "受理与初审"}, People: 1, Average: pct(90)}, {Branch: Branch{Code: "3", Name: "流转"}, People: 1, Gaps: 1, Average: pct(0)}}
	people := []Person{
		{StaffID: 70, Name: "王芳", EmpNo: "QS-0061", OrgName: "城关镇便民服务中心", Gaps: 1,
			Cells: []Cell{{Code: "2", Percent: pct(90), Band: BandStrong}, {Code: "3", Percent: pct(0), Band: BandGap}}},
		{StaffID: 71, Name: "李强", EmpNo: "QS-0062", OrgName: "城关镇便民服务中心", Cells: []Cell{{Code: "2", Band: BandNone}, {Code: "3", Band: BandNone}}},
	}
	return &Matrix{OrgID: 4, OrgName: "城关镇便民服务中心", Settings: set, Columns: cols, People: people, Total: 2, Staff: 30, Limit: 50}
}

func samplePerson() *PersonMastery {
	at := time.Date(2026, 10, 14, 3, 0, 0, 0, time.UTC)
	ev := []Evidence{{SessionID: 5, SessionName: "第二次考试", AttemptID: 9, Part: "theory", TakenAt: at, Earned: 4, Possible: 10, Percent: 40, Weight: 0.667},
		{SessionID: 3, SessionName: "第一次考试", AttemptID: 4, Part: "theory", TakenAt: at.AddDate(0, -1, 0), Earned: 8, Possible: 10, Percent: 80, Weight: 0.333}}
	return &PersonMastery{Person: Person{StaffID: 70, Username: "clerk061", Name: "王芳", EmpNo: "QS-0061", OrgID: 4, OrgName: "城关镇便民服务中心", Gaps: 1,
		Cells: []Cell{{Code: "3", Percent: pct(53.3), Band: BandGap, Evidence: ev}, {Code: "4", Band: BandNone}}},
		Branches: []Branch{{Code: "3", Name: "流转"}, {Code: "4", Name: "办结送达"}}, Settings: DefaultSettings()}
}

func sampleDashboard() *Dashboard {
	return &Dashboard{OrgID: 3, OrgName: "青山县政务服务中心", GapBelow: 60, People: 90, Certified: 12,
		ByUnit:   []LevelRow{{Label: "青山县政务服务中心（本级）", Counts: [6]int{50, 0, 0, 1, 3, 6}}, {Label: "城关镇", Counts: [6]int{28, 0, 0, 0, 0, 2}}},
		ByTier:   []LevelRow{{Label: "县级政务服务中心", Counts: [6]int{50, 0, 0, 1, 3, 6}}},
		Sessions: []SessionRate{{SessionID: 5, Name: "联考", Level: 5, People: 60, Passed: 45, Rate: 75}},
		Branches: []BranchRate{{Branch: Branch{Code: "3", Name: "流转"}, Results: 60, AtLine: 40, Rate: 66.7, Average: 64}},
		Months:   []Month{{Month: "2026-11", Awards: 3, Cumulative: 10}, {Month: "2026-12", Awards: 2, Cumulative: 12}}}
}
