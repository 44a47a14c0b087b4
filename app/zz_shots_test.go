//go:build shots

package app_test

import (
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"clerkskill/app/apptest"
	"clerkskill/rbac"
)

func TestShots(t *testing.T) {
	env := apptest.New(t, "sqlite")
	base := env.Listen()
	ctx := newBrowser(t)
	shot := func(name, path string) {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("body"))); err != nil {
			t.Fatal(err)
		}
		b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile("/tmp/shot-"+name+".png", b, 0o644)
	}
	shot("login", "/login")
	if err := chromedp.Do(ctx, browserLogin(base, "hr", rbac.DemoPassword), chromedp.WaitVisible(chromedp.ID("home"))); err != nil {
		t.Fatal(err)
	}
	shot("home", "/")
	shot("orgs", "/orgs")
	shot("staff", "/staff")
	shot("staff61", "/staff/61")
	shot("staffnew", "/staff/new")
}
