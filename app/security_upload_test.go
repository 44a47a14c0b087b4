package app_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"mime/multipart"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"clerkskill/app"
	"clerkskill/app/apptest"
	"clerkskill/rbac"
)

// Security: uploads. Every state-changing route refuses a declared body over the server's
// limit from the headers alone (413, without reading or buffering it); every upload route
// refuses a file over its own, smaller limit with 413 and a message naming the limit; every
// workbook import refuses a zip bomb, honest or lying about its size.

// TestSecurityOversizeBodyEveryRoute declares a 64 MiB body on every state-changing route
// and sends one byte of it: the answer must be 413 straight away.
func TestSecurityOversizeBodyEveryRoute(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		tok := env.Login("admin")
		csrf := env.CSRFFor(tok)
		addr := strings.TrimPrefix(env.Listen(), "http://")
		n := 0
		for _, route := range env.Srv.Routes {
			if route.Method == http.MethodGet {
				continue
			}
			n++
			path := strings.ReplaceAll(route.Path, ":id", "1")
			status, body := declareHuge(t, addr, route.Method, path, tok, csrf)
			if status != http.StatusRequestEntityTooLarge || !strings.Contains(body, "过大") {
				t.Errorf("%s %s with a 64 MiB body: %d %.120s, want 413 saying it is too large", route.Method, route.Path, status, body)
			}
		}
		if n < 50 {
			t.Fatalf("only %d state-changing routes walked", n)
		}
	})
}

func declareHuge(t *testing.T, addr, method, path, cookie, csrf string) (int, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nAccept: application/json\r\nCookie: %s=%s\r\nX-CSRF-Token: %s\r\n"+
		"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n-", method, path, addr, rbac.SessionCookie, cookie, csrf, 64<<20)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s %s: no answer before the body was sent: %v", method, path, err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

// uploadRoute is a route that takes a file: the field, and any other fields it needs
// before it looks at the file.
type uploadRoute struct {
	method, path, field, name string
	fields                    func(env *apptest.Env) map[string]string
	xlsx                      bool // a workbook import, tried with zip bombs too
}

func hoursFields(env *apptest.Env) map[string]string {
	u, err := env.Srv.RBAC.FindUserByUsername(context.Background(), "clerk012")
	if err != nil {
		env.T.Fatal(err)
	}
	return map[string]string{"user": "clerk012", "user_id": strconv.FormatInt(u.ID, 10), "title": "应急处置培训", "hours": "6", "date": "2026-08-08"}
}

// uploadRoutes lists every route that accepts a file. TestSecurityUploadRoutesKnown checks
// it against the OpenAPI document, so a new documented upload must be added here.
var uploadRoutes = []uploadRoute{
	{"POST", "/standard/import", "file", "standard.xlsx", nil, true},
	{"POST", "/api/v1/standard/import", "file", "standard.xlsx", nil, true},
	{"POST", "/questions/import", "file", "questions.xlsx", nil, true},
	{"POST", "/api/v1/questions/import", "file", "questions.xlsx", nil, true},
	{"POST", "/lessons/:id/attachments", "file", "资料.pdf", nil, false},
	{"POST", "/api/v1/courses/lessons/:id/attachments", "file", "资料.pdf", nil, false},
	{"POST", "/hours", "evidence", "证书.pdf", hoursFields, false},
	{"POST", "/api/v1/hours", "evidence", "证书.pdf", hoursFields, false},
	{"POST", "/pay/ratings/import", "file", "ratings.xlsx", nil, true},
	{"POST", "/api/v1/pay/ratings/import", "file", "ratings.xlsx", nil, true},
	{"POST", "/pay/workload/import", "file", "workload.xlsx", nil, true},
	{"POST", "/api/v1/pay/workload/import", "file", "workload.xlsx", nil, true},
	{"POST", "/exports/roster/import", "file", "roster.xlsx", nil, true},
	{"POST", "/api/v1/exports/roster/import", "file", "roster.xlsx", nil, true},
}

// TestSecurityUploadRoutesKnown: every API operation documented as multipart is in
// uploadRoutes, with its page twin when there is one, and every listed route is served.
func TestSecurityUploadRoutesKnown(t *testing.T) {
	env := apptest.New(t, "sqlite")
	b, err := app.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, u := range uploadRoutes {
		listed[u.method+" "+u.path] = true
	}
	var documented []string
	for p, ops := range doc.Paths {
		for m, raw := range ops {
			var op struct {
				RequestBody struct {
					Content map[string]json.RawMessage `json:"content"`
				} `json:"requestBody"`
			}
			if m == "parameters" || json.Unmarshal(raw, &op) != nil {
				continue
			}
			if _, ok := op.RequestBody.Content["multipart/form-data"]; ok {
				documented = append(documented, strings.ToUpper(m)+" "+strings.ReplaceAll(p, "{id}", ":id"))
			}
		}
	}
	sort.Strings(documented)
	for _, k := range documented {
		if !listed[k] {
			t.Errorf("%s takes a multipart upload but is not in uploadRoutes: add it (and its page twin)", k)
		}
	}
	served := map[string]bool{}
	for _, r := range env.Srv.Routes {
		served[r.Method+" "+r.Path] = true
	}
	for k := range listed {
		if !served[k] {
			t.Errorf("uploadRoutes lists %s, which no route serves", k)
		}
	}
	if len(documented) < 5 {
		t.Fatalf("only %d multipart operations in the OpenAPI document", len(documented))
	}
}

// TestSecurityUploadOverRouteLimit sends a 16 MiB file (under the server's 20 MiB body
// limit, over every upload route's own) to each upload route.
func TestSecurityUploadOverRouteLimit(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		fx := newFixture(t, env)
		big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{' '}, 16<<20)...)
		for _, u := range uploadRoutes {
			r := sendUpload(env, fx, u, u.name, big)
			if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(r.Body, "MB") && !strings.Contains(r.Body, "MiB") {
				t.Errorf("%s %s with a 16 MiB file: %d %.200s, want 413 naming the limit", u.method, u.path, r.Status, r.Body)
			}
		}
	})
}

// TestSecurityZipBombRefused sends each workbook import a zip that inflates to 80 MiB:
// one that says so in its headers and one that claims 1 KiB.
func TestSecurityZipBombRefused(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		fx := newFixture(t, env)
		for _, bomb := range []struct {
			what  string
			data  []byte
			codes []int
		}{
			{"honest", zipBomb(t, false), []int{http.StatusRequestEntityTooLarge}},
			{"lying", zipBomb(t, true), []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity}},
		} {
			for _, u := range uploadRoutes {
				if !u.xlsx {
					continue
				}
				start := time.Now()
				r := sendUpload(env, fx, u, u.name, bomb.data)
				if !containsInt(bomb.codes, r.Status) || strings.Contains(r.Body, "internal") {
					t.Errorf("%s %s with an %s zip bomb: %d %.200s, want one of %v", u.method, u.path, bomb.what, r.Status, r.Body, bomb.codes)
				}
				if bomb.what == "honest" && !strings.Contains(r.Body, "解压后超过") {
					t.Errorf("%s %s: the refusal does not say why: %.200s", u.method, u.path, r.Body)
				}
				if d := time.Since(start); d > 20*time.Second {
					t.Errorf("%s %s took %v on a zip bomb", u.method, u.path, d)
				}
			}
		}
	})
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// zipBomb is an xlsx-shaped zip whose sheet inflates to 80 MiB of spaces; when lying,
// its headers claim 1 KiB.
func zipBomb(t *testing.T, lying bool) []byte {
	t.Helper()
	sheet := bytes.Repeat([]byte{' '}, 80<<20)
	var deflated bytes.Buffer
	fw, _ := flate.NewWriter(&deflated, flate.BestCompression)
	_, _ = fw.Write(sheet)
	_ = fw.Close()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	ct, _ := zw.Create("[Content_Types].xml")
	_, _ = ct.Write([]byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
	h := &zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(sheet),
		CompressedSize64: uint64(deflated.Len()), UncompressedSize64: uint64(len(sheet))}
	if lying {
		h.UncompressedSize64 = 1 << 10
	}
	w, err := zw.CreateRaw(h)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write(deflated.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// sendUpload posts one file to u as the admin: by cookie and CSRF token for a page
// route, by bearer token for the API.
func sendUpload(env *apptest.Env, fx *fixture, u uploadRoute, name string, data []byte) *apptest.Response {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if u.fields != nil {
		for k, v := range u.fields(env) {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile(u.field, name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	path := u.path
	if strings.Contains(path, ":id") {
		path = strings.ReplaceAll(path, ":id", strconv.FormatInt(fx.lessonID("chengguan"), 10))
	}
	req := apptest.Request{Method: u.method, Path: path, Body: buf.String(), ContentType: mw.FormDataContentType(),
		Header: map[string]string{"Accept": "application/json"}}
	tok := env.Login("admin")
	if strings.HasPrefix(u.path, "/api/") {
		req.Token = tok
	} else if fx != nil {
		req.Cookie, req.CSRF = tok, fx.csrf(tok)
	} else {
		req.Cookie, req.CSRF = tok, env.CSRFFor(tok)
	}
	return env.Do(req)
}

func (fx *fixture) csrf(tok string) string {
	if fx.tokens[tok] == "" {
		fx.tokens[tok] = fx.env.CSRFFor(tok)
	}
	return fx.tokens[tok]
}
