package training_test

import (
	"fmt"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
)

// TestEvidenceDownload: evidence streams through GET /hours/:id/evidence with byte ranges,
// a 416 past the end, and a 304 for a copy the client already has; both stores.
func TestEvidenceDownload(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			hr := signIn(env, "hr")
			fields := map[string]string{"user": "clerk010", "title": "市级综窗业务培训班", "provider": "临江市政务服务管理局", "hours": "12", "date": "2026-05-20"}
			hr.upload(t, "/hours", fields, "结业证书 2026.pdf", pdfBytes, 303)
			m := evidenceLink.FindStringSubmatch(hr.get(t, "/hours?year=2026&user=clerk010", 200).Body)
			if m == nil {
				t.Fatal("no evidence link")
			}
			whole := hr.get(t, m[1], 200)
			if whole.Body != string(pdfBytes) || whole.Header.Get("Accept-Ranges") != "bytes" || whole.Header.Get("X-Content-Type-Options") != "nosniff" ||
				whole.Header.Get("Content-Disposition") != `attachment; filename="____ 2026.pdf"; filename*=UTF-8''%E7%BB%93%E4%B8%9A%E8%AF%81%E4%B9%A6%202026.pdf` {
				t.Errorf("whole file: %q %v", whole.Body, whole.Header)
			}
			n := len(pdfBytes)
			for _, c := range []struct {
				header       map[string]string
				status       int
				body, crange string
			}{
				{map[string]string{"Range": "bytes=0-7"}, 206, "%PDF-1.4", fmt.Sprintf("bytes 0-7/%d", n)},
				{map[string]string{"Range": "bytes=-6"}, 206, "%%EOF\n", fmt.Sprintf("bytes %d-%d/%d", n-6, n-1, n)},
				{map[string]string{"Range": "bytes=99999-"}, 416, "", fmt.Sprintf("bytes */%d", n)},
				{map[string]string{"If-None-Match": whole.Header.Get("ETag")}, 304, "", ""},
			} {
				r := env.Do(apptest.Request{Method: "GET", Path: m[1], Cookie: hr.cookie, Header: c.header})
				if r.Status != c.status || (c.status == 206 && r.Body != c.body) || r.Header.Get("Content-Range") != c.crange {
					t.Errorf("%v: %d %q %q", c.header, r.Status, r.Body, r.Header.Get("Content-Range"))
				}
			}
			signIn(env, "clerk001").get(t, m[1], 403) // clerks may not read hours records at all
		})
	}
}
