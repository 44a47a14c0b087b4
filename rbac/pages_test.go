package rbac

import (
	"testing"
	"time"

	"clerkskill/app/web"
	"clerkskill/app/web/webtest"
)

func ptr[T any](v T) *T { return &v }

// TestEveryPageRenders renders each page template with the handlers' own data structs,
// empty and full, and fails when a page has no case here.
func TestEveryPageRenders(t *testing.T) {
	r, err := web.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	county := &OrgUnit{ID: 2, ParentID: ptr(int64(1)), Tier: TierCounty, Code: "X01", Name: "某县政务服务中心", Path: "/1/2/", Depth: 1, Active: true, StaffCount: 12}
	town := &OrgUnit{ID: 3, ParentID: ptr(int64(2)), Tier: TierTownship, Code: "T01", Name: "某镇<b>中心", Path: "/1/2/3/", Depth: 2}
	orgs := []*OrgUnit{county, town}
	hire, _ := ParseDate("2021-03-01")
	st := &Staff{ID: 7, EmpNo: "A001", Name: "张三", IDNumber: ptr("110***********002X"), OrgID: 2, Position: "综合受理",
		EmploymentType: EmployDispatched, HireDate: hire, Education: "本科", Active: true, Org: county}
	grants := []*Grant{{ID: 4, Role: RoleHR, OrgID: 2, OrgName: county.Name, CreatedAt: now}}
	viewer := &web.Viewer{ID: 9, Username: "hr", DisplayName: "人事", Roles: []string{RoleHR}}
	errs := map[string]string{"_": "总体错误", "name": "姓名错", "emp_no": "工号错", "tier": "层级错", "current": "不对"}
	cases := []struct {
		name, page string
		p          web.Page
		want       []string
	}{
		{"login", "login", web.Page{Data: loginPage{Next: "/staff"}}, []string{`id="username"`, `value="/staff"`}},
		{"login error", "login", web.Page{Data: loginPage{Username: "bob", Error: "用户名或密码错误"}}, []string{"用户名或密码错误"}},
		{"home for HR", "home", web.Page{User: viewer, CSRF: "tok", Flash: "已保存", Data: homePage{Staff: st, Grants: grants,
			StaffTotal: 30, StaffActive: 28, OrgTotal: 5, ByTier: []tierCount{{TierCounty, 1}, {TierTownship, 4}}, ManagesStaff: true, SeesOrgs: true}},
			[]string{"人员总数", "<svg", "已保存", `value="tok"`}},
		{"home empty", "home", web.Page{User: viewer, Data: homePage{}}, nil},
		{"password forced", "password", web.Page{User: viewer, Data: passwordPage{Forced: true, Errors: errs}}, []string{"首次登录", "不对", `id="confirm"`}},
		{"orgs", "orgs", web.Page{User: viewer, Data: orgsPage{Units: orgs, CanEdit: map[int64]bool{3: true}}},
			[]string{"/orgs/3/delete", "data-confirm", "某镇&lt;b&gt;中心"}},
		{"orgs empty", "orgs", web.Page{User: viewer, Data: orgsPage{Query: "x"}}, nil},
		{"org new", "org_form", web.Page{User: viewer, Data: orgFormPage{Unit: &OrgUnit{ParentID: ptr(int64(2))}, Parents: orgs, Tiers: Tiers, Errors: errs}},
			[]string{`<option value="2" selected>`, "层级错"}},
		{"org edit", "org_form", web.Page{User: viewer, Data: orgFormPage{Unit: town, ParentName: "上级某县", Tiers: Tiers}},
			[]string{`action="/orgs/3"`, "上级某县"}},
		{"staff list", "staff_list", web.Page{User: viewer, Data: staffListPage{Staff: []*Staff{st},
			Pager: web.Pager{Offset: 50, Limit: 50, Total: 130, Query: "org=2&type=dispatched"}, Filter: staffQuery{OrgID: 2, Type: "dispatched"},
			Orgs: orgs, Types: EmploymentTypes, CanAdd: true}}, []string{"offset=100", "第 51–100 条", "2021-03-01"}},
		{"staff show", "staff_show", web.Page{User: viewer, CSRF: "tok", Data: staffShowPage{Staff: st, Account: &User{ID: 9, Username: "a001", Active: true},
			Grants: grants, CanEdit: true, Roles: []string{RoleTrainee, RoleTrainer}, Orgs: orgs, OneTimePW: "Xy7pQ2mnAb3c"}},
			[]string{"Xy7pQ2mnAb3c", "/grants/4/delete", "/staff/7/password"}},
		{"staff show read-only", "staff_show", web.Page{User: viewer, Data: staffShowPage{Staff: st}}, nil},
		{"staff new", "staff_form", web.Page{User: viewer, Data: staffFormPage{Staff: &Staff{OrgID: 3}, ShowIDNumber: true, Orgs: orgs,
			Types: EmploymentTypes, Educations: EducationLevels, Errors: errs}}, []string{`action="/staff"`, `id="id_number"`, "工号错"}},
		{"staff edit without PII right", "staff_form", web.Page{User: viewer, Data: staffFormPage{Staff: st, Orgs: orgs,
			Types: EmploymentTypes, Educations: EducationLevels}}, []string{`action="/staff/7"`, "无权查看"}},
		{"error", "error", web.Page{User: viewer, CSRF: "tok", Data: web.ErrorBody{Error: "找不到该人员", Code: web.ENOTFOUND}}, []string{"找不到该人员", `value="tok"`}},
	}
	var cs []webtest.Case
	for _, c := range cases {
		cs = append(cs, webtest.Case{Name: c.name, Page: c.page, Data: c.p, Want: c.want})
	}
	var owned []string
	for _, n := range r.PageNames() {
		if !web.OwnedElsewhere(n) {
			owned = append(owned, n)
		}
	}
	webtest.Pages(t, r, owned, cs)
}
