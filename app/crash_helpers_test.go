package app_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"clerkskill/app"
	"clerkskill/app/db"
	"clerkskill/exams"
	"clerkskill/exams/paper"
	"clerkskill/exams/session"
	"clerkskill/rbac"
)

// crashChildEnv switches the test binary into a server process (see TestCrashHelperServe).
const crashChildEnv = "CLERKSKILL_CRASH_CHILD"

// TestCrashHelperServe is not a test of its own: re-executed with CLERKSKILL_CRASH_CHILD=1
// the test binary runs `clerkskill serve` as a real process the crash tests can SIGKILL.
// Re-executing avoids a second build of the binary and a TestMain others would share.
func TestCrashHelperServe(t *testing.T) {
	if os.Getenv(crashChildEnv) != "1" {
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// serverProc is one running server process.
type serverProc struct {
	t       *testing.T
	cmd     *exec.Cmd
	base    string
	logPath string
	done    chan struct{}
}

// startServerProc starts a server process over the store env names and waits until /readyz
// answers 200. Its log (stderr) is kept in a file; the process is killed when t ends.
func startServerProc(t *testing.T, env map[string]string) *serverProc {
	t.Helper()
	logf, err := os.CreateTemp(t.TempDir(), "serve-*.log")
	if err != nil {
		t.Fatal(err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelperServe$", "-test.count=1", "-test.timeout=0")
	cmd.Env = append(os.Environ(), crashChildEnv+"=1", "DATABASE_URL=", "CLERKSKILL_DEMO=false", "CLERKSKILL_LOG=text")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = pw, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("start server process: %v", err)
	}
	pw.Close()
	in := &serverProc{t: t, cmd: cmd, logPath: logf.Name(), done: make(chan struct{})}
	go func() { _ = cmd.Wait(); logf.Close(); close(in.done) }()
	t.Cleanup(in.kill)
	in.base = in.listening(pr)
	in.waitReady(90 * time.Second)
	return in
}

// listening reads the process's stdout up to "listening on URL" and drains the rest.
func (in *serverProc) listening(pr *os.File) string {
	in.t.Helper()
	found := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`listening on (http://\S+)`)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		_, _ = io.Copy(io.Discard, pr)
		pr.Close()
	}()
	select {
	case base := <-found:
		return base
	case <-in.done:
	case <-time.After(90 * time.Second):
	}
	in.t.Fatalf("server process did not start listening; log:\n%s", in.logTail())
	return ""
}

func (in *serverProc) waitReady(within time.Duration) {
	in.t.Helper()
	end := time.Now().Add(within)
	for time.Now().Before(end) {
		if resp, err := http.Get(in.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	in.t.Fatalf("server process not ready within %s; log:\n%s", within, in.logTail())
}

// kill sends SIGKILL: no handler runs, no deferred close, no graceful drain.
func (in *serverProc) kill() {
	select {
	case <-in.done:
		return
	default:
	}
	_ = in.cmd.Process.Signal(syscall.SIGKILL)
	<-in.done
}

func (in *serverProc) running() bool {
	select {
	case <-in.done:
		return false
	default:
		return true
	}
}

func (in *serverProc) log() string {
	b, _ := os.ReadFile(in.logPath)
	return string(b)
}

func (in *serverProc) logTail() string {
	s := in.log()
	if len(s) > 4000 {
		s = "…" + s[len(s)-4000:]
	}
	return s
}

// crashExam is a session with one theory part that its candidates can start now.
type crashExam struct {
	session, part int64
	users         []string
}

const crashPassword = "Crash-Pass-2026"

// seedCrashExam prepares the store before any server process runs: the root unit, the demo
// question bank and papers, n examinee accounts and a session drawing the fixed paper.
func seedCrashExam(t *testing.T, dsn, dataDir string, n int) crashExam {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, dsn, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := db.Migrate(ctx, d); err != nil {
		t.Fatal(err)
	}
	srv, err := app.NewServer(ctx, app.TestConfig(), d, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		t.Fatal(err)
	}
	root, paperID := seedBankAndPaper(t, srv)
	fx := crashExam{users: seedCrashCandidates(t, srv, root, n)}
	now := time.Now().UTC()
	ss, err := srv.Sessions.CreateSession(ctx, 0, &session.Input{Name: "进程崩溃演练场次", Level: 4, OrgID: root,
		OpensAt: now.Add(-time.Minute), ClosesAt: now.Add(4 * time.Hour),
		Parts: []session.PartInput{{Kind: exams.PartTheory, DurationMinutes: 120, Source: paper.Source{PaperID: paperID}}}})
	if err != nil {
		t.Fatalf("create session: %v", err)
	}
	if added, err := srv.Sessions.AddCandidates(ctx, ss.ID, rbac.Scope{"/"}, session.CandidateInput{Usernames: fx.users}); err != nil || added != n {
		t.Fatalf("add candidates: %d of %d, %v", added, n, err)
	}
	fx.session, fx.part = ss.ID, ss.Parts[0].ID
	return fx
}

// seedBankAndPaper opens the root unit and loads the demo bank, blueprints and the fixed
// 四级 theory paper; it returns the unit and the paper.
func seedBankAndPaper(t *testing.T, srv *app.Server) (int64, int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := srv.RBAC.Bootstrap(ctx, "政务服务中心", crashPassword); err != nil {
		t.Fatal(err)
	}
	roots, err := srv.RBAC.FindOrgs(ctx, rbac.OrgFilter{Scope: rbac.Scope{"/"}})
	if err != nil || len(roots) == 0 {
		t.Fatalf("root unit: %v", err)
	}
	root := roots[0].ID
	if _, err := srv.Bank.SeedDemo(ctx, exams.DemoQuestions, root); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Papers.SeedDemo(ctx, root); err != nil {
		t.Fatal(err)
	}
	papers, err := srv.Papers.FindPapers(ctx, paper.Filter{OwnerScope: rbac.Scope{"/"}, Level: 4, Part: exams.PartTheory})
	if err != nil || len(papers) == 0 {
		t.Fatalf("fixed paper: %v", err)
	}
	return root, papers[0].ID
}

// seedCrashCandidates writes n trainee accounts straight into the store. Their password hash
// is argon2id at minimal cost: the login path reads the parameters from each hash, so 500
// real logins cost what the crash test is about, not 500 full key derivations.
func seedCrashCandidates(t *testing.T, srv *app.Server, org int64, n int) []string {
	t.Helper()
	ctx, now := context.Background(), time.Now().UTC()
	hash := cheapArgonHash(crashPassword)
	users := make([]*rbac.User, n)
	names := make([]string, n)
	for i := range users {
		names[i] = fmt.Sprintf("cand%04d", i+1)
		users[i] = &rbac.User{Username: names[i], DisplayName: fmt.Sprintf("考生%04d", i+1), PasswordHash: hash,
			Active: true, CreatedAt: now, UpdatedAt: now}
	}
	if _, err := srv.DB.NewInsert().Model(&users).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	grants := make([]*rbac.Grant, n)
	for i, u := range users {
		grants[i] = &rbac.Grant{UserID: u.ID, Role: rbac.RoleTrainee, OrgID: org, CreatedAt: now}
	}
	if _, err := srv.DB.NewInsert().Model(&grants).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	return names
}

func cheapArgonHash(password string) string {
	salt := []byte("crash-test-salt!")
	key := argon2.IDKey([]byte(password), salt, 1, 64, 1, 32)
	b := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=64,t=1,p=1$%s$%s", argon2.Version, b.EncodeToString(salt), b.EncodeToString(key))
}

// deskClients calls one server over HTTP from deskAddrs loopback addresses, two connections
// each: candidates sit at many desks, not behind one address a login throttle would count
// as one. At most 64 requests are in flight.
type deskClients struct {
	base    string
	clients []*http.Client
}

const deskAddrs = 32

func newDeskClients(base string) *deskClients {
	a := &deskClients{base: base}
	for i := range deskAddrs {
		local := &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(10+i))}
		dial := &net.Dialer{LocalAddr: local, Timeout: 10 * time.Second}
		tr := &http.Transport{DialContext: dial.DialContext, MaxConnsPerHost: 2, MaxIdleConnsPerHost: 2, IdleConnTimeout: 30 * time.Second}
		a.clients = append(a.clients, &http.Client{Transport: tr, Timeout: 60 * time.Second})
	}
	return a
}

// call sends in as JSON from desk's address and decodes a 2xx answer into out; it
// returns the status and body.
func (a *deskClients) call(desk int, method, path, token string, in, out any) (int, string, error) {
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.base+path, body)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := a.clients[desk%len(a.clients)].Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, "", err
	}
	if resp.StatusCode/100 == 2 && out != nil {
		err = json.Unmarshal(b, out)
	}
	return resp.StatusCode, string(b), err
}

// examPaperView is the part of the examinee's paper the tests read.
type examPaperView struct {
	Attempt struct {
		ID           int64     `json:"id"`
		Status       string    `json:"status"`
		Deadline     time.Time `json:"deadline"`
		ExtraMinutes int       `json:"extra_minutes"`
	} `json:"attempt"`
	Seq   int64 `json:"seq"`
	Items []struct {
		Idx      int      `json:"idx"`
		Type     string   `json:"type"`
		Options  []string `json:"options"`
		Response struct {
			Choice string `json:"choice"`
		} `json:"response"`
	} `json:"items"`
}

// examinee is one candidate's client: what it sent and what the server acknowledged.
type examinee struct {
	name, token string
	desk        int // which client address the examinee's requests come from
	attempt     int64
	deadline    time.Time
	idxs        []int              // single-choice items: any of A–D is a valid answer
	lastSeq     int64              // the last save counter sent
	sent        map[int64]sentSave // every save sent, by its seq
	acked       map[int]int64      // per item, the highest seq answered with 2xx
	stored      map[int]int64      // per item, the seq found in the store after the kill
	submitted   bool               // the server acknowledged the submit
}

type sentSave struct {
	idx    int
	choice string
}

func newExaminee(desk int, name string) *examinee {
	return &examinee{name: name, desk: desk, sent: map[int64]sentSave{}, acked: map[int]int64{}, stored: map[int]int64{}}
}

func (c *examinee) login(a *deskClients) error {
	var out struct{ Token string }
	st, body, err := a.call(c.desk, "POST", "/api/v1/auth/login", "", map[string]string{"username": c.name, "password": crashPassword}, &out)
	if err != nil || st != 200 {
		return fmt.Errorf("login %s: %d %s %v", c.name, st, body, err)
	}
	c.token = out.Token
	return nil
}

// start begins the attempt and keeps its id, deadline and the items it will answer.
func (c *examinee) start(a *deskClients, fx crashExam) error {
	var v examPaperView
	st, body, err := a.call(c.desk, "POST", fmt.Sprintf("/api/v1/sessions/%d/start", fx.session), c.token, map[string]int64{"part_id": fx.part}, &v)
	if err != nil || st != 200 {
		return fmt.Errorf("start %s: %d %s %v", c.name, st, body, err)
	}
	c.attempt, c.deadline = v.Attempt.ID, v.Attempt.Deadline
	for _, it := range v.Items {
		if it.Type == "single" && len(it.Options) >= 4 {
			c.idxs = append(c.idxs, it.Idx)
		}
	}
	if len(c.idxs) == 0 {
		return fmt.Errorf("start %s: no single-choice items on the paper", c.name)
	}
	return nil
}

// saveNext autosaves the next answer; ok means the server acknowledged it (2xx, applied).
func (c *examinee) saveNext(a *deskClients) (bool, error) {
	st, body, err := c.trySave(a)
	if err != nil || st/100 != 2 {
		return false, fmt.Errorf("save %s seq %d: %d %s %v", c.name, c.lastSeq, st, body, err)
	}
	return true, nil
}

// trySave sends the next save and records it as acknowledged when the answer is 2xx.
func (c *examinee) trySave(a *deskClients) (int, string, error) {
	c.lastSeq++
	s := sentSave{idx: c.idxs[int(c.lastSeq)%len(c.idxs)], choice: string("ABCD"[c.lastSeq%4])}
	c.sent[c.lastSeq] = s
	in := map[string]any{"idx": s.idx, "response": map[string]string{"choice": s.choice}, "seq": c.lastSeq}
	var out struct {
		Applied bool  `json:"applied"`
		Seq     int64 `json:"seq"`
	}
	st, body, err := a.call(c.desk, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers", c.attempt), c.token, in, &out)
	if err != nil || st/100 != 2 {
		return st, body, err
	}
	if !out.Applied || out.Seq != c.lastSeq {
		return st, body, fmt.Errorf("save %s seq %d: not applied (stored seq %d)", c.name, c.lastSeq, out.Seq)
	}
	c.acked[s.idx] = c.lastSeq
	return st, body, nil
}

// maxAcked is the highest save counter the server acknowledged.
func (c *examinee) maxAcked() int64 {
	var m int64
	for _, seq := range c.acked {
		m = max(m, seq)
	}
	return m
}

// sameInstant compares a deadline as sent at start with one read back from the store:
// PostgreSQL keeps microseconds.
func sameInstant(a, b time.Time) bool {
	d := a.Sub(b)
	return d < time.Microsecond && d > -time.Microsecond
}

// eachParallel runs fn for 0…n-1 on a few workers and returns the errors, at most 10.
func eachParallel(n, workers int, fn func(i int) error) []error {
	var mu sync.Mutex
	var errs []error
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					mu.Lock()
					if len(errs) < 10 {
						errs = append(errs, err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return errs
}

// stop ends the process as an operator would (SIGTERM) and returns its exit code.
func (in *serverProc) stop() int {
	_ = in.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-in.done:
		return in.cmd.ProcessState.ExitCode()
	case <-time.After(30 * time.Second):
		in.kill()
		return -1
	}
}

// procLoadAvg is the first figure of /proc/loadavg, for the timing logs.
func procLoadAvg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "?"
}
