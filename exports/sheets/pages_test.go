package sheets

import (
	"testing"
	"time"

	"clerkskill/app/web"
	"clerkskill/app/web/webtest"
	"clerkskill/exports"
	"clerkskill/rbac"
)

// TestEverySheetsPageRenders renders the 数据导出 page empty, full, after an import and
// after a refused one, and fails when a sheets_ page has no case.
func TestEverySheetsPageRenders(t *testing.T) {
	r := webtest.MustRenderer(t)
	hr := &web.Viewer{ID: 3, Username: "hr", DisplayName: "县中心人事办", Roles: []string{"hr"}}
	page := func(d *exportsPage) web.Page { return web.Page{Title: "数据导出", User: hr, CSRF: "tok", Data: d} }
	at := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	full := &exportsPage{Year: 2026, Years: []int{2026, 2025}, CanImport: true, SeePII: true, AsyncRows: AsyncRows,
		Units:    []*rbac.OrgUnit{{ID: 4, Name: "城关镇便民服务中心"}},
		Sessions: []GradeSession{{ID: 9, Name: "五级理论<b>考试", OrgName: "城关镇", ClosesAt: at}},
		Jobs: []jobView{viewJob(&Job{ID: 5, Kind: KindRoster, Status: JobRunning, DoneRows: 500, TotalRows: 2000, CreatedAt: at}),
			viewJob(&Job{ID: 6, Kind: KindCertificates, Status: JobDone, CreatedAt: at})}}
	added := *full
	added.Import = &importView{Result: &RosterImport{Rows: 2, Added: 1, Updated: 1,
		Accounts: []NewAccount{{EmpNo: "QS9001", Name: "周敏", Username: "qs9001", Password: "Xy7-secret"}}}}
	refused := *full
	refused.Import = &importView{Error: "2 行人员中有 1 行存在错误", ReportKey: "abc",
		Shown: []exports.RowError{{Row: 3, Column: "工号", Message: "与第 2 行的工号重复"}}}
	webtest.Pages(t, r, r.PagesWithPrefix("sheets_"), []webtest.Case{
		{Name: "empty", Page: "sheets_exports", Data: page(&exportsPage{Year: 2026, Years: []int{2026}}),
			Want: []string{"数据导出", "还没有考试场次", "没有进行中"}, Absent: []string{"导入花名册"}},
		{Name: "full", Page: "sheets_exports", Data: page(full),
			Want: []string{"导出花名册", "导入花名册", "/exports/sessions/9/gradebook.xlsx", "五级理论&lt;b&gt;考试",
				`value="25"`, "生成中 500/2000", "/exports/jobs/6/file", "sheets.js", "完整身份证号"}},
		{Name: "imported", Page: "sheets_exports", Data: page(&added), Want: []string{"新增 1 人，更新 1 人", "qs9001", "Xy7-secret"}},
		{Name: "refused", Page: "sheets_exports", Data: page(&refused),
			Want: []string{"存在错误", "与第 2 行的工号重复", "report.xlsx?key=abc"}},
	})
}
