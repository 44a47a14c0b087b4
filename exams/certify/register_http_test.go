package certify_test

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/exams/certify"
)

// TestAwardOverHTTP: HR of another township gets 404 for a 城关镇 session and awards
// nothing; 城关镇's HR awards through the API; an anonymous visitor verifies the number,
// sees the revocation once HR revokes it, and a mistyped number is refused.
func TestAwardOverHTTP(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			f := newRegFixture(t, dialect)
			sid, ids := f.session(5, "theory", "skill")
			f.passed(sid, ids, f.clerks[0])
			path := fmt.Sprintf("/api/v1/awards/%d", sid)
			body := map[string]any{"all": true}
			for _, who := range []string{"hr.donghu"} {
				r := f.env.Do(apptest.Request{Method: "POST", Path: path, JSON: body, Token: f.env.Login(who)})
				if r.Status != 404 || f.certCount() != 0 {
					t.Fatalf("%s awards out of scope: %d %s", who, r.Status, r.Body)
				}
			}
			if r := f.env.Do(apptest.Request{Method: "GET", Path: path, Token: f.env.Login("trainer")}); r.Status != 403 {
				t.Fatalf("trainer reads decisions: %d", r.Status)
			}
			r := f.env.Do(apptest.Request{Method: "POST", Path: path, JSON: body, Token: f.env.Login("hr.chengguan")})
			var out struct{ Certificates []certify.Certificate }
			r.JSON(t, &out)
			if r.Status != 200 || len(out.Certificates) != 1 {
				t.Fatalf("award: %d %s", r.Status, r.Body)
			}
			c := out.Certificates[0]
			verify := "/api/v1/verify?no=" + url.QueryEscape(c.Number)
			if r := f.env.Do(apptest.Request{Method: "GET", Path: verify}); r.Status != 200 || !strings.Contains(r.Body, `"status_text":"有效"`) || strings.Contains(r.Body, c.Name) {
				t.Fatalf("verify: %d %s", r.Status, r.Body)
			}
			revoke := apptest.Request{Method: "POST", Path: fmt.Sprintf("/api/v1/certificates/%d/revoke", c.ID),
				JSON: map[string]string{"class": "申报材料不实", "reason": "工作年限证明系伪造，经核查属实"}}
			revoke.Token = f.env.Login("hr.donghu")
			if r := f.env.Do(revoke); r.Status != 404 {
				t.Fatalf("revoke out of scope: %d", r.Status)
			}
			revoke.Token = f.env.Login("hr")
			if r := f.env.Do(revoke); r.Status != 200 {
				t.Fatalf("revoke: %d %s", r.Status, r.Body)
			}
			page := f.env.Do(apptest.Request{Method: "GET", Path: "/verify?no=" + url.QueryEscape(c.Number)})
			if page.Status != 200 || !strings.Contains(page.Body, "已撤销（撤销类别：申报材料不实）") || strings.Contains(page.Body, "伪造") {
				t.Fatalf("verify page after revocation: %d %.400s", page.Status, page.Body)
			}
			typo := c.Number[:5] + string("1234567890"[c.Number[5]-'0']) + c.Number[6:]
			if r := f.env.Do(apptest.Request{Method: "GET", Path: "/api/v1/verify?no=" + typo}); r.Status != 400 || !strings.Contains(r.Body, "证书编号校验位不符") {
				t.Fatalf("typo %s: %d %s", typo, r.Status, r.Body)
			}
		})
	}
}

// TestVerifyIsThrottled: one address gets a limited number of lookups a minute, counted on
// the server's clock: once the minute is over, it may look up again.
func TestVerifyIsThrottled(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := apptest.New(t, dialect)
			no := certify.FormatNumber(2026, 4, 1)
			got := map[int]int{}
			var last *apptest.Response
			for range 30 {
				last = env.Do(apptest.Request{Method: "GET", Path: "/api/v1/verify?no=" + no})
				got[last.Status]++
			}
			if got[404] != 20 || got[429] != 10 || !strings.Contains(last.Body, "查询过于频繁") {
				t.Fatalf("statuses %v, want 20 lookups then 429: %s", got, last.Body)
			}
			wait, err := strconv.Atoi(last.Header.Get("Retry-After"))
			if err != nil || wait < 1 || wait > 60 {
				t.Fatalf("429 with Retry-After %q, want the seconds left of the minute", last.Header.Get("Retry-After"))
			}
			env.Now.Advance(time.Duration(wait) * time.Second)
			if r := env.Do(apptest.Request{Method: "GET", Path: "/api/v1/verify?no=" + no}); r.Status != 404 {
				t.Errorf("after Retry-After on the server's clock: %d %s", r.Status, r.Body)
			}
		})
	}
}

func TestRegisterPagesOverHTTP(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			f := newRegFixture(t, dialect)
			sid, ids := f.session(5, "theory", "skill")
			f.passed(sid, ids, f.clerks[0])
			certs, err := f.award(sid, f.clerks[0])
			if err != nil {
				t.Fatal(err)
			}
			hr := f.env.Login("hr.chengguan")
			for _, tc := range []struct{ path, want string }{
				{fmt.Sprintf("/awards/%d", sid), "已认定"},
				{"/certificates?level=5&status=valid", certs[0].Number},
				{fmt.Sprintf("/certificates/%d", certs[0].ID), "撤销证书"},
				{fmt.Sprintf("/certificates/%d/print", certs[0].ID), "cert-qr"},
				{fmt.Sprintf("/awards/%d/print", sid), f.clerks[0].name},
				{fmt.Sprintf("/staff/%d/levels", f.clerks[0].staff), "记录定岗晋级"},
			} {
				r := f.env.Do(apptest.Request{Method: "GET", Path: tc.path, Token: hr})
				if r.Status != 200 || !strings.Contains(r.Body, tc.want) {
					t.Errorf("%s: %d, want %q in %.300s", tc.path, r.Status, tc.want, r.Body)
				}
			}
			other := f.env.Login("hr.donghu")
			if r := f.env.Do(apptest.Request{Method: "GET", Path: fmt.Sprintf("/certificates/%d", certs[0].ID), Token: other}); r.Status != 404 {
				t.Errorf("certificate out of scope: %d", r.Status)
			}
		})
	}
}
