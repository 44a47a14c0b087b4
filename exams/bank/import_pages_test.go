package bank

import (
	"testing"

	"clerkskill/app/web"
	"clerkskill/app/web/webtest"
	"clerkskill/exports"
	"clerkskill/rbac"
)

// TestImportPagesRender renders every question_import* page, empty and with a refusal,
// and fails when one has no case here.
func TestImportPagesRender(t *testing.T) {
	r, err := web.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	viewer := &web.Viewer{ID: 9, Username: "trainer", DisplayName: "培训师", Roles: []string{"trainer"}}
	units := []*rbac.OrgUnit{{ID: 2, Name: "某县中心", Depth: 1}, {ID: 4, Name: "某镇<b>中心", Depth: 2}}
	rep := &Report{Format: FormatXLSX, Report: exports.Report{Rows: 3, Total: 2, Errors: []RowError{{Row: 2, Column: "答案", Message: "答案须为选项字母 A–C"}, {Row: 3, Column: "", Message: "题干与第 2 行重复"}}}}
	levels := []importLevel{{5, "五级", true}, {4, "四级", false}}
	cases := []struct {
		name string
		p    web.Page
		want []string
	}{
		{"empty form", web.Page{User: viewer, CSRF: "tok", Data: importPage{Form: importForm{Owner: 4, Score: 1, Difficulty: 3, Pool: PoolBoth},
			Units: units, Levels: levels, Pools: []Pool{PoolBoth, PoolExam}}},
			[]string{`value="tok"`, `<option value="4" selected>`, "某镇&lt;b&gt;中心", `value="5" checked`, "/questions/import/template.xlsx"}},
		{"refusal with report", web.Page{User: viewer, Data: importPage{Form: importForm{Format: "xlsx"}, Report: rep, Shown: rep.Errors[:1],
			ReportKey: "abc", Errors: map[string]string{"_": "3 行题目中有 2 行存在错误", "owner": "请选择单位"}}},
			[]string{"错误清单（共 2 处，涉及 2 行）", "report.xlsx?key=abc", "答案须为选项字母", "仅列出前 1 处", "请选择单位", `value="xlsx" selected`}},
		{"file refusal", web.Page{User: viewer, Data: importPage{Errors: map[string]string{"_": "文件超过 10 MiB", "file": "请选择要导入的文件"}}},
			[]string{"文件超过 10 MiB", "请选择要导入的文件"}},
	}
	var cs []webtest.Case
	for _, c := range cases {
		cs = append(cs, webtest.Case{Name: c.name, Page: "question_import", Data: c.p, Want: c.want})
	}
	webtest.Pages(t, r, r.PagesWithPrefix("question_import"), cs)
}
