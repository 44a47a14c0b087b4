package app_test

import (
	"context"
	"os"
	"path/filepath"
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
	return webtest.Browser(t, 1366, 900, 90*time.Second)
}

// browserLogin signs in through the login form.
func browserLogin(base, user, pw string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), user),
		chromedp.SendKeys(chromedp.ID("password"), pw),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
	)
}

// TestBrowserHRAddsClerkWhoSignsIn: HR signs in, adds a staff member through the form,
// signs out; the new clerk signs in with the one-time password, sets a new one and lands
// on the home page.
func TestBrowserHRAddsClerkWhoSignsIn(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			base := env.Listen()
			ctx := newBrowser(t)
			otp := hrAddsClerk(t, ctx, base)
			clerkSignsIn(t, ctx, base, otp, d)
		})
	}
}

func hrAddsClerk(t *testing.T, ctx context.Context, base string) string {
	t.Helper()
	err := chromedp.Do(ctx,
		browserLogin(base, "hr.chengguan", rbac.DemoPassword),
		chromedp.WaitVisible(chromedp.ID("home")),
		chromedp.Navigate(base+"/staff/new"),
		chromedp.WaitVisible(chromedp.ID("emp_no")),
		chromedp.SendKeys(chromedp.ID("emp_no"), "QS9200"),
		chromedp.SendKeys(chromedp.ID("name"), "钱佳怡"),
		chromedp.SendKeys(chromedp.ID("id_number"), "11010519491231002X"),
		chromedp.SetValue(chromedp.ID("org_id"), "4"),
		chromedp.SetValue(chromedp.ID("employment_type"), "dispatched"),
		chromedp.SetValue(chromedp.ID("hire_date"), "2025-10-08"),
		chromedp.Click(chromedp.CSS(`form[action="/staff"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("code")),
	)
	if err != nil {
		t.Fatalf("HR adds a clerk: %v", err)
	}
	otp, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("code")))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.ID("username")),
	)
	if otp = strings.TrimSpace(otp); err != nil || len(otp) != 12 {
		t.Fatalf("one-time password %q, logout: %v", otp, err)
	}
	return otp
}

func clerkSignsIn(t *testing.T, ctx context.Context, base, otp, dialect string) {
	t.Helper()
	err := chromedp.Do(ctx,
		browserLogin(base, "qs9200", otp),
		chromedp.WaitVisible(chromedp.ID("current")),
		chromedp.SendKeys(chromedp.ID("current"), otp),
		chromedp.SendKeys(chromedp.ID("new"), "Window2026ok"),
		chromedp.SendKeys(chromedp.ID("confirm"), "Window2026ok"),
		chromedp.Click(chromedp.CSS(`form[action="/password"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("home")), // only the home page has it
	)
	if err != nil {
		t.Fatalf("clerk signs in: %v", err)
	}
	home, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil || !strings.Contains(home, "钱佳怡") {
		t.Fatalf("home page does not show the clerk (%v): %.300s", err, home)
	}
	if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80)); err == nil {
		_ = os.WriteFile(filepath.Join(os.TempDir(), "clerkskill-browser-home-"+dialect+".jpg"), shot, 0o644)
	}
}
