package paper

import (
	"testing"
	"time"

	"clerkskill/app/web"
	"clerkskill/app/web/webtest"
	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/rbac"
)

// TestEveryPaperPageRenders renders each blueprint_*.html and paper_*.html page with the
// handlers' data structs, empty and full, and fails when one of them has no case here.
func TestEveryPaperPageRenders(t *testing.T) {
	r := webtest.MustRenderer(t)
	viewer := &web.Viewer{ID: 2, Username: "trainer", DisplayName: "李<b>老师", Roles: []string{"trainer"}}
	b := &Blueprint{ID: 7, Name: "四级理论<方案>", Level: 4, Part: exams.PartTheory, Tolerance: 2, Mix: DefaultMix, Revision: 3,
		Rows: []Row{{Code: "2", Type: bank.Single, Count: 5, Points: 2.5}}, OwnerName: "青山县政务服务中心", UpdatedAt: time.Now(), Note: "说明文字"}
	bal := &Balance{Total: 95, Tolerance: 2, Shares: []Share{
		{Code: "1", Name: "咨询引导", Weight: 20, Marks: 20, Percent: 21.05, Deviation: 1.05, Within: true},
		{Code: "2", Name: "受理与初审", Weight: 25, Marks: 30, Percent: 31.58, Deviation: 6.58}}}
	short := []Shortage{{Code: "2", Name: "受理与初审", Type: bank.Single, Need: 8, Have: 5}}
	p := &Paper{ID: 9, Name: "四级固定卷", Level: 4, Part: exams.PartSkill, Tolerance: 2, Items: []PaperItem{{QuestionID: 3, Points: 35}},
		OwnerName: "城关镇便民服务中心", UpdatedAt: time.Now()}
	single := &bank.Question{ID: 3, FamilyID: 3, Version: 2, Type: bank.Single, Code: "2.1", Difficulty: 3, Stem: "题干<script>",
		Options: []string{"甲", "乙", "丙"}, Answer: bank.Answer{Choice: "B"}, Explanation: "解析文字"}
	prac := &bank.Question{ID: 4, FamilyID: 4, Version: 1, Type: bank.Practical, Code: "2", Difficulty: 4, Stem: "实操题干",
		Task: "任务卡内容", Rubric: []bank.Criterion{{Criterion: "核验身份", Points: 5}}}
	yes := true
	judge := &bank.Question{ID: 5, FamilyID: 5, Version: 1, Type: bank.Judge, Code: "1", Difficulty: 1, Stem: "判断题干", Answer: bank.Answer{Judge: &yes}}
	pv := &Preview{Seed: 42, Total: 100, Bands: [3]int{1, 1, 1}, Items: []PreviewItem{
		previewItem(Item{QuestionID: 3, Points: 2, Perm: []int{2, 0, 1}}, single),
		{Item: Item{QuestionID: 4, Points: 35}, No: 2, Question: prac},
		{Item: Item{QuestionID: 5, Points: 1}, No: 3, Question: judge},
		{Item: Item{QuestionID: 6, Points: 1}, No: 4}}}
	owners := []*rbac.OrgUnit{{ID: 3, Name: "青山县政务服务中心"}}
	f := formOf(b)
	cases := []webtest.Case{
		{Name: "list", Page: "blueprint_list", Data: page(viewer, blueprintListPage{Blueprints: []*Blueprint{b}, Levels: levelOptions(4), Parts: partOptions("theory"), CanWrite: true}),
			Want: []string{"四级理论&lt;方案&gt;", "/blueprints/new", "±2", "四级", "理论知识", `href="/blueprints/7/preview"`}},
		{Name: "list empty", Page: "blueprint_list", Data: page(viewer, blueprintListPage{Levels: levelOptions(0), Parts: partOptions("")}),
			Want: []string{"还没有组卷方案"}, Absent: []string{"/blueprints/new"}},
		{Name: "show", Page: "blueprint_show", Data: page(viewer, blueprintShowPage{B: b, Rows: []rowView{{Row: b.Rows[0], Name: "受理与初审"}},
			Balance: bal, Shortages: short, CanEdit: true, Outdated: true}),
			Want: []string{"受理与初审：单选题缺 3 题", "&#43;6.58 超出", `class="out"`, "21.05%", "2.5", "12.5", "现行标准已更新", "/blueprints/7/edit", "易 30%"}},
		{Name: "show ok", Page: "blueprint_show", Data: page(viewer, blueprintShowPage{B: b, Balance: &Balance{Total: 100, Tolerance: 2}}),
			Absent: []string{"超出", "/blueprints/7/edit", "抽不满"}},
		{Name: "form new", Page: "blueprint_form", Data: page(viewer, blueprintFormPage{Form: blueprintForm{Level: 5, Part: "theory", Tolerance: "2"},
			Rows: blueprintForm{}.formRows(4), Levels: levelOptions(5), Parts: partOptions("theory"), Branches: []branchOption{{Code: "2", Name: "受理与初审"}, {Code: "2.1", Name: "材料接收", Depth: 1}},
			Types: typeOptions, Owners: owners, Weights: []exams.Weight{{Code: "2", Percent: 25}}}),
			Want: []string{`action="/blueprints"`, `name="owner_org_id"`, "2 25%", `<option value="2.1">　2.1 材料接收`, "新建组卷方案"}},
		{Name: "form errors", Page: "blueprint_form", Data: page(viewer, blueprintFormPage{Form: f, Edit: b, Rows: f.formRows(4), Levels: levelOptions(4),
			Parts: partOptions("theory"), Branches: []branchOption{{Code: "2", Name: "受理与初审"}}, Types: typeOptions, Balance: bal,
			Errors: map[string]string{"branch.2": "2 受理与初审：偏差超出"}}),
			Want: []string{`action="/blueprints/7"`, `value="3"`, "2 受理与初审：偏差超出", `<option value="2" selected>`, "按本次提交计算"}, Absent: []string{`name="owner_org_id"`}},
		{Name: "preview", Page: "paper_preview", Data: page(viewer, previewPage{Name: b.Name, Title: b.Title(), Back: "/blueprints/7", P: pv, Reroll: 99}),
			Want: []string{"随机种子 <span class=\"mono\">42</span>", `href="/blueprints/7/preview?seed=99"`, "题干&lt;script&gt;", "A. 丙", `<li class="right">C. 乙`,
				"答案：C", "任务卡内容", "核验身份（5 分）", "答案：对", "题目已不在题库中", "解析文字"}},
		{Name: "preview short", Page: "paper_preview", Data: page(viewer, previewPage{Name: b.Name, Back: "/blueprints/7", P: &Preview{Seed: 1, Shortages: short}}),
			Want: []string{"无法组卷", "单选题缺 3 题"}},
		{Name: "paper list", Page: "paper_list", Data: page(viewer, paperListPage{Papers: []*Paper{p}, Levels: levelOptions(4), Parts: partOptions("skill"), CanWrite: true}),
			Want: []string{"四级固定卷", "技能考核", "35", "/papers/new"}},
		{Name: "paper list empty", Page: "paper_list", Data: page(viewer, paperListPage{Levels: levelOptions(0), Parts: partOptions("")}), Want: []string{"还没有固定试卷"}},
		{Name: "paper show", Page: "paper_show", Data: page(viewer, paperShowPage{P: p, Items: []paperItemView{{No: 1, Points: 35, Q: prac}, {No: 2, Points: 1}},
			Balance: bal, CanEdit: true}), Want: []string{"实操题干", "#4", "题目已不在题库中", "/papers/9/edit", "&#43;6.58"}},
		{Name: "paper form", Page: "paper_form", Data: page(viewer, paperFormPage{Form: paperForm{Level: 4, Part: "skill", Items: "4 35\n"}, Levels: levelOptions(4),
			Parts: partOptions("skill"), Owners: owners, Errors: map[string]string{"item.1": "第1题：题目 #4 不存在"}}),
			Want: []string{"4 35", "第1题：题目 #4 不存在", `action="/papers"`}},
	}
	webtest.Pages(t, r, append(r.PagesWithPrefix("blueprint_"), r.PagesWithPrefix("paper_")...), cases)
}

func page(v *web.Viewer, data any) web.Page {
	return web.Page{Title: "组卷", User: v, CSRF: "tok", Data: data}
}
