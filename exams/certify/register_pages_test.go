package certify

import (
	"testing"
	"time"

	"clerkskill/app/web"
	"clerkskill/app/web/webtest"
	"clerkskill/exams"
	"clerkskill/rbac"
)

// TestEveryRegisterPageRenders renders each register_*.html page with the handlers' data
// structs, empty and full, and fails when one of them has no case here.
func TestEveryRegisterPageRenders(t *testing.T) {
	r := webtest.MustRenderer(t)
	viewer := &web.Viewer{ID: 9, Username: "hr", DisplayName: "县中心人事办", Roles: []string{"hr"}}
	var cs []webtest.Case
	for _, c := range regPageCases(t) {
		cs = append(cs, webtest.Case{Name: c.name, Page: c.page, Data: web.Page{Title: c.name, User: viewer, CSRF: "tok", Data: c.data}, Want: c.want, Absent: c.absent})
	}
	webtest.Pages(t, r, r.PagesWithPrefix("register_"), cs)
}

type regPageCase struct {
	name, page   string
	data         any
	want, absent []string
}

func regPageCases(t *testing.T) []regPageCase {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	sess := &AwardSession{ID: 7, Name: "二级<技师>认定", Level: 2, OrgName: "青山县政务服务中心"}
	until := rbac.Date{Time: time.Date(2029, 11, 19, 0, 0, 0, 0, time.UTC)}
	cert := &CertRow{Certificate: Certificate{ID: 3, Number: FormatNumber(2026, 4, 12), StaffID: 11, IDNumber: "990102199001011234", Name: "张晓明",
		Level: 2, Occupation: "政务服务综合窗口办事员", IssuedOn: rbac.Date{Time: now}, ValidUntil: &until, Status: CertValid, SessionID: &sess.ID,
		Parts: []PartScore{{Part: "theory", Score: 81, PassMark: 60, Passed: true}, {Part: "review", Score: 70.3, PassMark: 60, Passed: true}}},
		IssuerName: "青山县政务服务中心", StaffOrg: "城关镇便民服务中心", StateText: "有效"}
	revoked := &CertRow{Certificate: Certificate{ID: 4, Number: FormatNumber(2025, 4, 3), StaffID: 11, Name: "张晓明", Level: 5, Status: CertRevoked,
		RevokeClass: "考试违纪", StatusReason: "替考<已查实>", RevokedAt: &now}, IssuerName: "城关镇便民服务中心", StateText: "已撤销"}
	passed := []PartState{{PartScore{Part: "theory", Score: 81, PassMark: 60, Passed: true}, "理论知识", PartPassed},
		{PartScore{Part: "skill", Score: 55, PassMark: 60}, "技能考核", PartFailed}, {PartScore{Part: "review", PassMark: 60}, "综合评审", PartMissing}}
	dec := &Decisions{Session: sess, ReleasedAt: &now, Parts: []exams.Part{{Kind: "theory", PassMark: 60}, {Kind: "skill", PassMark: 60}, {Kind: "review", PassMark: 60}},
		Awardable: 1, Awarded: 1, Candidates: []*Candidate{
			{UserID: 21, StaffID: 11, Name: "王芳", EmpNo: "QS0001", Parts: passed, Proposal: ProposeFail, Reason: "技能考核不合格"},
			{UserID: 22, StaffID: 12, Name: "李强", Parts: passed, Proposal: ProposeAward, Reason: "各部分均合格"},
			{UserID: 23, StaffID: 13, Name: "赵敏", Parts: passed, Proposal: ProposeAwarded, Reason: "已发证", Certificate: &cert.Certificate}}}
	board := &ReviewBoard{Session: sess, HasReview: true, PassMark: 60, Panel: exams.ReviewPanel{MinMembers: 3, Odd: true},
		Assessors:  []Assessor{{UserID: 5, Name: "周立新"}, {UserID: 6, Name: "韩雪梅"}},
		Candidates: []*ReviewRow{{UserID: 21, Name: "王芳", Score: &ReviewScore{Score: 58.5, Members: []ReviewMember{{UserID: 5, Mark: 57}}}}, {UserID: 22, Name: "李强"}}}
	hist := &History{Person: &Person{ID: 11, Name: "张晓明", EmpNo: "QS0011", OrgName: "城关镇便民服务中心"}, Certificates: []*CertRow{cert, revoked},
		Posts: []*PostChange{{StaffID: 11, CertificateID: &cert.ID, FromPost: "综合受理窗口", ToPost: "综窗组长", ToGrade: "二档", EffectiveOn: rbac.Date{Time: now}}}}
	qr, err := QRSVG(VerifyURL("http://127.0.0.1:8080", cert.Number))
	if err != nil {
		t.Fatal(err)
	}
	printed := []PrintedCertificate{{Cert: cert, VerifyURL: VerifyURL("http://x", cert.Number), QR: qr}, {Cert: revoked, QR: qr}}
	v := cert.verification(now)
	rv := revoked.verification(now)
	return []regPageCase{
		{"review", "register_review", reviewBoardPage{board}, []string{"周立新", `name="mark_5"`, `value="57"`, "58.5", "不合格", "单数、不少于3人", "二级&lt;技师&gt;认定"}, nil},
		{"review none at level", "register_review", reviewBoardPage{&ReviewBoard{Session: &AwardSession{ID: 8, Level: 5}}}, []string{"不设综合评审"}, nil},
		{"awards", "register_awards", awardSessionsPage{[]*AwardSessionRow{{AwardSession: *sess, ReleasedAt: &now, Candidates: 3, Awarded: 1}}}, []string{`href="/awards/7"`, "批量打印"}, nil},
		{"awards empty", "register_awards", awardSessionsPage{}, []string{"还没有成绩已发布"}, nil},
		{"decisions", "register_decisions", decisionsPage{Decisions: dec, MaxYears: 20}, []string{`name="user_id" value="22"`, "技能考核不合格", "建议认定", "不予认定", "无成绩", cert.Number, "认定全部合格考生（1人）", `href="/reviews/7"`}, []string{`value="21"`}},
		{"decisions unreleased", "register_decisions", decisionsPage{Decisions: &Decisions{Session: sess}}, []string{"尚未发布", "本场次没有考生"}, []string{"认定所选考生"}},
		{"register", "register_list", registerPage{Rows: []*CertRow{cert, revoked}, Total: 2, Levels: levelOptions(), Statuses: statusOptions(),
			Query: registerQuery{Level: 2, Status: CertValid}, Units: []unitOption{{ID: 4, Name: "城关镇便民服务中心"}}, Next: "/certificates?page=2"},
			[]string{cert.Number, "有效期至2029年11月19日；到期前须", "长期有效", "已撤销", `<option value="2" selected>二级（技师）</option>`, `<option value="valid" selected>有效</option>`, "共2本", `href="/certificates?page=2"`}, nil},
		{"register empty", "register_list", registerPage{Levels: levelOptions(), Statuses: statusOptions()}, []string{"没有符合条件的证书"}, nil},
		{"certificate", "register_show", certificatePage{Cert: cert, VerifyURL: "http://x/verify?no=1", CanRevoke: true, Classes: RevokeClasses},
			[]string{"990***********1234", "理论知识 81.0分；综合评审 70.3分", "有效期至2029年11月19日；到期前须", "撤销证书", "考试违纪"}, nil},
		{"certificate revoked", "register_show", certificatePage{Cert: revoked}, []string{"已撤销", "替考&lt;已查实&gt;"}, []string{"撤销原因（必填）"}},
		{"history", "register_history", historyPage{History: hist, CanPost: true}, []string{"综合受理窗口 → 综窗组长（二档）", "记录定岗晋级", cert.Number, "考试违纪", "（未登记）"}, nil},
		{"history empty", "register_history", historyPage{History: &History{Person: &Person{ID: 2, Name: "李强"}}}, []string{"还没有等级证书", "还没有定岗晋级记录"}, []string{"记录定岗晋级"}},
		{"verify form", "register_verify", verifyPage{}, []string{`name="no"`}, []string{"证书编号校验位不符"}},
		{"verify valid", "register_verify", verifyPage{Number: cert.Number, Result: v}, []string{"张*明", "990***********1234", "✔ 有效", "二级（技师）"}, []string{"张晓明"}},
		{"verify revoked", "register_verify", verifyPage{Number: revoked.Number, Result: rv}, []string{"已撤销（撤销类别：考试违纪）", "撤销日期"}, []string{"替考"}},
		{"verify typo", "register_verify", verifyPage{Number: "1", Error: "证书编号校验位不符，请核对"}, []string{"证书编号校验位不符"}, nil},
		{"print", "register_print", printPage{Certificates: printed, Session: sess}, []string{"职业技能等级证书", "<svg class=\"cert-qr\"", "张晓明", "990102199001011234", "certificate_print.css", "不得作为有效证书使用", "data-print"}, nil},
		{"print none", "register_print", printPage{}, []string{"没有可打印的有效证书"}, []string{"data-print"}},
	}
}
