package training

import (
	"testing"
	"time"

	"clerkskill/app/web"
	"clerkskill/app/web/webtest"
)

// TestEveryTrainingPageRenders renders each event_, hours_ and report_ page with the
// handlers' data structs, empty and full, and fails when one of them has no case here.
func TestEveryTrainingPageRenders(t *testing.T) {
	r := webtest.MustRenderer(t)
	var owned []string
	for _, p := range []string{"event_", "hours_", "report_"} {
		owned = append(owned, r.PagesWithPrefix(p)...)
	}
	d := samplePages()
	webtest.Pages(t, r, owned, append(eventCases(d), hoursCases(d)...))
}

// pageData is the sample data the render cases share.
type pageData struct {
	trainer, clerk, hr *web.Viewer
	ev                 *Event
	regs               []*Registration
	orgs               []OrgOption
	entries            []*Entry
	pager              web.Pager
	course             int64
}

func page(u *web.Viewer, data any) web.Page {
	return web.Page{Title: "t", User: u, CSRF: "tok", Data: data}
}

func samplePages() pageData {
	trainer := &web.Viewer{ID: 2, Username: "trainer", DisplayName: "县中心培训师", Roles: []string{"trainer"}}
	clerk := &web.Viewer{ID: 5, Username: "clerk061", DisplayName: "王芳", Roles: []string{"trainee"}}
	hr := &web.Viewer{ID: 3, Username: "hr", DisplayName: "县中心人事办", Roles: []string{"hr"}}
	start := time.Date(2026, 3, 15, 6, 0, 0, 0, time.UTC)
	course := int64(7)
	ev := &Event{ID: 9, Title: "群众心理<b>疏导", Kind: KindLecture, Summary: "简介", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Place: "三楼培训室", Capacity: 40, Registered: 2, Hours: 1.5, OrgID: 3, OrgName: "青山县政务服务中心", CourseID: &course}
	at := start.Add(10 * time.Minute)
	regs := []*Registration{{EventID: 9, UserID: 5, Name: "王芳", Username: "clerk061", OrgName: "城关镇", AttendedAt: &at, AttendedVia: viaCode},
		{EventID: 9, UserID: 6, Name: "李强", Username: "clerk062", OrgName: "城关镇"}}
	orgs := []OrgOption{{ID: 3, Name: "青山县政务服务中心"}, {ID: 4, Name: "城关镇便民服务中心", Indent: "　"}}
	voided := start
	entries := []*Entry{{ID: 1, Source: SourceEvent, Title: "群众心理疏导", Hours: 1.5, EarnedAt: start, Name: "王芳", Username: "clerk061", OrgName: "城关镇"},
		{ID: 2, Source: SourceExternal, Title: "市级培训班", Provider: "临江市", Hours: 16, EarnedAt: start, Note: "凭证书",
			EvidenceName: "证书.pdf", EvidenceFile: "x.pdf", VoidedAt: &voided, VoidReason: "重复登记"}}
	pager := web.Pager{Limit: 50, Total: 2, Query: "year=2026"}
	return pageData{trainer: trainer, clerk: clerk, hr: hr, ev: ev, regs: regs, orgs: orgs, entries: entries, pager: pager, course: course}
}

func eventCases(d pageData) []webtest.Case {
	trainer, clerk, ev, regs, orgs, pager := d.trainer, d.clerk, d.ev, d.regs, d.orgs, d.pager
	cases := []webtest.Case{
		{Name: "event list", Page: "event_list", Data: page(trainer, eventListPage{Events: []*Event{ev}, Kinds: Kinds, Years: []int{2026}, Orgs: orgs, Pager: pager, CanWrite: true}),
			Want: []string{"群众心理&lt;b&gt;疏导", "2026-03-15 14:00–16:00", "2/40", `href="/events/new"`}},
		{Name: "event list empty", Page: "event_list", Data: page(trainer, eventListPage{Kinds: Kinds}), Want: []string{"没有符合条件的活动"}, Absent: []string{"/events/new"}},
		{Name: "event form", Page: "event_form", Data: page(trainer, eventFormPage{Form: eventForm{Kind: "sharing", OrgID: "4"}, Audience: map[int64]bool{4: true},
			Orgs: orgs, Kinds: Kinds, Errors: map[string]string{"title": "标题须为2至100个字"}}), Want: []string{`<option value="sharing" selected>`, `<option value="4" selected>　城关镇`, "标题须为2至100个字"}},
		{Name: "event show", Page: "event_show", Data: page(trainer, eventShowPage{Event: ev, Registrations: regs, Attended: 1, SignInOpen: true, CanWrite: true}),
			Want: []string{"投屏签到码", `name="user_id" value="6"`, "已签到", "签到码", "课程 #7"}},
		{Name: "event show read only", Page: "event_show", Data: page(trainer, eventShowPage{Event: ev, Errors: map[string]string{"usernames": "x"}}),
			Want: []string{"还没有人报名"}, Absent: []string{"投屏签到码", "确认签到"}},
		{Name: "code open", Page: "event_code", Data: page(trainer, eventCodePage{Event: ev, Code: &Code{Open: true, Code: "482913", Attended: 3}}),
			Want: []string{"482913", "training.js", `data-code-url="/api/v1/events/9/code"`}},
		{Name: "code closed", Page: "event_code", Data: page(trainer, eventCodePage{Event: ev, Code: &Code{Message: "签到时间为活动开始前30分钟至结束后30分钟"}}), Want: []string{"签到时间为"}},
		{Name: "my events", Page: "event_mine", Data: page(clerk, myEventsPage{Events: []*OpenEvent{{Event: ev, CanSignIn: true}, {Event: &Event{ID: 10, Title: "已签到的活动", Kind: KindPractice, Capacity: 5},
			Mine: regs[0]}, {Event: &Event{ID: 11, Title: "满员", Kind: KindSharing, Capacity: 1, Registered: 1}},
			{Event: &Event{ID: 12, Title: "下周讲座", Kind: KindLecture, Capacity: 10}}}, ErrEvent: 9, Errors: map[string]string{"code": "签到码不正确"}}),
			Want: []string{`action="/events/checkin"`, "签到码不正确", "已签到", "名额已满", `action="/events/register"`}},
		{Name: "my events empty", Page: "event_mine", Data: page(clerk, myEventsPage{}), Want: []string{"目前没有面向您所在单位的培训活动"}},
	}
	return append(cases, changeCases(d)...)
}

// changeCases render the pages of editing and cancelling an event.
func changeCases(d pageData) []webtest.Case {
	trainer, clerk, ev, regs, orgs := d.trainer, d.clerk, d.ev, d.regs, d.orgs
	at := ev.StartsAt.Add(-time.Hour)
	gone := *ev
	gone.Status, gone.CancelReason, gone.CancelledAt = StatusCancelled, "讲师临时出差", &at
	return []webtest.Case{
		{Name: "event edit form", Page: "event_form", Data: page(trainer, eventFormPage{Form: formOf(ev), Audience: map[int64]bool{3: true}, Orgs: orgs, Kinds: Kinds, Event: ev,
			TimesFixed: "活动已开始，时间不能再修改", HoursFixed: "已有 1 人签到并记入学时，学时不能再修改", Errors: map[string]string{"capacity": "名额不能少于已报名人数（2 人）"}}),
			Want: []string{"修改培训活动", `action="/events/9/edit"`, `value="2026-03-15T14:00" required readonly`, "时间不能再修改", "学时不能再修改", "名额不能少于已报名人数（2 人）",
				"青山县政务服务中心（不可修改）", `href="/events/9"`},
			Absent: []string{`name="org_id"`, `name="course_id"`}},
		{Name: "event show with edit and cancel", Page: "event_show", Data: page(trainer, eventShowPage{Event: ev, Registrations: regs, CanWrite: true, Errors: map[string]string{"reason": "请填写取消原因（2至200字）"}}),
			Want: []string{`href="/events/9/edit"`, `action="/events/9/cancel"`, "data-confirm=", "请填写取消原因"}, Absent: []string{`id="cancelled"`, `id="event-status"`}},
		{Name: "event show cancelled", Page: "event_show", Data: page(trainer, eventShowPage{Event: &gone, Registrations: regs, CanWrite: true, SignInOpen: false}),
			Want:   []string{"已取消", "讲师临时出差", "2026-03-15 13:00", "李强"},
			Absent: []string{"/events/9/edit", "/events/9/cancel", "确认签到", "投屏签到码", `name="user_id"`}},
		{Name: "event list cancelled", Page: "event_list", Data: page(trainer, eventListPage{Events: []*Event{&gone, ev}, Kinds: Kinds}),
			Want: []string{`<tr class="cancelled">`, `<span class="tag cancelled">已取消</span>`}},
		{Name: "my events cancelled", Page: "event_mine", Data: page(clerk, myEventsPage{Events: []*OpenEvent{{Event: &gone, Mine: regs[1]}},
			Problems: []string{"活动已取消（场地维修），不能再报名"}}),
			Want: []string{"已取消", "讲师临时出差", "报名已关闭", "活动已取消（场地维修），不能再报名"}, Absent: []string{"/events/register", "/events/cancel", "/events/checkin"}},
	}
}

func hoursCases(d pageData) []webtest.Case {
	hr, clerk, orgs, entries, pager, course := d.hr, d.clerk, d.orgs, d.entries, d.pager, d.course
	units := []UnitRow{{OrgID: 3, Name: "青山县政务服务中心", Own: true, People: 60, Hours: 12}, {OrgID: 4, Name: "城关镇便民服务中心", People: 30, Learners: 2, Hours: 14}}
	report := reportPage{View: viewUnits, Year: 2026, OrgID: 3, Orgs: orgs, Years: []int{2026, 2025}, Sources: Sources, Units: units,
		Total: UnitRow{People: 90, Hours: 26}, Chart: unitChart(units, ReportFilter{Year: 2026}), Pager: pager}
	courses := []CourseRow{{Source: SourceCourse, CourseID: &course, Title: "课程 #7", People: 2, Entries: 2, Hours: 16}}
	people := []PersonRow{{UserID: 5, Name: "王芳", Username: "clerk061", OrgName: "城关镇", Hours: 11, Attendances: 1}}
	return []webtest.Case{
		{Name: "hours list", Page: "hours_list", Data: page(hr, hoursListPage{Entries: entries, Year: 2026, Orgs: orgs, Years: []int{2026}, Sources: Sources, Pager: pager, CanWrite: true}),
			Want: []string{"活动参加", `action="/hours/1/void"`, "已作废", "重复登记", `href="/hours/2/evidence"`}},
		{Name: "hours list empty", Page: "hours_list", Data: page(hr, hoursListPage{Message: "没有找到该用户名的在册人员"}), Want: []string{"没有符合条件的学时记录", "没有找到"}},
		{Name: "external form", Page: "hours_form", Data: page(hr, externalPage{Form: externalForm{User: "clerk061"}, MaxMB: 5, Errors: map[string]string{"evidence": "扩展名与文件内容不符"}}),
			Want: []string{`enctype="multipart/form-data"`, "扩展名与文件内容不符", `value="clerk061"`}},
		{Name: "my hours", Page: "hours_mine", Data: page(clerk, myHoursPage{Totals: []YearTotal{{Year: 2026, Hours: 11, Entries: 2}, {Year: 2025, Hours: 8, Entries: 1}},
			Year: 2026, Hours: 11, Entries: entries[:1], Pager: pager}), Want: []string{"2026年：11 学时", `href="/hours/me?year=2025"`, "群众心理疏导"}},
		{Name: "my hours empty", Page: "hours_mine", Data: page(clerk, myHoursPage{Year: 2026}), Want: []string{"还没有学时记录"}},
		{Name: "report units", Page: "report_training", Data: page(hr, report), Want: []string{"青山县政务服务中心（本级）", "<svg", `class="hbar"`, `width="360"`, "training.css", "人均学时"}},
		{Name: "report courses", Page: "report_training", Data: page(hr, reportPage{View: viewCourses, Year: 2026, Courses: courses, Chart: courseChart(courses)}), Want: []string{"课程 #7", "课程学习"}},
		{Name: "report people", Page: "report_training", Data: page(hr, reportPage{View: viewPeople, Year: 2026, People: people, Chart: personChart(people)}),
			Want: []string{"clerk061", `href="/hours?year=2026&amp;user=clerk061"`}},
		{Name: "report empty", Page: "report_training", Data: page(hr, reportPage{View: viewUnits, Year: 2026}), Want: []string{"没有可统计的数据", "没有下级单位"}},
	}
}
