package app_test

// Outage tests: the database goes away under a running server process and comes back.
// PostgreSQL is never restarted here (other tests share the cluster): its restart is
// played by pg_terminate_backend on this test's own connections (what a shutdown does to
// them) and by a TCP proxy between the app and PostgreSQL that drops every connection and
// refuses new ones (a server that is down) until it is restored. SQLite has no restart;
// its outage is a write lock held past busy_timeout.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"clerkskill/app/db"
	"clerkskill/app/db/dbtest"
)

const outageCandidates = 20

func TestOutageDatabaseGoneMidRequestGivesCleanErrorsAndRecovers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes and cuts their database; run without -short")
	}
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			began := time.Now()
			if dialect == "postgres" {
				postgresOutage(t)
			} else {
				sqliteLocked(t)
			}
			t.Logf("%s: %.1fs, load average %s", dialect, time.Since(began).Seconds(), procLoadAvg())
		})
	}
}

func postgresOutage(t *testing.T) {
	dsn := dbtest.DSN(t, "postgres")
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy := startProxy(t, u.Host)
	appName := "clerkskill_outage_" + outageSuffix()
	u.Host = proxy.addr
	q := u.Query()
	q.Set("application_name", appName)
	u.RawQuery = q.Encode()
	dataDir := t.TempDir()
	fx := seedCrashExam(t, u.String(), dataDir, outageCandidates)
	in := startServerProc(t, map[string]string{"CLERKSKILL_DATA": dataDir, "DATABASE_URL": u.String()})
	a := newDeskClients(in.base)
	cands := loginAndStartAll(t, a, fx)
	everyoneSaves(t, a, cands, "before the outage")

	var n int
	flying, statuses := whileSaving(t, a, cands, func() { n = terminateBackends(t, appName) }, 2*time.Second)
	recovered, unavailable := untilAllSave(t, a, cands, 20*time.Second)
	t.Logf("pg_terminate_backend ended %d connections of the app with %d saves in flight: answers %v while saving on, "+
		"then %d more 503s before all saved again after %s", n, flying, statuses, unavailable, recovered.Round(time.Millisecond))

	flying, statuses = whileSaving(t, a, cands, proxy.cut, time.Second)
	t.Logf("proxy cut with %d saves in flight: answers %v", flying, statuses)
	if statuses[503] == 0 {
		t.Error("no save was answered 503 after the cut")
	}
	duringOutage(t, in, a, cands)
	proxy.restore(t)
	in.waitReady(30 * time.Second)
	if !in.running() {
		t.Fatal("the server process died during the outage")
	}
	everyoneSaves(t, a, cands, "after the database came back (same process)")
	everyoneSubmits(t, a, cands)
	verifyKept(t, dsn, dataDir, fx, cands)
	checkServerLog(t, in, true)
}

// sqliteLocked holds SQLite's write lock from another connection past busy_timeout: the
// save waiting on it gets a clean 503, and saves go on once the lock is let go.
func sqliteLocked(t *testing.T) {
	dataDir := t.TempDir()
	fx := seedCrashExam(t, "", dataDir, 3)
	in := startServerProc(t, map[string]string{"CLERKSKILL_DATA": dataDir})
	a := newDeskClients(in.base)
	cands := loginAndStartAll(t, a, fx)
	everyoneSaves(t, a, cands, "before the lock")
	ctx := context.Background()
	d, err := db.Open(ctx, "", dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	tx, err := d.BeginTx(ctx, nil) // BEGIN IMMEDIATE (app/db): takes the write lock now
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	st, body, err := cands[0].trySave(a)
	waited := time.Since(began)
	_ = tx.Rollback()
	if err := cleanUnavailable(st, body, err); err != nil {
		t.Errorf("save while another process holds the write lock: %v", err)
	}
	t.Logf("the save waited %.1fs on the lock (busy_timeout 10s), then 503", waited.Seconds())
	everyoneSaves(t, a, cands, "after the lock was let go")
	everyoneSubmits(t, a, cands)
	verifyKept(t, "", dataDir, fx, cands)
	checkServerLog(t, in, true)
}

// whileSaving keeps every candidate saving, one save after another, runs act with saves in
// flight and goes on for runFor: each answer must be 2xx or a clean 503, none may hang. It
// returns how many saves were under way at act and the answers by status.
func whileSaving(t *testing.T, a *deskClients, cands []*examinee, act func(), runFor time.Duration) (int64, map[int]int) {
	t.Helper()
	var flying atomic.Int64
	var stop atomic.Bool
	var mu sync.Mutex
	statuses, problems := map[int]int{}, []error{}
	var wg sync.WaitGroup
	for _, c := range cands {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				flying.Add(1)
				began := time.Now()
				st, body, err := c.trySave(a)
				flying.Add(-1)
				mu.Lock()
				statuses[st]++
				if st/100 != 2 || err != nil {
					problems = append(problems, cleanUnavailable(st, body, err))
				}
				if d := time.Since(began); d > 10*time.Second {
					problems = append(problems, fmt.Errorf("a save took %s: requests must fail fast, not hang", d))
				}
				mu.Unlock()
				if st/100 != 2 {
					time.Sleep(100 * time.Millisecond)
				}
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	inFlight := flying.Load()
	act()
	time.Sleep(runFor)
	stop.Store(true)
	wg.Wait()
	for _, p := range problems {
		if p != nil {
			t.Error(p)
		}
	}
	if inFlight == 0 {
		t.Error("no save was in flight when the database went away")
	}
	return inFlight, statuses
}

// everyoneSaves has every examinee save once; each must be acknowledged.
func everyoneSaves(t *testing.T, a *deskClients, cands []*examinee, when string) {
	t.Helper()
	errs := eachParallel(len(cands), 16, func(i int) error {
		_, err := cands[i].saveNext(a)
		return err
	})
	if len(errs) > 0 {
		t.Fatalf("%s: %v", when, errs)
	}
}

// untilAllSave repeats rounds of saves, each answered 2xx or a clean 503, until a whole
// round is acknowledged; it returns how long that took and how many 503s came first.
func untilAllSave(t *testing.T, a *deskClients, cands []*examinee, within time.Duration) (time.Duration, int) {
	t.Helper()
	began, unavailable := time.Now(), 0
	for time.Since(began) < within {
		failed := 0
		for _, c := range cands {
			st, body, err := c.trySave(a)
			if err == nil && st/100 == 2 {
				continue
			}
			failed++
			if err := cleanUnavailable(st, body, err); err != nil {
				t.Fatalf("after pg_terminate_backend, %s's save: %v", c.name, err)
			}
		}
		if failed == 0 {
			return time.Since(began), unavailable
		}
		unavailable += failed
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("saves did not recover within %s of pg_terminate_backend", within)
	return 0, 0
}

// duringOutage checks what users get while the database is unreachable: saves, papers and
// logins answer 503 with the Chinese JSON error at once, a page answers a Chinese error
// page, /readyz says not ready and /healthz stays up, so the process is not restarted.
func duringOutage(t *testing.T, in *serverProc, a *deskClients, cands []*examinee) {
	t.Helper()
	for _, c := range cands[:5] {
		began := time.Now()
		st, body, err := c.trySave(a)
		if err := cleanUnavailable(st, body, err); err != nil {
			t.Errorf("save during the outage: %v", err)
		}
		st, body, err = a.call(c.desk, "GET", fmt.Sprintf("/api/v1/attempts/%d", c.attempt), c.token, nil, nil)
		if err := cleanUnavailable(st, body, err); err != nil {
			t.Errorf("paper during the outage: %v", err)
		}
		if d := time.Since(began); d > 5*time.Second {
			t.Errorf("requests during the outage took %s: they must fail fast, not hang", d)
		}
	}
	st, body, err := a.call(0, "POST", "/api/v1/auth/login", "", map[string]string{"username": cands[0].name, "password": crashPassword}, nil)
	if err := cleanUnavailable(st, body, err); err != nil {
		t.Errorf("login during the outage: %v", err)
	}
	outagePage(t, in, cands[0].token)
	for path, want := range map[string]int{"/readyz": 503, "/healthz": 200} {
		if st, _, err := a.call(0, "GET", path, "", nil, nil); err != nil || st != want {
			t.Errorf("%s during the outage: %d %v, want %d", path, st, err, want)
		}
	}
}

// outagePage asks for the exam page as a browser does.
func outagePage(t *testing.T, in *serverProc, token string) {
	t.Helper()
	req, _ := http.NewRequest("GET", in.base+"/exam", nil)
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 503 || !strings.Contains(string(b), "服务暂时不可用") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("exam page during the outage: %d %s\n%.300s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
}

// cleanUnavailable accepts only a 503 whose body is the JSON error in Chinese, with none
// of the driver's words, addresses or a stack trace in it.
func cleanUnavailable(st int, body string, err error) error {
	if err != nil || st != 503 {
		return fmt.Errorf("want 503, got %d %v: %.300s", st, err, body)
	}
	var e struct{ Error, Code string }
	if json.Unmarshal([]byte(body), &e) != nil || e.Code != "unavailable" || !strings.Contains(e.Error, "服务暂时不可用") {
		return fmt.Errorf("503 body is not the Chinese JSON error: %.300s", body)
	}
	for _, leak := range []string{"pgconn", "dial", "SQLSTATE", "127.0.0.1", "goroutine", "panic", "sqlite", "locked"} {
		if strings.Contains(body, leak) {
			return fmt.Errorf("503 body leaks %q: %.300s", leak, body)
		}
	}
	return nil
}

// everyoneSubmits has every examinee submit.
func everyoneSubmits(t *testing.T, a *deskClients, cands []*examinee) {
	t.Helper()
	errs := eachParallel(len(cands), 16, func(i int) error {
		c := cands[i]
		st, body, err := a.call(c.desk, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", c.attempt), c.token, nil, nil)
		if err != nil || st != 200 {
			return fmt.Errorf("submit %s: %d %s %v", c.name, st, body, err)
		}
		return nil
	})
	for _, err := range errs {
		t.Error(err)
	}
}

// verifyKept checks that every acknowledged save is in the store (or a later one of the
// same item) and every attempt is closed.
func verifyKept(t *testing.T, dsn, dataDir string, fx crashExam, cands []*examinee) {
	t.Helper()
	attempts, answers := examState(t, dsn, dataDir, fx)
	for _, c := range cands {
		if a := attempts[c.attempt]; a == nil || a.Status != "closed" {
			t.Errorf("%s: attempt at the end: %+v", c.name, a)
		}
		for idx, seq := range c.acked {
			if got := answers[c.attempt][idx]; got == nil || got.Seq < seq {
				t.Errorf("%s: acknowledged save seq %d of item %d lost (stored %+v)", c.name, seq, idx, got)
			}
		}
	}
}

// checkServerLog reads the server's log: no panic, no race report, no internal error, and
// (when an outage was played) the outage logged as a warning.
func checkServerLog(t *testing.T, in *serverProc, wantWarning bool) {
	t.Helper()
	log := in.log()
	for _, bad := range []string{"panic", "DATA RACE", `msg="request failed"`} {
		if strings.Contains(log, bad) {
			t.Errorf("server log holds %q:\n%s", bad, in.logTail())
		}
	}
	if wantWarning && !strings.Contains(log, `msg="database unavailable"`) {
		t.Errorf("the outage is not in the server log:\n%s", in.logTail())
	}
}

// terminateBackends ends this test's app connections (by application_name) and only those.
func terminateBackends(t *testing.T, appName string) int {
	t.Helper()
	ctx := context.Background()
	admin, err := db.Open(ctx, os.Getenv("TEST_DATABASE_URL"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var ended []bool
	err = admin.NewRaw("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid()", appName).Scan(ctx, &ended)
	if err != nil || len(ended) == 0 {
		t.Fatalf("pg_terminate_backend for %s: %d ended, %v", appName, len(ended), err)
	}
	return len(ended)
}

func outageSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// tcpProxy forwards connections to upstream until cut.
type tcpProxy struct {
	upstream, addr string
	mu             sync.Mutex
	ln             net.Listener
	conns          map[net.Conn]struct{}
}

func startProxy(t *testing.T, upstream string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{upstream: upstream, addr: ln.Addr().String(), conns: map[net.Conn]struct{}{}}
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.pipe(c)
		}
	}()
}

func (p *tcpProxy) pipe(c net.Conn) {
	up, err := net.DialTimeout("tcp", p.upstream, 5*time.Second)
	if err != nil || !p.track(c, up) {
		c.Close()
		if up != nil {
			up.Close()
		}
		return
	}
	go func() { _, _ = io.Copy(up, c); up.Close(); c.Close() }()
	_, _ = io.Copy(c, up)
	c.Close()
	up.Close()
}

// track keeps the pair for cut; false when the proxy was cut meanwhile.
func (p *tcpProxy) track(c, up net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		return false
	}
	p.conns[c], p.conns[up] = struct{}{}, struct{}{}
	return true
}

// cut refuses new connections, as a stopped server does, and drops every open one.
func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// restore listens again on the same address.
func (p *tcpProxy) restore(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatalf("restore proxy on %s: %v", p.addr, err)
	}
	p.serve(ln)
}
