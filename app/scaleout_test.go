package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app"
	"clerkskill/app/db"
	"clerkskill/app/db/dbtest"
	"clerkskill/exports"
	"clerkskill/rbac"
)

// grantPropagation is how soon a grant or revocation made through one instance must be
// enforced by the others.
const grantPropagation = 2 * time.Second

// scaleClock is the clock both instances share; the test moves it past exam deadlines.
type scaleClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *scaleClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *scaleClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.off += d
	c.mu.Unlock()
}

// scaleInstance is one `clerkskill serve` on a loopback port with its own connection pool.
type scaleInstance struct {
	srv  *app.Server
	db   *bun.DB
	base string
}

// TestScaleOutTwoInstances runs two servers over one PostgreSQL schema, each with its own
// pool and listener, as two processes behind a load balancer would, and checks over HTTP
// that sessions, grants, export jobs, the exam sweep and uploaded files are right
// whichever one answers.
func TestScaleOutTwoInstances(t *testing.T) {
	if len(dbtest.Dialects(t)) < 2 { // under CI=true a missing TEST_DATABASE_URL fails instead
		t.Skip("several instances need PostgreSQL: set TEST_DATABASE_URL (SQLite serves one instance)")
	}
	clock := &scaleClock{}
	dsn := dbtest.DSN(t, "postgres")
	dbA, dbB := openSharedPG(t, dsn), openSharedPG(t, dsn)
	migrateAtOnce(t, dbA, dbB)
	a := startScaleInstance(t, dbA, clock, true)
	b := startScaleInstance(t, dbB, clock, false)
	for _, in := range []*scaleInstance{a, b} {
		pollUntil(t, "grant listener up", time.Now(), 10*time.Second, in.srv.RBAC.Listening)
	}
	t.Run("session made on A works on B", func(t *testing.T) { sessionsAreShared(t, a, b) })
	t.Run("failed logins on A and B count together", func(t *testing.T) { throttleIsShared(t, a, b) })
	t.Run("certificate look-ups on A and B count together", func(t *testing.T) { verifyLimitIsShared(t, a, b, clock) })
	t.Run("grant and revocation through A enforced by B", func(t *testing.T) { grantsPropagate(t, a, b) })
	t.Run("export queued on A runs once and downloads from both", func(t *testing.T) { exportsAreShared(t, a, b) })
	t.Run("error reports of imports refused on A download from B", func(t *testing.T) { importReportsAreShared(t, a, b) })
	t.Run("exam sweep on both closes and marks each attempt once", func(t *testing.T) { sweepRunsOnce(t, a, b, clock) })
	t.Run("attachment uploaded on A downloads byte-identical from B", func(t *testing.T) { attachmentsAreShared(t, a, b) })
}

func openSharedPG(t *testing.T, dsn string) *bun.DB {
	t.Helper()
	d, err := db.Open(context.Background(), dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// migrateAtOnce starts both instances' migrations at once, as a rolling start would.
func migrateAtOnce(t *testing.T, dbs ...*bun.DB) {
	t.Helper()
	errs := make(chan error, len(dbs))
	for _, d := range dbs {
		go func() { _, err := db.Migrate(context.Background(), d); errs <- err }()
	}
	for range dbs {
		if err := <-errs; err != nil {
			t.Fatalf("migrate: %v", err)
		}
	}
}

func startScaleInstance(t *testing.T, d *bun.DB, clock *scaleClock, seed bool) *scaleInstance {
	t.Helper()
	ctx := context.Background()
	srv, err := app.NewServer(ctx, app.TestConfig(), d, slog.New(slog.NewTextHandler(io.Discard, nil)), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	if seed {
		if _, err := srv.RBAC.SeedDemo(ctx); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(sctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	return &scaleInstance{srv: srv, db: d, base: "http://" + ln.Addr().String()}
}

// pollUntil polls cond every 10 ms until it holds or limit has passed since start, and
// returns how long after start it held.
func pollUntil(t *testing.T, what string, start time.Time, limit time.Duration, cond func() bool) time.Duration {
	t.Helper()
	for !cond() {
		if time.Since(start) > limit {
			t.Fatalf("%s: not within %v", what, limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start)
}

// call sends one request with a bearer token (or, with cookie set, a session cookie) and
// returns the status and body.
func (in *scaleInstance) call(t *testing.T, method, path, token string, body any) (int, []byte) {
	t.Helper()
	if body == nil {
		return in.send(t, method, path, token, "", nil)
	}
	b, _ := json.Marshal(body)
	return in.send(t, method, path, token, "application/json", b)
}

// send is call with a body of the given content type, e.g. a multipart upload.
func (in *scaleInstance) send(t *testing.T, method, path, token, contentType string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, in.base+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if strings.HasPrefix(token, "cookie:") {
		req.AddCookie(&http.Cookie{Name: rbac.SessionCookie, Value: strings.TrimPrefix(token, "cookie:")})
	} else if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

func (in *scaleInstance) login(t *testing.T, username string) string {
	t.Helper()
	st, body := in.call(t, "POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": rbac.DemoPassword})
	var out struct{ Token string }
	if st != http.StatusOK || json.Unmarshal(body, &out) != nil || out.Token == "" {
		t.Fatalf("login %s: %d %s", username, st, body)
	}
	return out.Token
}

func sessionsAreShared(t *testing.T, a, b *scaleInstance) {
	tok := a.login(t, "clerk062")
	for _, cred := range []string{tok, "cookie:" + tok} {
		if st, body := b.call(t, "GET", "/api/v1/me", cred, nil); st != http.StatusOK || !strings.Contains(string(body), "clerk062") {
			t.Fatalf("B with A's session (%.7s…): %d %s", cred, st, body)
		}
	}
	if st, _ := b.call(t, "POST", "/api/v1/auth/logout", tok, nil); st != http.StatusNoContent {
		t.Fatalf("logout on B: %d", st)
	}
	if st, _ := a.call(t, "GET", "/api/v1/me", tok, nil); st != http.StatusUnauthorized {
		t.Errorf("A still honours a session ended on B: %d", st)
	}
}

// throttleIsShared: failed logins are rows, so five spread over both instances refuse the
// sixth try on either, even with the right password.
func throttleIsShared(t *testing.T, a, b *scaleInstance) {
	wrong := map[string]string{"username": "clerk100", "password": "not-the-password"}
	for i, in := range []*scaleInstance{a, b, a, b, a} {
		if st, body := in.call(t, "POST", "/api/v1/auth/login", "", wrong); st != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d %s", i+1, st, body)
		}
	}
	right := map[string]string{"username": "clerk100", "password": rbac.DemoPassword}
	if st, body := b.call(t, "POST", "/api/v1/auth/login", "", right); st != http.StatusTooManyRequests {
		t.Fatalf("sixth try on B after five failures across A and B: %d %s", st, body)
	}
}

func grantsPropagate(t *testing.T, a, b *scaleInstance) {
	hr, clerk := a.login(t, "hr"), a.login(t, "clerk062")
	me := struct {
		Staff struct {
			ID    int64 `json:"id"`
			OrgID int64 `json:"org_id"`
		} `json:"staff"`
	}{}
	_, body := a.call(t, "GET", "/api/v1/me", clerk, nil)
	if err := json.Unmarshal(body, &me); err != nil || me.Staff.ID == 0 {
		t.Fatalf("me: %s", body)
	}
	canRead := func() bool { st, _ := b.call(t, "GET", "/api/v1/staff", clerk, nil); return st == http.StatusOK }
	if canRead() {
		t.Fatal("a trainee may already list staff on B")
	}
	start := time.Now()
	grant := map[string]any{"role": rbac.RoleTrainer, "org_id": me.Staff.OrgID}
	if st, body := a.call(t, "POST", fmt.Sprintf("/api/v1/staff/%d/grants", me.Staff.ID), hr, grant); st != http.StatusNoContent {
		t.Fatalf("grant via A: %d %s", st, body)
	}
	t.Logf("grant made via A enforced by B after %v (limit %v)", pollUntil(t, "grant on B", start, grantPropagation, canRead), grantPropagation)

	var grants struct{ Items []rbac.Grant }
	_, body = a.call(t, "GET", fmt.Sprintf("/api/v1/staff/%d/grants", me.Staff.ID), hr, nil)
	if err := json.Unmarshal(body, &grants); err != nil || len(grants.Items) != 2 {
		t.Fatalf("grants after the grant: %s", body)
	}
	start = time.Now()
	for _, g := range grants.Items {
		if g.Role == rbac.RoleTrainer {
			if st, body := a.call(t, "DELETE", fmt.Sprintf("/api/v1/grants/%d", g.ID), hr, nil); st != http.StatusNoContent {
				t.Fatalf("revoke via A: %d %s", st, body)
			}
		}
	}
	took := pollUntil(t, "revocation on B", start, grantPropagation, func() bool { return !canRead() })
	t.Logf("revocation made via A enforced by B after %v (limit %v)", took, grantPropagation)
}

func exportsAreShared(t *testing.T, a, b *scaleInstance) {
	hr := a.login(t, "hr")
	st, body := a.call(t, "POST", "/api/v1/exports/jobs", hr, map[string]string{"kind": "roster"})
	var job struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	}
	if st != http.StatusAccepted || json.Unmarshal(body, &job) != nil || job.ID == 0 {
		t.Fatalf("queue on A: %d %s", st, body)
	}
	path := fmt.Sprintf("/api/v1/exports/jobs/%d", job.ID)
	pollUntil(t, "job done", time.Now(), time.Minute, func() bool {
		_, body := b.call(t, "GET", path, hr, nil)
		_ = json.Unmarshal(body, &job)
		return job.Status == "done" || job.Status == "failed"
	})
	if job.Status != "done" {
		t.Fatalf("job %s", job.Status)
	}
	var files [2][]byte
	for i, in := range []*scaleInstance{a, b} {
		st, files[i] = in.call(t, "GET", path+"/file", hr, nil)
		if st != http.StatusOK {
			t.Fatalf("download from scaleInstance %d: %d %.200s", i, st, files[i])
		}
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Fatalf("A and B serve different files: %d and %d bytes", len(files[0]), len(files[1]))
	}
	if dump, err := exports.DumpBytes(files[0]); err != nil || !strings.Contains(dump, "QS0062") {
		t.Errorf("downloaded roster (%v):\n%.300s", err, dump)
	}
	var runs int
	if err := a.db.NewSelect().TableExpr("export_jobs").ColumnExpr("COUNT(*)").
		Where("id = ? AND status = 'done' AND claimed_at IS NOT NULL", job.ID).Scan(context.Background(), &runs); err != nil || runs != 1 {
		t.Errorf("job row after the run: %d (%v)", runs, err)
	}
}

// importReportsAreShared: the error report of a refused import is a row, so B serves the
// same workbook as A to its uploader and nobody else: a roster import through the page
// (exports/sheets) and a question import through the API (exams/bank).
func importReportsAreShared(t *testing.T, a, b *scaleInstance) {
	hr := a.login(t, "hr")
	head := []any{"工号", "姓名", "身份证号", "电话", "机构代码", "所属机构", "岗位", "用工性质", "入职日期", "学历", "在岗"}
	book := rosterBook(t, [][]any{head, {"QS9391", "王芳", "", "", "NO-SUCH", "", "综窗", "编外", "2025/9/1", "本科", ""}})
	body, ct := multipartUpload(t, "roster.xlsx", string(book), map[string]string{"_csrf": a.csrf(t, hr)})
	st, page := a.send(t, "POST", "/exports/roster/import", "cookie:"+hr, ct, body)
	m := reportKey.FindSubmatch(page)
	if st != http.StatusUnprocessableEntity || m == nil {
		t.Fatalf("refused roster import on A: %d %.300s", st, page)
	}
	reportServedByBoth(t, a, b, "/exports/roster/import/report.xlsx?key="+string(m[1]), "cookie:"+hr, b.login(t, "hr.chengguan"))

	trainer := a.login(t, "trainer")
	aiken := "窗口受理时材料不齐全应当？\nA. 退回\nB. 一次性告知\nANSWER: Z\n"
	body, ct = multipartUpload(t, "题目.txt", aiken, map[string]string{"format": "aiken", "levels": "5", "code": "2.1"})
	st, resp := a.send(t, "POST", "/api/v1/questions/import", trainer, ct, body)
	var fail struct {
		ReportURL string `json:"report_url"`
	}
	if st != http.StatusBadRequest || json.Unmarshal(resp, &fail) != nil || !strings.Contains(fail.ReportURL, "key=") {
		t.Fatalf("refused question import on A: %d %s", st, resp)
	}
	reportServedByBoth(t, a, b, fail.ReportURL, trainer, b.login(t, "admin"))
}

// reportServedByBoth fetches a report from B, then A, as its owner: the same workbook with
// the error column; another user asking B gets 404.
func reportServedByBoth(t *testing.T, a, b *scaleInstance, url, owner, other string) {
	t.Helper()
	var files [2][]byte
	for i, in := range []*scaleInstance{b, a} {
		var st int
		if st, files[i] = in.call(t, "GET", url, owner, nil); st != http.StatusOK {
			t.Fatalf("%s from %s: %d %.200s", url, [2]string{"B", "A"}[i], st, files[i])
		}
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Errorf("%s: B and A serve different reports, %d and %d bytes", url, len(files[0]), len(files[1]))
	}
	if dump, err := exports.DumpBytes(files[0]); err != nil || !strings.Contains(dump, exports.ReportColumn) {
		t.Errorf("%s from B (%v):\n%.300s", url, err, dump)
	}
	if st, body := b.call(t, "GET", url, other, nil); st != http.StatusNotFound {
		t.Errorf("%s: another user fetched it from B: %d %.200s", url, st, body)
	}
}

// csrf is the CSRF token of a session, for a form post with its cookie.
func (in *scaleInstance) csrf(t *testing.T, token string) string {
	t.Helper()
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	if st, body := in.call(t, "GET", "/api/v1/me", token, nil); st != http.StatusOK || json.Unmarshal(body, &me) != nil || me.CSRF == "" {
		t.Fatalf("csrf token: %d %s", st, body)
	}
	return me.CSRF
}

// multipartUpload builds a form with one file and some fields.
func multipartUpload(t *testing.T, filename, content string, fields map[string]string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	f, err := w.CreateFormFile("file", filename)
	if err == nil {
		_, err = f.Write([]byte(content))
	}
	if err != nil || w.Close() != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w.FormDataContentType()
}
