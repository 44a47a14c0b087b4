package app_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"clerkskill/app"
	"clerkskill/app/db/dbtest"
)

// startServe runs `clerkskill serve` on a free port and returns its base URL, everything it
// printed up to "listening on", and a stop func that cancels it and returns its exit code.
func startServe(t *testing.T, env map[string]string, args ...string) (string, string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	code := make(chan int, 1)
	go func() {
		code <- app.Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...),
			func(k string) string { return env[k] }, pw, io.Discard)
		pw.Close()
	}()
	var printed strings.Builder
	sc := bufio.NewScanner(pr)
	listening := regexp.MustCompile(`listening on (http://\S+)`)
	for sc.Scan() {
		printed.WriteString(sc.Text() + "\n")
		if m := listening.FindStringSubmatch(sc.Text()); m != nil {
			go func() { _, _ = io.Copy(io.Discard, pr) }()
			return m[1], printed.String(), func() int { cancel(); return <-code }
		}
	}
	cancel()
	t.Fatalf("serve exited before listening (code %d):\n%s", <-code, printed.String())
	return "", "", nil
}

func TestServeDemoPrintsLoginsAndStopsGracefully(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := map[string]string{"CLERKSKILL_DATA": t.TempDir()}
			if d == "postgres" {
				env["DATABASE_URL"] = dbtest.DSN(t, d)
			}
			base, printed, stop := startServe(t, env, "--demo")
			for _, want := range []string{"hr.chengguan", "clerk001", "demo12345", "demo question bank: 353 questions", "demo blueprints: 6", "demo practice: history for clerk001", "demo courses: 11 published", "demo training: 6 events", "demo results: 1 finished session(s) marked and released", "demo competency: 3 past sessions", "demo certificates: 61 from earlier years (one revoked)", "demo pay: policies for the county and 城关镇", "demo pay run: ", "demo applications: ", "listening on"} {
				if !strings.Contains(printed, want) {
					t.Errorf("serve --demo did not print %q:\n%s", want, printed)
				}
			}
			resp, err := http.Get(base + "/readyz")
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("readyz: %v %v", resp, err)
			}
			resp.Body.Close()
			done := make(chan int, 1)
			go func() { done <- stop() }()
			select {
			case c := <-done:
				if c != 0 {
					t.Fatalf("serve exited with %d after shutdown", c)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("serve did not stop within 20s of cancellation")
			}
		})
	}
}

func TestFirstStartCreatesAdminWithOneTimePassword(t *testing.T) {
	env := map[string]string{"CLERKSKILL_DATA": t.TempDir()}
	_, printed, stop := startServe(t, env)
	m := regexp.MustCompile(`one-time password: (\S+)`).FindStringSubmatch(printed)
	stop()
	if m == nil {
		t.Fatalf("first start printed no admin password:\n%s", printed)
	}
	base, printed, stop := startServe(t, env)
	defer stop()
	if strings.Contains(printed, "one-time password") {
		t.Fatal("second start created another admin")
	}
	body := strings.NewReader(`{"username":"admin","password":"` + m[1] + `"}`)
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("admin login with the printed password: %v %v", resp, err)
	}
	b, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(b), `"must_change_password":true`) {
		t.Errorf("a one-time password must be changed at first login: %s", b)
	}
}
