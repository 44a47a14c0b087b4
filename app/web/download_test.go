package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

// body is 26 bytes, so every range is easy to check by eye.
const body = "abcdefghijklmnopqrstuvwxyz"

var modTime = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)

// closeCounter is an open file that counts Close calls: every answer must close it once.
type closeCounter struct {
	io.ReadSeeker
	closed *int
}

func (c closeCounter) Close() error { *c.closed++; return nil }

func downloadApp(closed *int) *fiber.App {
	a := fiber.New()
	a.Get("/f", func(c *fiber.Ctx) error {
		d := web.Download{Name: "办事指南 (2026).pdf", Type: "application/pdf", Size: int64(len(body)), ModTime: modTime, ETag: "k1", MaxAge: time.Hour}
		return web.ServeContent(c, d, closeCounter{strings.NewReader(body), closed})
	})
	return a
}

func TestServeContent(t *testing.T) {
	lastMod := modTime.Format(http.TimeFormat)
	for _, tc := range []struct {
		name         string
		header       map[string]string
		status       int
		body         string
		contentRange string
	}{
		{"no range: whole file", nil, 200, body, ""},
		{"first ten bytes", map[string]string{"Range": "bytes=0-9"}, 206, "abcdefghij", "bytes 0-9/26"},
		{"last five bytes", map[string]string{"Range": "bytes=-5"}, 206, "vwxyz", "bytes 21-25/26"},
		{"from byte ten on", map[string]string{"Range": "bytes=10-"}, 206, body[10:], "bytes 10-25/26"},
		{"end beyond size is cut", map[string]string{"Range": "bytes=20-99"}, 206, "uvwxyz", "bytes 20-25/26"},
		{"suffix longer than file", map[string]string{"Range": "bytes=-100"}, 206, body, "bytes 0-25/26"},
		{"several ranges: whole body", map[string]string{"Range": "bytes=0-1,5-6"}, 200, body, ""},
		{"bad syntax: ignored", map[string]string{"Range": "bytes=x-3"}, 200, body, ""},
		{"reversed range: ignored", map[string]string{"Range": "bytes=9-3"}, 200, body, ""},
		{"other unit: ignored", map[string]string{"Range": "lines=1-2"}, 200, body, ""},
		{"signed number: ignored", map[string]string{"Range": "bytes=+1-3"}, 200, body, ""},
		{"start beyond size", map[string]string{"Range": "bytes=26-"}, 416, "", "bytes */26"},
		{"empty suffix", map[string]string{"Range": "bytes=-0"}, 416, "", "bytes */26"},
		{"etag matches", map[string]string{"If-None-Match": `"k1"`}, 304, "", ""},
		{"etag in a list, weak", map[string]string{"If-None-Match": `"x", W/"k1"`}, 304, "", ""},
		{"etag differs", map[string]string{"If-None-Match": `"k0"`}, 200, body, ""},
		{"not modified since", map[string]string{"If-Modified-Since": lastMod}, 304, "", ""},
		{"modified since", map[string]string{"If-Modified-Since": modTime.Add(-time.Hour).Format(http.TimeFormat)}, 200, body, ""},
		{"if-none-match wins over date", map[string]string{"If-None-Match": `"k0"`, "If-Modified-Since": lastMod}, 200, body, ""},
		{"if-range etag matches", map[string]string{"Range": "bytes=0-2", "If-Range": `"k1"`}, 206, "abc", "bytes 0-2/26"},
		{"if-range etag stale: whole", map[string]string{"Range": "bytes=0-2", "If-Range": `"k0"`}, 200, body, ""},
		{"if-range date matches", map[string]string{"Range": "bytes=0-2", "If-Range": lastMod}, 206, "abc", "bytes 0-2/26"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			closed := 0
			req := httptest.NewRequest("GET", "/f", nil)
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			resp, err := downloadApp(&closed).Test(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status || (tc.status != 416 && string(got) != tc.body) || resp.Header.Get("Content-Range") != tc.contentRange {
				t.Errorf("%d %q Content-Range %q; want %d %q %q", resp.StatusCode, got, resp.Header.Get("Content-Range"), tc.status, tc.body, tc.contentRange)
			}
			if closed != 1 {
				t.Errorf("file closed %d times, want once", closed)
			}
			checkDownloadHeaders(t, resp, tc.status)
		})
	}
}

func checkDownloadHeaders(t *testing.T, resp *http.Response, status int) {
	t.Helper()
	want := map[string]string{
		"Content-Type": "application/pdf", "X-Content-Type-Options": "nosniff", "Accept-Ranges": "bytes",
		"Etag": `"k1"`, "Last-Modified": modTime.Format(http.TimeFormat), "Cache-Control": "private, max-age=3600",
		"Content-Disposition": `attachment; filename="____ (2026).pdf"; filename*=UTF-8''%E5%8A%9E%E4%BA%8B%E6%8C%87%E5%8D%97%20%282026%29.pdf`,
	}
	for k, v := range want {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	if status == 200 || status == 206 {
		if resp.ContentLength < 0 {
			t.Error("no Content-Length")
		}
	}
}

func TestContentDispositionQuotes(t *testing.T) {
	got := web.ContentDisposition("attachment", `a"b\c;d'e.txt`)
	want := `attachment; filename="a_b_c;d'e.txt"; filename*=UTF-8''a%22b%5Cc%3Bd%27e.txt`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestServeContentHead(t *testing.T) {
	closed := 0
	resp, err := downloadApp(&closed).Test(httptest.NewRequest("HEAD", "/f", nil))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || len(got) != 0 || resp.Header.Get("Content-Length") != "26" || closed != 1 {
		t.Errorf("HEAD: %d %q length %q closed %d", resp.StatusCode, got, resp.Header.Get("Content-Length"), closed)
	}
}
