package curriculum_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"clerkskill/app/apptest"
)

// mp4 is the head of an MP4 file (an ftyp box) and some media bytes after it.
var mp4 = append([]byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"), bytes.Repeat([]byte("视频数据"), 100)...)

// TestAttachmentRanges: a lesson video streams with byte ranges (what a player asks for
// when seeking) to the learner and the trainer, a range past the end answers 416, a copy
// the browser holds answers 304, and someone the lesson is not open to gets not-found.
func TestAttachmentRanges(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, _ *ledger) {
		c := mustCourse(t, env, "VIDEO-1", "QS", false)
		a, err := env.Srv.Courses.AddAttachment(t.Context(), c.Lessons[0].ID, "接待演示（第1段）.mp4", mp4)
		if err != nil || a.MIME != "video/mp4" {
			t.Fatalf("video: %+v %v", a, err)
		}
		if _, err := env.Srv.Courses.Publish(t.Context(), 0, c.ID); err != nil {
			t.Fatal(err)
		}
		cl := signIn(env, "clerk061")
		cl.get(t, fmt.Sprintf("/learn/lessons/%d", c.Lessons[0].ID), 200, fmt.Sprintf(`<video controls preload="none" src="/learn/attachments/%d">`, a.ID))
		n := len(mp4)
		for _, who := range []struct {
			client *webClient
			path   string
		}{
			{cl, fmt.Sprintf("/learn/attachments/%d", a.ID)},
			{signIn(env, "trainer"), fmt.Sprintf("/attachments/%d", a.ID)},
		} {
			whole := who.client.get(t, who.path, 200)
			if whole.Body != string(mp4) || whole.Header.Get("Content-Type") != "video/mp4" || whole.Header.Get("Accept-Ranges") != "bytes" ||
				whole.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(whole.Header.Get("Content-Disposition"), "filename*=UTF-8''%E6%8E%A5%E5%BE%85") {
				t.Errorf("%s: whole file: %v", who.path, whole.Header)
			}
			for _, c := range []struct {
				header       map[string]string
				status       int
				body, crange string
			}{
				{map[string]string{"Range": "bytes=0-7"}, 206, string(mp4[:8]), fmt.Sprintf("bytes 0-7/%d", n)},
				{map[string]string{"Range": "bytes=-12"}, 206, string(mp4[n-12:]), fmt.Sprintf("bytes %d-%d/%d", n-12, n-1, n)},
				{map[string]string{"Range": "bytes=100-"}, 206, string(mp4[100:]), fmt.Sprintf("bytes 100-%d/%d", n-1, n)},
				{map[string]string{"Range": fmt.Sprintf("bytes=%d-", n)}, 416, "", fmt.Sprintf("bytes */%d", n)},
				{map[string]string{"If-None-Match": whole.Header.Get("ETag")}, 304, "", ""},
			} {
				r := env.Do(apptest.Request{Method: "GET", Path: who.path, Cookie: who.client.cookie, Header: c.header})
				if r.Status != c.status || (c.status == 206 && r.Body != c.body) || r.Header.Get("Content-Range") != c.crange {
					t.Errorf("%s %v: %d %d bytes %q", who.path, c.header, r.Status, len(r.Body), r.Header.Get("Content-Range"))
				}
			}
		}
		tok := grantTrainer(t, env, "clerk062", "QS-DH") // a sibling township's trainer
		if r := env.Do(apptest.Request{Method: "GET", Path: fmt.Sprintf("/attachments/%d", a.ID), Token: tok, Header: map[string]string{"Range": "bytes=0-7"}}); r.Status != 404 {
			t.Errorf("out-of-scope trainer: %d", r.Status)
		}
	})
}
