package marking

import (
	"testing"
	"time"

	"clerkskill/app/web"
	"clerkskill/app/web/webtest"
	"clerkskill/exams/bank"
)

// TestEveryMarkingPageRenders renders each mark_*.html and result_*.html page with the
// handlers' data structs, empty and full, and fails when one of them has no case here.
func TestEveryMarkingPageRenders(t *testing.T) {
	r := webtest.MustRenderer(t)
	cases := pageCases()
	var cs []webtest.Case
	viewer := &web.Viewer{ID: 5, Username: "trainer", DisplayName: "培训师", Roles: []string{"trainer"}}
	for _, c := range cases {
		p := web.Page{Title: c.name, User: viewer, CSRF: "tok", Data: c.data}
		cs = append(cs, webtest.Case{Name: c.name, Page: c.page, Data: p, Want: c.want})
	}
	webtest.Pages(t, r, append(r.PagesWithPrefix("mark_"), r.PagesWithPrefix("result_")...), cs)
}

type pageCase struct {
	name, page string
	data       any
	want       []string
}

// pageCases are the render cases: each page empty and full, with the handlers' structs.
func pageCases() []pageCase {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	sess := &examSession{ID: 7, Name: "五级考核<第一场>", Level: 5, OrgName: "青山县政务服务中心", OpensAt: now, ClosesAt: now.Add(2 * time.Hour), ResultsHeld: true}
	row := &SessionRow{examSession: *sess, Results: 12, Pending: 3}
	prac := &bank.Question{ID: 31, Type: bank.Practical, Code: "4.2", Stem: "模拟窗口：送达证书", Task: "核验身份后送达", Score: 10,
		Rubric: []bank.Criterion{{Criterion: "核验身份", Points: 4}, {Criterion: "签收留档", Points: 6}}}
	short := &bank.Question{ID: 32, Type: bank.Short, Code: "3.1", Stem: "简述推送流转要求", Score: 10, Answer: bank.Answer{Guide: "推送及时、信息完整"}}
	item := &ItemMark{AttemptID: 41, Idx: 2, QuestionID: 31, Type: bank.Practical, Points: 30, Status: StatusArbitration, DoubleMarked: true}
	mine := &AssessorMark{Role: RoleFirst, Criteria: []float64{3, 4.5}, Raw: 7.5, Comment: "签收未留档"}
	others := []*AssessorMark{{Role: RoleFirst, Raw: 9, Criteria: []float64{4, 5}}, {Role: RoleSecond, Raw: 4, Criteria: []float64{1, 3}}}
	queue := &Queue{Session: sess, Others: 2,
		ToMark: []QueueItem{{AttemptID: 41, Idx: 2, Part: "skill", Type: bank.Practical, Code: "4.2", Points: 30, Role: RoleArbiter}},
		Done:   []QueueItem{{AttemptID: 42, Idx: 0, Part: "theory", Type: bank.Short, Points: 20, Status: StatusMarked, Mine: mine}}}
	result := &PartResult{Part: "theory", Score: 72.5, PassMark: 60, Passed: true, Complete: true,
		Branches: []BranchMark{{Code: "1", Name: "咨询引导", Earned: 18, Possible: 20, Percent: 90}}}
	part := &PartSummary{Part: "theory", PassMark: 60, Candidates: 3, Complete: 3, Passed: 2, Mean: 66.7, Bands: [10]int{5: 1, 7: 2}}
	review := &ReviewRequest{ID: 5, AttemptID: 41, Idx: 2, UserName: "王芳", Reason: "实操签收已留档", Status: ReviewOpen, OldScore: ptr(12.0), RequestedAt: now}
	answered := &ReviewRequest{ID: 6, UserName: "李强", Status: ReviewChanged, OldScore: ptr(10.0), NewScore: ptr(14.0), Answer: "复查录像后改分"}
	fac, disc := 0.95, -0.1
	stat := &ItemStat{Part: "theory", QuestionID: 3, Type: bank.Single, Code: "1.1", Stem: "题干", OwnerName: "城关镇便民服务中心", N: 9,
		Facility: &fac, Discrimination: &disc, Options: []OptionCount{{Letter: "A", Key: true, Count: 8}, {Letter: "B", Count: 0}}, Flags: []string{"过易", "干扰项B无人选择"}}
	until := now.Add(7 * 24 * time.Hour)
	released := &MySession{Session: sess, Released: true, ReleasedAt: &now, ReviewUntil: &until, CanReview: true,
		Parts: []MyPart{{Result: result, Items: []MyItem{{AttemptID: 41, Idx: 0, Type: bank.Single, Points: 2, Score: ptr(2.0)},
			{AttemptID: 41, Idx: 1, Type: bank.Short, Points: 20, Score: ptr(12.0), Review: answered}}}}}
	return []pageCase{
		{"sessions", "mark_sessions", sessionsPage{Sessions: []*SessionRow{row}}, []string{"五级考核&lt;第一场&gt;", `href="/marking/7"`, "/marking/7/sheet"}},
		{"sessions empty", "mark_sessions", sessionsPage{}, []string{"没有担任考评员"}},
		{"queue", "mark_queue", queuePage{queue}, []string{"第41号", "仲裁", `href="/marking/7/task?attempt=41&amp;idx=2"`, "7.5（初评）", "等待其他考评员"}},
		{"queue empty", "mark_queue", queuePage{&Queue{Session: sess}}, []string{"没有等待您评分的题目"}},
		{"task practical arbiter", "mark_task", taskPage{&Task{Session: sess, Item: item, Question: prac, Role: RoleArbiter, Others: others, Settings: &Settings{Margin: 2}}},
			[]string{"核验身份", `name="c"`, `max="4"`, "初评：9分（4 / 5）", "双评", "考生未在系统中作答", "marking.css"}},
		{"task short mine released", "mark_task", taskPage{&Task{Session: sess, Item: &ItemMark{AttemptID: 42, Type: bank.Short, Points: 20}, Question: short,
			Response: bank.Response{Text: "答<b>题"}, Role: RoleFirst, Mine: mine, Released: true, Settings: &Settings{}}},
			[]string{"推送及时", "答&lt;b&gt;题", `name="raw"`, `value="7.5"`, "成绩已发布，必填"}},
		{"task done by others", "mark_task", taskPage{&Task{Session: sess, Item: item, Question: prac, Settings: &Settings{}}}, []string{"已由其他考评员评完"}},
		{"sheet", "mark_sheet", sheetPage{&Sheet{Session: sess, Questions: []*bank.Question{prac, short}, Question: prac,
			Rows: []SheetRow{{AttemptID: 41, Name: "王芳", Seat: "A01", Criteria: []float64{4, 5.5}, Open: true, Status: StatusMarked}, {AttemptID: 43, Name: "李强", Status: StatusMarked}}}},
			[]string{`name="m_41_0_1"`, `value="5.5"`, "disabled", "核验身份（4）", `<option value="31" selected>`}},
		{"sheet none", "mark_sheet", sheetPage{&Sheet{Session: sess}}, []string{"没有实操题"}},
		{"result sessions", "result_sessions", sessionsPage{Sessions: []*SessionRow{row}}, []string{`href="/results/7/analysis"`, "暂不发布"}},
		{"result sessions empty", "result_sessions", sessionsPage{}, []string{"还没有考试成绩"}},
		{"results", "result_session", resultsPage{SessionResults: &SessionResults{Session: row, Settings: &Settings{ReviewDays: 7}, Parts: []*PartSummary{part},
			Rows: []*CandidateRow{{Name: "王芳", Results: []*PartResult{result}}, {Name: "李强", Results: []*PartResult{nil}}}, Reviews: []*ReviewRequest{review, answered}}, CanRelease: true},
			[]string{"发布成绩", "72.5（合格）", `<rect x="71" y="2" width="8" height="46">`, "70–79分：2人", `action="/results/reviews/5"`, "已改分，新分数14", "实操题双评"}},
		{"results released read-only", "result_session", resultsPage{SessionResults: &SessionResults{Session: row, Released: true, ReleasedAt: &now, Settings: &Settings{ReviewDays: 7}}},
			[]string{"已发布", "还没有成绩"}},
		{"analysis", "result_analysis", analysisPage{&Analysis{Session: row, Items: []*ItemStat{stat}, Flagged: 1}},
			[]string{`<rect width="95"`, "0.95", "-0.10", "A★：8", "干扰项B无人选择", "城关镇便民服务中心"}},
		{"analysis empty", "result_analysis", analysisPage{&Analysis{Session: row}}, []string{"还没有可分析"}},
		{"audit", "result_audit", auditPage{Session: row, Entries: []*AuditEntry{{AttemptID: 41, Idx: 1, At: now, NewScore: ptr(2.0), Source: SourceAuto, Reason: "客观题自动判分"},
			{AttemptID: 41, Idx: 2, ActorID: ptr(int64(3)), ActorName: "周立新", OldScore: ptr(12.0), NewScore: ptr(14.0), Source: SourceReview, Reason: "复核"}}},
			[]string{"系统", "周立新", "自动判分", "复核", "12"}},
		{"audit empty", "result_audit", auditPage{Session: row}, []string{"还没有评分记录"}},
		{"mine", "result_mine", minePage{Sessions: []*MySession{released, {Session: sess}}}, []string{"72.5分（合格", "1 咨询引导", "申请复核", "已改分：复查录像后改分", "成绩尚未发布"}},
		{"mine empty", "result_mine", minePage{}, []string{"还没有考试成绩"}},
	}
}
