package training_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/curriculum/training"
)

var evidenceLink = regexp.MustCompile(`href="(/hours/\d+/evidence)"`)

type webClient struct {
	env          *apptest.Env
	cookie, csrf string
}

func signIn(env *apptest.Env, user string) *webClient {
	tok := env.Login(user)
	return &webClient{env: env, cookie: tok, csrf: env.CSRFFor(tok)}
}

func (w *webClient) get(t *testing.T, path string, status int, want ...string) *apptest.Response {
	t.Helper()
	r := w.env.Do(apptest.Request{Method: "GET", Path: path, Cookie: w.cookie})
	check(t, "GET "+path, r, status, want)
	return r
}

func (w *webClient) post(t *testing.T, path string, form url.Values, status int, want ...string) *apptest.Response {
	t.Helper()
	form.Set("_csrf", w.csrf)
	r := w.env.Do(apptest.Request{Method: "POST", Path: path, Form: form, Cookie: w.cookie, CSRF: w.csrf})
	check(t, "POST "+path, r, status, want)
	return r
}

// upload posts a multipart form with one file field named evidence.
func (w *webClient) upload(t *testing.T, path string, fields map[string]string, name string, data []byte, status int, want ...string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	_ = mw.WriteField("_csrf", w.csrf)
	if name != "" {
		fw, _ := mw.CreateFormFile("evidence", name)
		_, _ = fw.Write(data)
	}
	_ = mw.Close()
	r := w.env.Do(apptest.Request{Method: "POST", Path: path, Body: buf.String(), ContentType: mw.FormDataContentType(), Cookie: w.cookie, CSRF: w.csrf})
	check(t, "POST "+path, r, status, want)
}

func check(t *testing.T, what string, r *apptest.Response, status int, want []string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d: %.600s", what, r.Status, status, r.Body)
	}
	for _, s := range want {
		if !strings.Contains(r.Body, s) && !strings.Contains(r.Header.Get("Location"), s) {
			t.Errorf("%s: lacks %q: %.600s", what, s, r.Body)
		}
	}
	if strings.Contains(r.Body, "style=") {
		t.Errorf("%s: inline style in the page", what)
	}
}

// TestEventPages: a trainer creates an event through the form, clerks register and sign
// in with the projected code on their pages, the trainer ticks a latecomer, and the
// clerk's own hours page shows the attendance.
func TestEventPages(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			tr := signIn(env, "trainer")
			start := env.Now.Now().In(training.China).Add(20 * time.Minute).Truncate(time.Minute)
			form := url.Values{"title": {"窗口服务礼仪分享会"}, "kind": {"sharing"}, "place": {"城关镇便民服务中心二楼"},
				"starts_at": {start.Format("2006-01-02T15:04")}, "ends_at": {start.Add(90 * time.Minute).Format("2006-01-02T15:04")},
				"capacity": {"2"}, "hours": {"1.5"}, "org_id": {fmt.Sprint(orgID(t, env, chengguanCode))}}
			bad := url.Values{"title": {"x"}, "kind": {"party"}, "capacity": {"0"}, "hours": {"0.25"}, "org_id": {fmt.Sprint(orgID(t, env, chengguanCode))}}
			tr.post(t, "/events", bad, 400, "标题须为2至100个字", "请选择活动类型", "请填写开始时间", "名额须为1至2000人", "最多一位小数")
			r := tr.post(t, "/events", form, 303)
			path := r.Header.Get("Location")[:strings.Index(r.Header.Get("Location"), "?")]
			tr.get(t, path, 200, "窗口服务礼仪分享会", "投屏签到码", "还没有人报名")
			tr.get(t, "/events?kind=sharing", 200, "窗口服务礼仪分享会", "0/2")
			code := tr.get(t, path+"/code", 200, "请打开“活动签到”", "training.js")
			digits := codeOf(t, code.Body)

			a, b, c := signIn(env, "clerk061"), signIn(env, "clerk062"), signIn(env, "clerk063")
			a.get(t, "/events/mine", 200, "窗口服务礼仪分享会", "剩余 2 / 2", `action="/events/checkin"`)
			signIn(env, "clerk091").get(t, "/events/mine", 200, "目前没有面向您所在单位的培训活动")
			id := strings.TrimPrefix(path, "/events/")
			a.post(t, "/events/register", url.Values{"event_id": {id}}, 303, "%E6%8A%A5%E5%90%8D%E6%88%90%E5%8A%9F")
			b.post(t, "/events/register", url.Values{"event_id": {id}}, 303)
			c.post(t, "/events/register", url.Values{"event_id": {id}}, 400, "名额已满")
			a.post(t, "/events/checkin", url.Values{"event_id": {id}, "code": {wrong(digits)}}, 400, "签到码不正确")
			a.post(t, "/events/checkin", url.Values{"event_id": {id}, "code": {digits}}, 303)
			b.post(t, "/events/checkin", url.Values{"event_id": {id}, "code": {digits}}, 400, "已被他人使用")
			a.get(t, "/events/mine", 200, "已签到")
			tr.get(t, path+"/code", 200, "已签到 <span id=\"code-attended\">1</span>")
			tr.post(t, path+"/attendance", url.Values{"usernames": {"clerk063"}}, 303, "%E5%B7%B2%E7%AD%BE%E5%88%B0+1+%E4%BA%BA")
			tr.post(t, path+"/attendance", url.Values{"usernames": {"clerk091"}}, 400, "不在本活动的参加范围内")
			tr.post(t, path+"/attendance", url.Values{"usernames": {"nobody"}}, 400, "没有这个用户名")
			tr.get(t, path, 200, "培训师勾选", "签到码")
			year := fmt.Sprint(training.YearOf(start))
			a.get(t, "/hours/me?year="+year, 200, "窗口服务礼仪分享会", `<span id="year-hours">1.5</span>`, "活动参加")
			c.get(t, "/hours/me?year="+year, 200, `<span id="year-hours">1.5</span>`)
			b.get(t, "/hours/me?year="+year, 200, `<span id="year-hours">0</span>`)
			a.post(t, "/events/cancel", url.Values{"event_id": {id}}, 400, "不能取消报名")
		})
	}
}

// codeOf reads the six-digit code from the projector page.
func codeOf(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `id="code" aria-live="polite">`)
	if i < 0 {
		t.Fatalf("no code on the projector page: %.400s", body)
	}
	s := body[i+len(`id="code" aria-live="polite">`):]
	return s[:6]
}

// TestHoursPages: HR records external training with a real PDF and is refused a
// disguised one, downloads the evidence, voids an entry, and reads the report; a
// township HR sees only its own township.
func TestHoursPages(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			seedReportSet(t, env)
			hr := signIn(env, "hr")
			fields := map[string]string{"user": "clerk010", "title": "市级综窗业务培训班", "provider": "临江市政务服务管理局", "hours": "12", "date": "2026-05-20"}
			hr.upload(t, "/hours", fields, "通知.pdf", []byte("<!doctype html><html><body>not a pdf</body></html>"), 400, "PDF、PNG或JPEG")
			hr.upload(t, "/hours", fields, "证书.pdf", pngBytes, 400, "扩展名与文件内容不符")
			fields["user"] = "clerk999"
			hr.upload(t, "/hours", fields, "", nil, 400, "没有这个用户名的在册人员")
			fields["user"] = "clerk010"
			hr.upload(t, "/hours", fields, "证书.pdf", pdfBytes, 303)
			list := hr.get(t, "/hours?year=2026&user=clerk010", 200, "市级综窗业务培训班", "证书.pdf").Body
			m := evidenceLink.FindStringSubmatch(list)
			if m == nil {
				t.Fatalf("no evidence link: %.800s", list)
			}
			href := m[1]
			r := hr.get(t, href, 200)
			if r.Header.Get("Content-Type") != "application/pdf" || r.Body != string(pdfBytes) {
				t.Errorf("evidence download: %s %q", r.Header.Get("Content-Type"), r.Body)
			}
			entryPath := strings.TrimSuffix(href, "/evidence")
			hr.post(t, entryPath+"/void", url.Values{}, 400, "作废原因")
			hr.post(t, entryPath+"/void", url.Values{"reason": {"证书日期与培训日期不符"}}, 303)
			hr.get(t, "/hours?year=2026&user=clerk010&voided=1", 200, "已作废", "证书日期与培训日期不符")
			hr.get(t, "/hours?year=2026&user=nobody", 200, "没有找到该用户名的在册人员")
			hr.get(t, "/reports/training?year=2026", 200, `<span class="num" id="total-hours">28.5</span>`, "城关镇便民服务中心", "<svg", "青山县政务服务中心（本级）")
			hr.get(t, "/reports/training?year=2026&view=courses", 200, "群众心理与沟通技巧讲座", "外部培训（合计）")
			hr.get(t, fmt.Sprintf("/reports/training?year=2026&view=people&org=%d", orgID(t, env, chengguanCode)), 200, "clerk061", "下一页")

			cg := signIn(env, "hr.chengguan")
			cg.get(t, "/reports/training?year=2026", 200, "城关镇便民服务中心（本级）", `id="total-hours">14<`)
			cg.get(t, fmt.Sprintf("/reports/training?org=%d", orgID(t, env, countyCode)), 404)
			cg.get(t, "/hours?year=2026&user=clerk091", 200, "没有找到该用户名的在册人员")
			cg.get(t, href, 404)
			signIn(env, "clerk061").get(t, "/hours", 403)
		})
	}
}
