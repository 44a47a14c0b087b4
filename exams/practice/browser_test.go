package practice_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/app/web/webtest"
	"clerkskill/rbac"
)

// newBrowser is a headless chromium sized like the pages this test looks at.
func newBrowser(t *testing.T) context.Context {
	return webtest.Browser(t, 412, 900, 90*time.Second)
}

// TestBrowserClerkPractises: clerk061 signs in on a phone-sized window, starts practice
// at 五级 in branch 1.1, answers with the keyboard (B, then Enter) wrongly, sees the key
// and the explanation, opens the notebook and finds the question there.
func TestBrowserClerkPractises(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			b := seedBank(t, env)
			base := env.Listen()
			ctx := newBrowser(t)
			err := chromedp.Do(ctx,
				chromedp.Navigate(base+"/login"),
				chromedp.WaitVisible(chromedp.ID("username")),
				chromedp.SendKeys(chromedp.ID("username"), "clerk061"),
				chromedp.SendKeys(chromedp.ID("password"), rbac.DemoPassword),
				chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
				chromedp.WaitVisible(chromedp.ID("home")),
				chromedp.Navigate(base+"/practice?level=5"),
				chromedp.WaitVisible(chromedp.ID("practice-home")),
				chromedp.SetValue(chromedp.ID("code"), "1.1"),
				chromedp.Click(chromedp.ID("start")),
				chromedp.WaitVisible(chromedp.ID("question")),
				chromedp.KeyEvent("b"),
				chromedp.KeyEvent(kb.Enter),
				chromedp.WaitVisible(chromedp.ID("verdict")),
			)
			if err != nil {
				t.Fatalf("practise: %v", err)
			}
			fb, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("main")))
			if err != nil || !strings.Contains(fb, "回答错误") || !strings.Contains(fb, explMarker) || !strings.Contains(fb, "答对一次即移出错题本") {
				t.Fatalf("feedback page (%v): %.600s", err, fb)
			}
			if mine, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("your-answer"))); err != nil || strings.TrimSpace(mine) != "B" {
				t.Fatalf("the B key did not pick option B: %q %v", mine, err)
			}
			err = chromedp.Do(ctx, chromedp.Navigate(base+"/practice/wrongbook"), chromedp.WaitVisible(chromedp.ID("wrongbook")))
			if err != nil {
				t.Fatal(err)
			}
			book, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("main")))
			if err != nil || !strings.Contains(book, b.single.Stem) || !strings.Contains(book, explMarker) {
				t.Fatalf("notebook (%v): %.600s", err, book)
			}
		})
	}
}
