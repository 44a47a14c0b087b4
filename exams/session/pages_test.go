package session

import (
	"testing"
	"time"

	"clerkskill/app/web"
	"clerkskill/app/web/webtest"
	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/rbac"
)

// TestEveryExamPageRenders renders each exam_*.html page with the handlers' data structs.
func TestEveryExamPageRenders(t *testing.T) {
	r := webtest.MustRenderer(t)
	viewer := &web.Viewer{ID: 5, Username: "clerk062", DisplayName: "李<b>静", Roles: []string{"trainee"}}
	page := func(d any) web.Page { return web.Page{Title: "考试", User: viewer, CSRF: "tok", Data: d} }
	now := time.Now()
	bp, pp := int64(7), int64(3)
	ss := &Session{ID: 9, Name: "城关镇五级<理论>考试", Level: 5, OrgName: "城关镇便民服务中心", OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour),
		Rooms: []string{"第一考场"}, ResultsHeld: true, Status: StatusScheduled,
		Parts: []*Part{{ID: 1, Kind: exams.PartTheory, DurationMinutes: 90, BlueprintID: &bp}, {ID: 2, Kind: exams.PartSkill, DurationMinutes: 60, PaperID: &pp}}}
	open := &Attempt{ID: 11, SessionID: 9, PartID: 1, Status: AttemptOpen, Deadline: now.Add(time.Hour)}
	closedAt := now
	closed := &Attempt{ID: 12, Status: AttemptClosed, ClosedBy: ClosedByDeadline, SubmittedAt: &closedAt}
	tr := true
	items := []*ItemView{
		{Idx: 0, Type: bank.Single, TypeLabel: "单选题", Stem: "题干<script>", Options: []string{"甲", "乙", "丙"}, Points: 2, Response: bank.Response{Choice: "B"}, Answered: true},
		{Idx: 1, Type: bank.Multiple, TypeLabel: "多选题", Stem: "多选", Options: []string{"甲", "乙"}, Points: 2, Flagged: true},
		{Idx: 2, Type: bank.Judge, TypeLabel: "判断题", Stem: "判断", Points: 1, Response: bank.Response{Judge: &tr}, Answered: true},
		{Idx: 3, Type: bank.Fill, TypeLabel: "填空题", Stem: "（　　）", Blanks: 2, Points: 2, Response: bank.Response{Blanks: []string{"一次性"}}},
		{Idx: 4, Type: bank.Practical, TypeLabel: "实操题", Stem: "实操", Task: "任务卡内容", Points: 10},
	}
	view := &PaperView{Attempt: open, SessionName: ss.Name, PartLabel: "理论知识", LevelName: "五级", SecondsLeft: 3599, Seq: 7, Items: items, Total: 5, Answered: 2, Flagged: 1}
	my := &MySession{Session: ss, Phase: "进行中", Room: "第一考场", Mine: []*MyPart{{Part: ss.Parts[0], Attempt: open}, {Part: ss.Parts[1]}}}
	std, err := exams.DefaultStandard()
	if err != nil {
		t.Fatal(err)
	}
	form := formOf(std, ss)
	form.Orgs, form.Errors = []*rbac.OrgUnit{{ID: 4, Name: "城关镇便民服务中心"}}, map[string]string{"name": "请填写场次名称"}
	cases := []webtest.Case{
		{Name: "list", Page: "exam_sessions", Data: page(listPage{Sessions: []*Session{ss}, CanWrite: true}), Want: []string{"城关镇五级&lt;理论&gt;考试", "理论知识、技能考核", "新建场次"}},
		{Name: "list empty", Page: "exam_sessions", Data: page(listPage{}), Want: []string{"还没有考试场次"}},
		{Name: "form", Page: "exam_session_form", Data: page(form), Want: []string{`name="blueprint_theory" id="blueprint_theory" inputmode="numeric" value="7"`, `value="3"`, "请填写场次名称", "标准不少于 90 分钟"}},
		{Name: "show", Page: "exam_session", Data: page(showPage{Session: ss, Phase: "进行中", CanWrite: true, Warnings: []string{"考场“第一考场”：需监考员"},
			Candidates: []*Candidate{{UserID: 3, Name: "王芳", Username: "clerk062", Room: "第一考场"}}, Staff: []*StaffMember{{UserID: 2, Role: RoleInvigilator, Name: "张老师", Username: "trainer"}},
			Orgs: form.Orgs}), Want: []string{"组卷方案 7", "固定试卷 3", "监考员", "王芳", "需监考员", "添加考生"}},
		{Name: "live", Page: "exam_live", Data: page(livePage{Session: ss, Phase: "进行中", Rows: []*LiveRow{{UserID: 3, PartID: 1, Name: "王芳", State: "作答中", AttemptID: 11, Answered: 2, Total: 5, SecondsLeft: 100, Warnings: 2, Recent: []string{"10:00:01 离开考试页面"}},
			{UserID: 4, PartID: 1, Name: "赵敏", State: "未开始"}}}), Want: []string{`data-key="3-1"`, "2/5", "离开考试页面", `action="/attempts/11/extend"`, "exam_live.js"}},
		{Name: "live empty", Page: "exam_live", Data: page(livePage{Session: ss}), Want: []string{"还没有考生"}},
		{Name: "home", Page: "exam_home", Data: page(myExamsPage{Open: []*MySession{my}, Done: []*MySession{my}, Now: now}), Want: []string{"继续作答", `data-start="2"`, "（缺考）"}},
		{Name: "home empty", Page: "exam_home", Data: page(myExamsPage{}), Want: []string{"现在没有可以参加的考试"}},
		{Name: "paper", Page: "exam_paper", Data: page(paperPage{view}), Want: []string{`data-seconds="3599"`, `data-seq="7"`, "题干&lt;script&gt;",
			`name="choice" value="B" checked`, `type="checkbox" name="choice" value="A"`, `value="true" checked`, `value="一次性"`, "任务卡内容", `name="flagged" checked`, "exam.js"}},
		{Name: "confirm", Page: "exam_confirm", Data: page(confirmPage{PaperView: view, Unanswered: []int{2, 4}, Flagged: []int{2}}), Want: []string{"第 2 题", "标记待检查", "确认交卷"}},
		{Name: "confirm all answered", Page: "exam_confirm", Data: page(confirmPage{PaperView: view}), Want: []string{"所有题目均已作答"}},
		{Name: "closed", Page: "exam_closed", Data: page(paperPage{&PaperView{Attempt: closed, SessionName: ss.Name, PartLabel: "理论知识", Total: 5, Answered: 2}}), Want: []string{"系统已自动收卷", "已作答 2 题"}},
	}
	webtest.Pages(t, r, r.PagesWithPrefix("exam_"), cases)
}
