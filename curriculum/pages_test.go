package curriculum

import (
	"testing"
	"time"

	"clerkskill/app/web"
	"clerkskill/app/web/webtest"
	"clerkskill/exams"
	"clerkskill/rbac"
)

// pageFixture is a course with two modules, lessons (one optional, one with an image, a
// video and a PDF) and a published revision behind a draft.
func pageFixture() (*Course, *Revision) {
	now := time.Now()
	att := []*Attachment{{ID: 1, Name: "示意图.png", MIME: "image/png", Size: 2048}, {ID: 2, Name: "讲解.mp4", MIME: "video/mp4", Size: 3 << 20},
		{ID: 3, Name: "办事指南.pdf", MIME: "application/pdf", Size: 900}}
	l1 := &Lesson{ID: 11, Key: 11, Title: "着装要求", Body: "## 着装\n\n- 工装<script>x</script>", Required: true, Minutes: 10, Attachments: att, Done: true}
	l2 := &Lesson{ID: 12, Key: 12, Title: "文明用语", Body: "您好", Required: true, VideoURL: "https://video.example/1"}
	l3 := &Lesson{ID: 13, Key: 13, Title: "拓展阅读", Body: "选学"}
	r := &Revision{Revision: 2, Status: StatusDraft, Title: "窗口服务礼仪<b>", Summary: "简介", Kind: KindTheory, Levels: []int{5, 4},
		Codes: []string{"0.2"}, ClassHours: 4, CreatedAt: now,
		Modules: []*Module{{ID: 1, Title: "仪容仪表", Lessons: []*Lesson{l1}}, {ID: 2, Title: "接待用语", Lessons: []*Lesson{l2, l3}}, {ID: 3, Title: "空模块"}}}
	c := &Course{ID: 7, Code: "LY-01", OwnerOrgID: 3, OwnerName: "青山县政务服务中心", Shared: true, PublishedRev: 1, LatestRev: 2, Rev: r}
	return c, r
}

// TestEveryCurriculumPageRenders renders each course_, lesson_ and learn_ page with the
// handlers' data structs, full and empty.
func TestEveryCurriculumPageRenders(t *testing.T) {
	r := webtest.MustRenderer(t)
	std, err := exams.DefaultStandard()
	if err != nil {
		t.Fatal(err)
	}
	c, rev := pageFixture()
	done := time.Now()
	trainer := &web.Viewer{ID: 2, Username: "trainer", DisplayName: "培训师", Roles: []string{"trainer"}}
	clerk := &web.Viewer{ID: 5, Username: "clerk061", DisplayName: "王芳", Roles: []string{"trainee"}}
	page := func(v *web.Viewer, data any) web.Page {
		return web.Page{Title: "页面", User: v, CSRF: "tok", Data: data}
	}
	units := []*rbac.OrgUnit{{ID: 3, Name: "青山县政务服务中心"}}
	card := &Card{Course: c, Enrollment: &Enrollment{Revision: 1}, Done: 1, Required: 2, Due: &Due{On: "2026-12-31", Overdue: true}, Outdated: true}
	finished := &Card{Course: c, Enrollment: &Enrollment{Revision: 2, CompletedAt: &done}, Done: 2, Required: 2}
	fresh := &Card{Course: c, Required: 2}
	view := &LessonView{Course: c, Revision: rev, Lesson: rev.Modules[0].Lessons[0], Enrollment: card.Enrollment, Next: rev.Modules[1].Lessons[0], Index: 1, Total: 3}
	last := &LessonView{Course: c, Revision: rev, Lesson: rev.Modules[1].Lessons[0], Enrollment: card.Enrollment, Prev: rev.Modules[0].Lessons[0], Index: 3, Total: 3}
	asg := &Assignment{ID: 4, CourseCode: "LY-01", CourseTitle: "礼仪", TargetName: "城关镇便民服务中心", OrgID: new(int64(4)), DueOn: "2026-01-01",
		DueAt: time.Now().Add(-time.Hour), People: 30, Completed: 3, Overdue: 27}
	over := OverduePerson{Username: "clerk061", Name: "王芳", OrgName: "城关镇便民服务中心", CourseTitle: "礼仪", DueOn: "2026-01-01"}
	cases := []webtest.Case{
		{Name: "list", Page: "course_list", Data: page(trainer, listPage{Courses: []*Course{c}, Shared: []*Course{c}, CanWrite: true, Units: units, Pager: web.Pager{Limit: 50, Total: 1}}),
			Want: []string{"LY-01", "窗口服务礼仪&lt;b&gt;", "已发布（有未发布的修改）", "复制为草稿", "五级、四级"}},
		{Name: "list empty", Page: "course_list", Data: page(trainer, listPage{}), Want: []string{"还没有课程", "暂无其他单位共享的课程"}},
		{Name: "new", Page: "course_form", Data: page(trainer, formPage{Meta: Meta{Kind: KindTheory, Levels: []int{5}}, Units: units, Levels: levelOptions([]int{5}), Codes: codeOptions(std, nil), Kinds: Kinds}),
			Want: []string{`action="/courses"`, "基本要求", "模拟窗口实操", `value="5" checked`}},
		{Name: "edit with errors", Page: "course_form", Data: page(trainer, formPage{Course: c, Meta: Meta{Code: "LY-01", Codes: []string{"1.1"}}, Errors: map[string]string{"title": "课程名称不能为空", "_": "课程代码 LY-01 已被使用"},
			Units: units, Levels: levelOptions(nil), Codes: codeOptions(std, []string{"1.1"}), Kinds: Kinds}), Want: []string{"课程名称不能为空", "已被使用", `value="1.1" checked`, "生成新的草稿版本"}},
		{Name: "show", Page: "course_show", Data: page(trainer, showPage{Course: c, Rev: rev, CanWrite: true}),
			Want: []string{"发布第 2 版", "着装要求", "选学", "附件 3", "添加课节", "删除模块", "第1版"}},
		{Name: "show read-only", Page: "course_show", Data: page(trainer, showPage{Course: &Course{ID: 8, LatestRev: 1, Rev: &Revision{Title: "空课程"}}, Rev: &Revision{Revision: 1, Title: "空课程"}}),
			Want: []string{"课程还没有模块"}, Absent: []string{"添加模块"}},
		{Name: "lesson form", Page: "lesson_form", Data: page(trainer, lessonPage{Course: c, Lesson: rev.Modules[0].Lessons[0], Preview: RenderMarkdown("**粗**<script>x</script>"), MaxMB: 15}),
			Want: []string{"<strong>粗</strong>", "示意图.png", "course.js", `enctype="multipart/form-data"`, "15 MB"}, Absent: []string{"<script>x"}},
		{Name: "assignments", Page: "course_assignments", Data: page(trainer, assignPage{Assignments: []*Assignment{asg}, Overdue: []OverduePerson{over}, Courses: []*Course{c}, Units: units, Now: time.Now(), Today: "2026-01-02"}),
			Want: []string{"城关镇便民服务中心（全体人员）", "已到期", "逾期未完成（1 人次）", "clerk061", "未开始"}},
		{Name: "assignments empty", Page: "course_assignments", Data: page(trainer, assignPage{}), Want: []string{"没有逾期未完成", "暂无可指派", "暂无指派"}},
		{Name: "catalogue", Page: "learn_home", Data: page(clerk, cataloguePage{Assigned: []*Card{card}, Rest: []*Card{finished, fresh}, Overdue: 1}),
			Want: []string{"1 门指派课程已过截止日期", "已逾期", "已学 1/2 节", "已完成", "未开始", "有新版本"}},
		{Name: "catalogue empty", Page: "learn_home", Data: page(clerk, cataloguePage{}), Want: []string{"目前没有指派给您的课程", "暂无可学的课程"}},
		{Name: "learn course", Page: "learn_course", Data: page(clerk, learnCoursePage{Card: card, Revision: rev, Next: rev.Modules[1].Lessons[0]}),
			Want: []string{"切换到新版本", "继续学习：文明用语", "已学", "截止日期 2026-12-31"}},
		{Name: "learn course done", Page: "learn_course", Data: page(clerk, learnCoursePage{Card: finished, Revision: rev}), Want: []string{"完成本课程"}},
		{Name: "learn course fresh", Page: "learn_course", Data: page(clerk, learnCoursePage{Card: fresh, Revision: rev, Next: rev.Modules[0].Lessons[0]}), Want: []string{"开始学习：着装要求"}},
		{Name: "reader", Page: "learn_lesson", Data: page(clerk, readerPage{LessonView: view, Body: RenderMarkdown(view.Lesson.Body)}),
			Want:   []string{"第 1/3 节", "<h2>着装</h2>", `<img src="/learn/attachments/1"`, `<video controls preload="none"`, "办事指南.pdf", "学完了，下一节", "本节已学完"},
			Absent: []string{"<script>x"}},
		{Name: "reader last", Page: "learn_lesson", Data: page(clerk, readerPage{LessonView: last, Body: RenderMarkdown(last.Lesson.Body)}),
			Want: []string{"学完了，完成本课", "‹ 上一节", "在新窗口打开视频"}},
	}
	cases = append(cases, quizPageCases(page, trainer, clerk, c, card)...)
	owned := append(append(r.PagesWithPrefix("course_"), r.PagesWithPrefix("lesson_")...), r.PagesWithPrefix("learn_")...)
	webtest.Pages(t, r, owned, cases)
}
