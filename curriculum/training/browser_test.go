package training_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/app/web/webtest"
	"clerkskill/rbac"
)

// newBrowser is a headless chromium sized like the pages this test looks at.
func newBrowser(t *testing.T) context.Context {
	return webtest.Browser(t, 412, 900, 90*time.Second)
}

// login signs user in through the login form; logout ends the session with the
// button in the top bar.
func login(base, user string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), user),
		chromedp.SendKeys(chromedp.ID("password"), rbac.DemoPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("home")),
	}
}

func logout() []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.ID("username")),
	}
}

// TestBrowserCodeSignInReachesHRReport: the trainer projects the sign-in code, clerk061
// types it on a phone-sized window, and 城关镇's HR officer then finds the clerk's
// attendance hours in the training report.
func TestBrowserCodeSignInReachesHRReport(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			e := mustEvent(t, env, chengguanCode, "窗口服务心理调适讲座", env.Now.Now().Add(10*time.Minute), 30, 2.5)
			base := env.Listen()
			ctx := newBrowser(t)
			code := step(t, ctx, "projector", login(base, "trainer"),
				[]chromedp.Action[chromedp.Void]{chromedp.Navigate(fmt.Sprintf("%s/events/%d/code", base, e.ID)), chromedp.WaitVisible(chromedp.ID("code"))},
				chromedp.Text(chromedp.ID("code")))
			if code = strings.TrimSpace(code); len(code) != 6 {
				t.Fatalf("projector code %q", code)
			}
			must(t, chromedp.Do(ctx, logout()...))
			box := chromedp.ID(fmt.Sprintf("code-%d", e.ID))
			mine := step(t, ctx, "clerk sign-in", login(base, "clerk061"),
				[]chromedp.Action[chromedp.Void]{chromedp.Navigate(base + "/events/mine"), chromedp.WaitVisible(box),
					chromedp.SendKeys(box, code), chromedp.Submit(box), chromedp.WaitVisible(chromedp.CSS(".flash"))},
				chromedp.Text(chromedp.ID("main")))
			if !strings.Contains(mine, "签到成功") || !strings.Contains(mine, "已签到") {
				t.Fatalf("clerk sign-in: %.600s", mine)
			}
			must(t, chromedp.Do(ctx, logout()...))
			rows := step(t, ctx, "HR report", login(base, "hr.chengguan"),
				[]chromedp.Action[chromedp.Void]{chromedp.Navigate(base + "/reports/training"), chromedp.WaitVisible(chromedp.ID("chart")),
					chromedp.Click(chromedp.CSS(`nav.tabs a:nth-child(3)`)), chromedp.WaitVisible(chromedp.ID("rows"))},
				chromedp.Text(chromedp.CSS("#rows tbody tr:first-child")))
			if !strings.Contains(rows, "clerk061") || !strings.Contains(rows, "2.5") {
				t.Fatalf("HR report: first row %q", rows)
			}
		})
	}
}

// step signs in, runs the actions and returns the text read at the end.
func step(t *testing.T, ctx context.Context, what string, signIn, actions []chromedp.Action[chromedp.Void], read chromedp.Action[string]) string {
	t.Helper()
	if err := chromedp.Do(ctx, append(signIn, actions...)...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	text, err := chromedp.Run(ctx, read)
	if err != nil {
		t.Fatalf("%s: read: %v", what, err)
	}
	return text
}
