package practice

import (
	"testing"
	"time"

	"clerkskill/app/web"
	"clerkskill/app/web/webtest"
	"clerkskill/exams/bank"
)

// TestEveryPracticePageRenders renders each practice_*.html page with the handlers' data
// structs, empty and full, and fails when one of them has no case here.
func TestEveryPracticePageRenders(t *testing.T) {
	r, err := web.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	viewer := &web.Viewer{ID: 5, Username: "clerk061", DisplayName: "王<b>芳", Roles: []string{"trainee"}}
	single := &Item{ID: 3, FamilyID: 3, Type: bank.Single, TypeLabel: "单选题", Code: "1.1", BranchName: "咨询解答", Stem: "题干<script>", Options: []string{"甲", "乙"}, Score: 2}
	multi := &Item{ID: 4, Type: bank.Multiple, TypeLabel: "多选题", Stem: "多选", Options: []string{"甲", "乙", "丙"}, Score: 2}
	judge := &Item{ID: 5, Type: bank.Judge, TypeLabel: "判断题", Stem: "判断", Score: 1}
	fill := &Item{ID: 6, Type: bank.Fill, TypeLabel: "填空题", Stem: "（　　）与（　　）", Blanks: 2, Score: 2}
	short := &Item{ID: 7, Type: bank.Short, TypeLabel: "简答题", Stem: "简述", Score: 10}
	prac := &Item{ID: 8, Type: bank.Practical, TypeLabel: "实操题", Stem: "实操", Task: "任务卡内容", Score: 10}
	normal := Choice{Level: 5, Branch: "1.1", Mode: ModeNormal}
	wrong := Choice{Mode: ModeWrong}
	f, tr := false, true
	prog := &Progress{Level: 5, Branches: []BranchProgress{{Code: "1", Name: "咨询引导", Percent: 20, Answered: 4, Graded: 4, Correct: 3, Available: 9},
		{Code: "0.2", Name: "基础知识", Percent: 25}}, Total: BranchProgress{Answered: 4, Graded: 4, Correct: 3, Available: 9}}
	entry := &WrongEntry{FamilyID: 3, QuestionID: 3, WrongCount: 2, LastAnswer: bank.Response{Choice: "B"}, LastWrongAt: time.Now(),
		Question: &bank.Question{ID: 3, Type: bank.Single, Version: 2, Status: bank.StatusActive, Levels: bank.LevelsOf(5), Code: "1.1",
			Stem: "错题题干", Options: []string{"甲", "乙"}, Answer: bank.Answer{Choice: "A"}, Explanation: "错题解析"}}
	gone := &WrongEntry{FamilyID: 9, WrongCount: 1, LastAnswer: bank.Response{Text: "答"}, LastWrongAt: time.Now()}
	cases := []struct {
		name, page string
		data       any
		want       []string
	}{
		{"home", "practice_home", homePage{Level: 5, Branch: "1.1", Levels: levelOptions(5), Branches: []branchOption{{Code: "1", Name: "咨询引导"}, {Code: "1.1", Name: "咨询解答", Depth: 1}},
			Progress: prog, Notebook: 2, LevelName: "五级"}, []string{`<option value="1.1" selected>　1.1 咨询解答`, "错题本（2）", `<rect width="75"`, "practice.js"}},
		{"home empty", "practice_home", homePage{Level: 5, Levels: levelOptions(5), Progress: &Progress{Level: 5}}, nil},
		{"single", "practice_question", questionPage{&Served{Token: "abc", Question: single, Choice: normal}},
			[]string{`value="abc"`, `type="radio" id="opt-A" name="choice" value="A" data-key="A" data-num="1"`, "题干&lt;script&gt;", `href="/practice/next?code=1.1&amp;level=5&amp;mode=normal"`}},
		{"multiple", "practice_question", questionPage{&Served{Token: "abc", Question: multi, Choice: normal}}, []string{`type="checkbox" id="opt-C"`}},
		{"judge", "practice_question", questionPage{&Served{Token: "abc", Question: judge, Choice: normal}}, []string{`id="judge-false"`}},
		{"fill", "practice_question", questionPage{&Served{Token: "abc", Question: fill, Choice: normal}}, []string{`id="blank-1"`, "第 2 空"}},
		{"short", "practice_question", questionPage{&Served{Token: "abc", Question: short, Choice: wrong, Remaining: 3}}, []string{`<textarea id="text"`, "错题本还有 3 题"}},
		{"practical", "practice_question", questionPage{&Served{Token: "abc", Question: prac, Choice: normal}}, []string{"任务卡内容"}},
		{"nothing left", "practice_question", questionPage{&Served{Choice: wrong, Message: "错题本里没有可重练的题目了"}}, []string{"错题本里没有可重练的题目了"}},
		{"feedback wrong", "practice_feedback", feedbackPage{&Feedback{Token: "abc", Question: single, Objective: true, Correct: &f, MaxPoints: 2,
			Answer: bank.Answer{Choice: "A"}, KeyText: "A", Explanation: "解析<i>", Response: bank.Response{Choice: "B"}, InNotebook: true, Choice: normal}},
			[]string{"回答错误", `id="key">A<`, "解析&lt;i&gt;", "答对一次即移出错题本", `data-next`}},
		{"feedback right repeat", "practice_feedback", feedbackPage{&Feedback{Question: single, Objective: true, Correct: &tr, Points: 2, MaxPoints: 2,
			LeftNotebook: true, Repeat: true, Choice: wrong}}, []string{"回答正确", "已移出错题本", "已提交过", `href="/practice/next?mode=wrong"`}},
		{"feedback short unmarked", "practice_feedback", feedbackPage{&Feedback{Token: "abc", Question: short, Answer: bank.Answer{Guide: "要点"}, Choice: normal}},
			[]string{"要点", `value="yes"`, `value="no"`, `action="/practice/mark"`}},
		{"feedback practical marked", "practice_feedback", feedbackPage{&Feedback{Question: prac, SelfMarked: &f, Correct: &f, InNotebook: true,
			Rubric: []bank.Criterion{{Criterion: "核验身份", Points: 4}}, Choice: normal}}, []string{"已记录自评：没掌握", "核验身份", "评分细则"}},
		{"wrongbook", "practice_wrongbook", wrongBookPage{Entries: []*WrongEntry{entry, gone}}, []string{"错题题干", "B. 乙", "错题解析", "题目已不在题库中", "错题重练"}},
		{"wrongbook empty", "practice_wrongbook", wrongBookPage{}, []string{"错题本是空的"}},
		{"progress", "practice_progress", progressPage{Progress: prog, Levels: levelOptions(5)}, []string{"1 咨询引导", "75%", `<rect width="75"`, "合计"}},
		{"progress empty", "practice_progress", progressPage{Progress: &Progress{Level: 3}, Levels: levelOptions(3)}, []string{"三级"}},
	}
	var cs []webtest.Case
	for _, c := range cases {
		p := web.Page{Title: c.name, User: viewer, CSRF: "tok", Data: c.data}
		cs = append(cs, webtest.Case{Name: c.name, Page: c.page, Data: p, Want: c.want, Absent: []string{"<script>题"}})
	}
	webtest.Pages(t, r, r.PagesWithPrefix("practice_"), cs)
}
