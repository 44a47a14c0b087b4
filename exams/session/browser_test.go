package session_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"clerkskill/app"
	"clerkskill/app/db/dbtest"
	"clerkskill/app/web/webtest"
	"clerkskill/exams/session"
	"clerkskill/rbac"
)

// newBrowser is a headless chromium sized like the pages this test looks at.
func newBrowser(t *testing.T) context.Context {
	return webtest.Browser(t, 412, 900, 120*time.Second)
}

// serveOn serves srv at addr until the returned stop is called (or the test ends).
func serveOn(t *testing.T, srv *app.Server, addr string) (stop func()) {
	t.Helper()
	var ln net.Listener
	var err error
	for range 50 { // the previous server's port may take a moment to free
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(ctx, ln) }()
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			cancel()
			<-done
		}
	}
	t.Cleanup(stop)
	return stop
}

// waitFor polls a JavaScript expression until it is true.
func waitFor(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr)); err == nil && ok {
			return
		}
	}
	state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.getElementById('save-state')||{}).textContent || document.title`))
	t.Fatalf("%s: %s stayed false (page says %q)", what, expr, state)
}

// TestBrowserClerkResumesAfterARestart: clerk062 starts the exam, answers one question,
// the server stops; an answer given while it is down waits in the page and is retried;
// a new server over the same database comes up on the same address; the clerk reloads,
// finds both answers, and submits.
func TestBrowserClerkResumesAfterARestart(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newExam(t, d, 2*time.Hour, 60)
			ln, _ := net.Listen("tcp", "127.0.0.1:0")
			addr := ln.Addr().String()
			ln.Close()
			base := "http://" + addr
			stop := serveOn(t, e.Srv, addr)
			ctx := newBrowser(t)
			err := chromedp.Do(ctx,
				chromedp.Navigate(base+"/login"),
				chromedp.WaitVisible(chromedp.ID("username")),
				chromedp.SendKeys(chromedp.ID("username"), "clerk062"),
				chromedp.SendKeys(chromedp.ID("password"), rbac.DemoPassword),
				chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
				chromedp.WaitVisible(chromedp.ID("home")),
				chromedp.Navigate(base+"/exam"),
				chromedp.WaitVisible(chromedp.ID("my-exams")),
				chromedp.Click(chromedp.CSS(`button[data-start]`)),
				chromedp.WaitVisible(chromedp.ID("paper")),
				chromedp.Click(chromedp.CSS(`#q1 input[name=choice][value=B]`)),
			)
			if err != nil {
				t.Fatalf("start and answer: %v", err)
			}
			waitFor(t, ctx, "first answer saved", `document.getElementById('save-state').textContent === '已保存' && !localStorage.getItem(Object.keys(localStorage).find(k => k.endsWith(':pending'))).includes('"idx"')`)
			stop()
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#q3 input[name=judge][value=false]`))); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "save fails while the server is down", `document.getElementById('save-state').textContent === '保存失败，正在重试'`)
			restarted, err := app.NewServer(context.Background(), app.TestConfig(), e.Srv.DB, slog.New(slog.NewTextHandler(io.Discard, nil)), e.Now.Now)
			if err != nil {
				t.Fatal(err)
			}
			restarted.Sessions.SetDrawer(drawerFor(e.paper))
			serveOn(t, restarted, addr)
			waitFor(t, ctx, "the retried answer is saved by the new server", `document.getElementById('save-state').textContent === '已保存'`)
			if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("paper"))); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "answers intact after reload", `document.querySelector('#q1 input[value=B]').checked && document.querySelector('#q3 input[value=false]').checked`)
			err = chromedp.Do(ctx,
				chromedp.Click(chromedp.ID("to-submit")),
				chromedp.WaitVisible(chromedp.ID("confirm")),
				chromedp.Click(chromedp.ID("submit")),
				chromedp.WaitVisible(chromedp.ID("closed")),
			)
			if err != nil {
				t.Fatalf("submit: %v", err)
			}
			checkSubmitted(t, e)
		})
	}
}

func checkSubmitted(t *testing.T, e *examEnv) {
	t.Helper()
	ctx := context.Background()
	var a session.Attempt
	if err := e.Srv.DB.NewSelect().Model(&a).Where("user_id = ?", e.uid(t, "clerk062")).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	var answers []session.Answer
	if err := e.Srv.DB.NewSelect().Model(&answers).Where("attempt_id = ?", a.ID).Order("idx").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	// Shown B of the single choice is the original A; the judgement was 错误.
	if a.Status != session.AttemptClosed || len(answers) != 2 || answers[0].Response.Choice != "A" ||
		answers[1].Response.Judge == nil || *answers[1].Response.Judge {
		t.Fatalf("after submit: %+v %+v", a, answers)
	}
	if strings.Contains(a.ClosedBy, "deadline") {
		t.Errorf("closed by %s, want the candidate", a.ClosedBy)
	}
}
