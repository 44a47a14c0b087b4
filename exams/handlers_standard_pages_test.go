package exams

import (
	"testing"
	"time"

	"clerkskill/app/web"
	"clerkskill/app/web/webtest"
)

// TestStandardPagesRender renders every standard_ page with the handlers' own data, and
// fails when one of them has no case here.
func TestStandardPagesRender(t *testing.T) {
	r, err := web.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	def := MustDefault(t)
	official := def.Clone()
	official.Meta.Provisional, official.Meta.Version = nil, "2026 官方<版>"
	official.Level(4).SkillWeights[0].Percent += 5
	official.Level(4).SkillWeights[1].Percent -= 5
	by := int64(9)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	v1 := &StandardVersion{ID: 1, VersionNo: 1, Code: def.Meta.Code, VersionLabel: def.Meta.Version, Definition: def,
		Provisional: true, Note: "系统内置默认配置", CreatedAt: now}
	v2 := &StandardVersion{ID: 2, VersionNo: 2, Code: def.Meta.Code, VersionLabel: official.Meta.Version, Definition: official,
		ImportedBy: &by, CreatedAt: now, Current: true}
	rows := []versionRow{{v2, "管理员"}, {v1, "系统"}}
	viewer := &web.Viewer{ID: 9, Username: "admin", DisplayName: "管理员", Roles: []string{"admin"}}
	admin := newStandardView(v2, "管理员", 4, "/standard")
	admin.CanWrite = true
	old := newStandardView(v1, "系统", 0, "/standard/versions/1")
	old.CanWrite = true
	diffs := CompareStandards(def, official)
	refusal := &web.Error{Code: web.EINVALID, Message: "五级 理论知识权重合计为 95，应为 100\n代码“1.1”重复"}
	cases := []struct {
		name, page string
		p          web.Page
		want, not  []string
	}{
		{"default provisional, level 5", "standard_show", web.Page{User: viewer, Data: newStandardView(v1, "系统", 0, "/standard")},
			[]string{"本版本含暂定数字", "权重表</strong>", "理论知识权重表", "技能要求权重表", "五级 / 初级工 各分支权重", "咨询引导",
				"技能要求</span>", "相关知识</span>", "全部等级", "二级、一级", "累计从事本职业工作", "不设", "每 15 名考生", "历史版本"},
			[]string{"导入新版本", "恢复为当前版本"}},
		{"current official for admin", "standard_show", web.Page{User: viewer, CSRF: "tok", Flash: "已导入", Data: admin},
			[]string{"全部数字为官方数字", "2026 官方&lt;版&gt;", `class="sel"`, "四级 / 中级工 各分支权重", "/standard/import",
				"/standard/template.xlsx", "已导入", "管理员"},
			[]string{"本版本含暂定数字", "历史版本"}},
		{"old version restorable", "standard_show", web.Page{User: viewer, CSRF: "tok", Data: old},
			[]string{`action="/standard/versions/1/restore"`, `value="tok"`, "data-confirm"}, nil},
		{"versions for admin", "standard_versions", web.Page{User: viewer, CSRF: "tok", Data: versionsPage{Versions: rows, A: 1, B: 2, CanWrite: true}},
			[]string{"第 2 版", "当前", "含暂定数字", "官方数字", "管理员", `action="/standard/versions/1/restore"`, `<option value="1" selected>`, `<option value="2" selected>`},
			[]string{`action="/standard/versions/2/restore"`}},
		{"versions read-only", "standard_versions", web.Page{User: viewer, Data: versionsPage{Versions: rows, A: 1, B: 2}},
			[]string{"/standard/versions/1"}, []string{"restore", "导入新版本"}},
		{"versions empty", "standard_versions", web.Page{User: viewer, Data: versionsPage{}}, []string{"还没有标准版本"}, nil},
		{"compare with changes", "standard_compare", web.Page{User: viewer, Data: comparePage{A: v1, B: v2, Count: len(diffs),
			Groups: groupDiffs(diffs), Versions: rows}},
			[]string{"第 1 版", "第 2 版", "权重（", "基本信息", "四级", "技能考核", "20%", "25%"}, nil},
		{"compare same", "standard_compare", web.Page{User: viewer, Data: comparePage{A: v1, B: v1, Versions: rows}},
			[]string{"完全相同", "同一个版本"}, nil},
		{"import form", "standard_import", web.Page{User: viewer, CSRF: "tok", Data: importPage{Current: v2, MaxMiB: 5}},
			[]string{`enctype="multipart/form-data"`, `value="tok"`, "5 MiB", "/standard/template.xlsx", "第 2 版"},
			[]string{"aria-invalid"}},
		{"import refused", "standard_import", web.Page{User: viewer, Data: importPage{Current: v2, FileName: "bad.yaml", MaxMiB: 5,
			Message: "未导入", Problems: problemLines(refusal)}},
			[]string{"bad.yaml", "<li>五级 理论知识权重合计为 95，应为 100</li>", "<li>代码“1.1”重复</li>", `aria-invalid="true"`}, nil},
	}
	var cs []webtest.Case
	for _, c := range cases {
		cs = append(cs, webtest.Case{Name: c.name, Page: c.page, Data: c.p, Want: c.want, Absent: c.not})
	}
	webtest.Pages(t, r, r.PagesWithPrefix("standard_"), cs)
}
