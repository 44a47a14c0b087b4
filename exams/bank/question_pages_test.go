package bank

import (
	"strings"
	"testing"
	"time"

	"clerkskill/app/web"
	"clerkskill/app/web/webtest"
	"clerkskill/exams"
	"clerkskill/rbac"
)

// TestEveryQuestionPageRenders renders each question_ page with the handlers' own data
// structs, and fails when one of them has no case here.
func TestEveryQuestionPageRenders(t *testing.T) {
	r, err := web.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	std, err := exams.DefaultStandard()
	if err != nil {
		t.Fatal(err)
	}
	var owned []string // TestImportPagesRender owns the question_import pages
	for _, n := range r.PagesWithPrefix("question_") {
		if !strings.HasPrefix(n, "question_import") {
			owned = append(owned, n)
		}
	}
	var cs []webtest.Case
	for _, c := range pageCases(std) {
		cs = append(cs, webtest.Case{Name: c.name, Page: c.page, Data: c.p, Want: c.want, Absent: c.absent})
	}
	webtest.Pages(t, r, owned, cs)
}

type pageCase struct {
	name, page   string
	p            web.Page
	want, absent []string
}

func pageCases(std *exams.Standard) []pageCase {
	viewer := &web.Viewer{ID: 3, Username: "trainer", DisplayName: "培训师", Roles: []string{rbac.RoleTrainer}}
	page := func(data any) web.Page { return web.Page{User: viewer, CSRF: "tok", Data: data} }
	town := &rbac.OrgUnit{ID: 4, Name: "城关镇<b>中心", Path: "/1/2/3/4/", Depth: 3}
	now := time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
	yes := false
	single := &Question{ID: 12, FamilyID: 10, Version: 2, Latest: true, Status: StatusActive, Type: Single,
		Levels: LevelsOf(5, 4), Code: "2.1", Difficulty: 2, Point: "一次性告知", Stem: "材料不齐全时<应当>？",
		Options: []string{"退回", "一次性告知", "先收下"}, Answer: Answer{Choice: "B"}, Score: 2, Partial: PartialNone,
		Explanation: "解析文字", Pool: PoolBoth, OwnerOrgID: 4, OwnerName: "城关镇便民服务中心", CreatedByName: "县中心培训师", CreatedAt: now}
	old := *single
	old.ID, old.Version, old.Latest, old.Stem = 10, 1, false, "旧题干"
	judge := &Question{ID: 20, FamilyID: 20, Version: 1, Latest: true, Status: StatusRetired, Used: true, Type: Judge,
		Levels: LevelsOf(3), Code: "1", Difficulty: 1, Stem: "判断", Answer: Answer{Judge: &yes}, Score: 1, Pool: PoolExam, CreatedAt: now}
	fill := &Question{ID: 21, FamilyID: 21, Version: 1, Latest: true, Type: Fill, Levels: LevelsOf(5), Code: "2", Difficulty: 3,
		Stem: "时限（　　）日", Answer: Answer{Blanks: [][]string{{"5", "五"}}}, Score: 1, Pool: PoolPractice, CreatedAt: now}
	practical := &Question{ID: 22, FamilyID: 22, Version: 1, Latest: true, Type: Practical, Levels: LevelsOf(4), Code: "2.2",
		Difficulty: 4, Stem: "模拟受理", Task: "任务卡内容", Rubric: []Criterion{{"核验身份", 4}, {"一次性告知", 6}}, Score: 10, CreatedAt: now}
	short := &Question{ID: 23, FamilyID: 23, Version: 1, Latest: true, Type: Short, Levels: LevelsOf(2), Code: "5", Difficulty: 5,
		Stem: "简答", Answer: Answer{Guide: "评分要点"}, Score: 10, CreatedAt: now}
	multiple := &Question{ID: 24, FamilyID: 24, Version: 1, Latest: true, Type: Multiple, Levels: LevelsOf(5), Code: "2.1",
		Difficulty: 2, Stem: "多选", Options: []string{"甲", "乙", "丙"}, Answer: Answer{Choice: "AC"}, Partial: PartialHalf, Score: 2, CreatedAt: now}
	form := func(q *Question, edit *Question, errs map[string]string) questionFormPage {
		f := formOf(q)
		return questionFormPage{Form: f, Edit: edit, TypeOK: q.Type.Label() != "", Options: optionRows(f), Rubric: rubricRows(f),
			Levels: levelOptions(q.Levels), Codes: codeOptions(std, true), Owners: []*rbac.OrgUnit{town}, MinDepth: 3,
			Types: Types, Pools: Pools, Partials: Partials, Errors: errs}
	}
	errs := map[string]string{"_": "总体错误", "stem": "题干错", "options": "选项错", "answer": "答案错", "partial": "给分错",
		"rubric": "细则错", "task": "任务错", "guide": "要点错", "levels": "等级错", "code": "代码错", "difficulty": "难度错",
		"score": "分值错", "pool": "题池错", "explanation": "解析错", "owner_org_id": "单位错", "type": "题型错"}
	list := questionListPage{Questions: []*Question{single, judge}, Filter: questionQuery{Type: "single", Level: 4, Code: "2", Limit: 50},
		Types: Types, Levels: levelOptions(LevelsOf(4)), Branches: codeOptions(std, false), CanAdd: true,
		Pager: web.Pager{Offset: 50, Limit: 50, Total: 130, Query: "type=single&level=4"}}
	show := func(q *Question, versions ...*Question) questionShowPage {
		o := optionRows(formOf(q))[:len(q.Options)]
		return questionShowPage{Q: q, Options: o, Branch: std.BranchName(q.Code), Versions: versions, LatestID: versions[0].ID, CanEdit: true}
	}
	return []pageCase{
		{"list", "question_list", page(list), []string{"第 51–100 条，共 130 条", "offset=100", `<option value="4" selected>`,
			`<option value="2" selected>`, "/questions/new?type=practical", "已停用", "材料不齐全时&lt;应当&gt;？", "v2"}, nil},
		{"list empty", "question_list", page(questionListPage{Types: Types, Levels: levelOptions(0)}), []string{"没有符合条件的题目"},
			[]string{"/questions/new"}},
		{"new single with errors", "question_form", page(form(single, nil, errs)), []string{`action="/questions"`,
			`type="radio" name="choice" value="B" aria-label="B 为正确答案" checked`, `value="一次性告知"`, "城关镇&lt;b&gt;中心",
			`<option value="2.1" selected>`, "总体错误", "选项错", "答案错", "单位错", "题型错", "分值错", `value="tok"`}, []string{"给分错"}},
		{"new multiple", "question_form", page(form(multiple, nil, nil)), []string{`type="checkbox" name="choice" value="C"`,
			`<option value="half" selected>`}, nil},
		{"edit judge", "question_form", page(form(judge, judge, nil)), []string{`action="/questions/20"`, `value="false" checked`,
			"编辑题目 #20（第1版）", "编辑时不能更改"}, []string{`id="owner_org_id"`}},
		{"new fill", "question_form", page(form(fill, nil, errs)), []string{"5｜五", "（　　）标出"}, nil},
		{"new short", "question_form", page(form(short, nil, errs)), []string{"评分要点", "要点错"}, nil},
		{"new practical", "question_form", page(form(practical, nil, errs)), []string{"任务卡内容", `value="核验身份"`,
			`name="points" value="6"`, "细则错", "留空则取评分细则合计"}, nil},
		{"new of no type", "question_form", page(questionFormPage{Types: Types, Errors: errs}), []string{"新建题目", "题型错"}, nil},
		{"show single", "question_show", page(show(single, single, &old)), []string{"正确答案", `<li class="right">`,
			"/questions/10", "第1版", "县中心培训师", "/questions/12/edit", "五级、四级", "2025-03-01", "data-confirm"}, nil},
		{"show old version", "question_show", page(show(&old, single, &old)), []string{"不是最新版本", `<a href="/questions/12">查看最新版本`},
			[]string{"/questions/10/edit"}},
		{"show retired judge", "question_show", page(show(judge, judge)), []string{"正确答案：<strong>错</strong>", "恢复使用", "将改为停用"}, nil},
		{"show fill", "question_show", page(show(fill, fill)), []string{"第1空", "<strong>五</strong>", "仅练习"}, nil},
		{"show practical", "question_show", page(show(practical, practical)), []string{"任务卡内容", "核验身份", "10 分"}, nil},
		{"show short read-only", "question_show", page(questionShowPage{Q: short, Versions: []*Question{short}}), []string{"评分要点"},
			[]string{"/questions/23/edit", "/remove"}},
		{"show multiple", "question_show", page(show(multiple, multiple)), []string{"AC", "少选得一半分"}, nil},
	}
}
