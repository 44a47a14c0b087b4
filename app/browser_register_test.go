package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/exams/marking/marktest"
	"clerkskill/rbac"
)

// TestBrowserAwardPrintVerify: clerk062 has applied for 五级 and 城关镇's HR approves the
// application on its page (by exception with a stated reason when the records fall
// short); the trainer releases a 五级 session's results; 城关镇's HR opens the decisions, sees one candidate proposed and one refused for a failed skill
// part, awards the one, opens the certificate and its printable page (QR code, A4
// landscape stylesheet); an anonymous visitor verifies the number on /verify and sees
// only the masked name.
func TestBrowserAwardPrintVerify(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			sid, passer, failer := awardSession(t, env)
			app := applyFor(t, env, "clerk062")
			base := env.Listen()
			hr := newBrowser(t)
			hrApproves(t, hr, base, app)
			trainerReleases(t, newBrowser(t), base, sid)
			number := hrAwards(t, hr, base, sid, passer, failer)
			visitorVerifies(t, newBrowser(t), base, number, passer)
		})
	}
}

// awardSession writes a closed 五级 session at 城关镇 whose results are held, with part
// results for two clerks: clerk062 passes both parts, clerk063 fails the skill part.
func awardSession(t *testing.T, env *apptest.Env) (int64, string, string) {
	t.Helper()
	ctx, srv := context.Background(), env.Srv
	town, err := srv.RBAC.FindOrgByCode(ctx, "QS-CG")
	must(t, err)
	now := env.Now.Now()
	sid, parts, err := marktest.NewSession(ctx, srv.DB, marktest.Session{Name: "城关镇五级等级认定考核", Level: 5, OrgID: town.ID,
		ResultsHeld: true, OpensAt: now.Add(-4 * time.Hour), ClosesAt: now.Add(-time.Hour), Parts: []string{"theory", "skill"}})
	must(t, err)
	names := []string{}
	for i, scores := range [][2]float64{{78, 85}, {81, 52}} {
		u, err := srv.RBAC.FindUserByUsername(ctx, fmt.Sprintf("clerk%03d", 62+i))
		must(t, err)
		for j, part := range []string{"theory", "skill"} {
			writeResult(t, env, sid, parts[part], part, u.ID, scores[j])
		}
		names = append(names, u.DisplayName)
	}
	return sid, names[0], names[1]
}

func writeResult(t *testing.T, env *apptest.Env, sid, partID int64, part string, userID int64, score float64) {
	t.Helper()
	ctx := context.Background()
	att, err := marktest.NewAttempt(ctx, env.Srv.DB, sid, partID, userID, "closed", nil)
	must(t, err)
	// Marked already, so the exam loop of the listening server leaves the result alone.
	_, err = env.Srv.DB.NewUpdate().Table("attempts").Set("marked_at = ?", time.Now().UTC()).Where("id = ?", att).Exec(ctx)
	must(t, err)
	var version int64
	must(t, env.Srv.DB.NewSelect().Table("exam_sessions").Column("standard_version_id").Where("id = ?", sid).Scan(ctx, &version))
	row := map[string]any{"attempt_id": att, "session_id": sid, "user_id": userID, "part": part, "standard_version_id": version,
		"earned": score, "possible": 100.0, "score": score, "pass_mark": 60, "passed": score >= 60, "complete": true,
		"branches": "[]", "computed_at": time.Now().UTC()}
	_, err = env.Srv.DB.NewInsert().Table("part_results").Model(&row).Exec(ctx)
	must(t, err)
}

// applyFor files a 五级 application for a clerk, as the clerk would on their own page.
func applyFor(t *testing.T, env *apptest.Env, username string) int64 {
	t.Helper()
	ctx := context.Background()
	u, err := env.Srv.RBAC.FindUserByUsername(ctx, username)
	must(t, err)
	a, err := env.Srv.Certify.Apply(ctx, u.ID, *u.StaffID, 5)
	must(t, err)
	return a.ID
}

// hrApproves approves the application on its page: directly when the 申报条件 are met,
// otherwise by exception with a reason.
func hrApproves(t *testing.T, ctx context.Context, base string, id int64) {
	t.Helper()
	step(t, ctx, "sign in", browserLogin(base, "hr.chengguan", rbac.DemoPassword), chromedp.WaitVisible(chromedp.ID("home")))
	step(t, ctx, "open the application", chromedp.Navigate(fmt.Sprintf("%s/applications/%d", base, id)), chromedp.WaitVisible(chromedp.ID("application-status")))
	eligible, err := innerText(ctx, "#eligibility")
	must(t, err)
	if strings.Contains(eligible, "不符合") {
		step(t, ctx, "approve by exception", chromedp.SendKeys(chromedp.ID("exception-reason"), "窗口一线工作表现突出，经中心研究同意破格申报"),
			chromedp.Click(chromedp.ID("exception")))
	} else {
		step(t, ctx, "approve", chromedp.Click(chromedp.ID("approve")))
	}
	waitUntil(t, ctx, "application approved", `(document.getElementById('application-status') || {textContent: ''}).textContent === '已通过'`)
}

// hrAwards signs the level off for the candidate who passed and returns the number.
func hrAwards(t *testing.T, ctx context.Context, base string, sid int64, passer, failer string) string {
	t.Helper()
	step(t, ctx, "open the decisions", chromedp.Navigate(base+"/awards"), chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/awards/%d"]`, sid))),
		chromedp.WaitVisible(chromedp.ID("award-selected")))
	text, err := innerText(ctx, "table.decisions")
	must(t, err)
	if !strings.Contains(text, passer) || !strings.Contains(text, "技能考核不合格") || strings.Count(text, "建议认定") != 1 {
		t.Fatalf("decisions: %s", text)
	}
	step(t, ctx, "award", chromedp.Click(chromedp.CSS(`input[name=user_id]`)), chromedp.Click(chromedp.ID("award-selected")),
		chromedp.WaitVisible(chromedp.CSS(`table.decisions a.mono`)))
	number, err := innerText(ctx, "table.decisions a.mono")
	must(t, err)
	step(t, ctx, "open the certificate", chromedp.Click(chromedp.CSS(`table.decisions a.mono`)), chromedp.WaitVisible(chromedp.CSS(`a[href$="/print"]`)))
	step(t, ctx, "open the printable page", chromedp.Click(chromedp.CSS(`a[href$="/print"]`)), chromedp.WaitVisible(chromedp.CSS("article.certificate svg.cert-qr")))
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`[...document.styleSheets].some(s => [...s.cssRules].some(r => r.cssText.toLowerCase().includes('a4 landscape')))`))
	must(t, err)
	cert, err := innerText(ctx, "article.certificate")
	must(t, err)
	if !ok || !strings.Contains(cert, passer) || !strings.Contains(cert, number) || !strings.Contains(cert, "五级（初级工）") {
		t.Fatalf("printable certificate (A4 landscape rule %v): %s", ok, cert)
	}
	return number
}

// visitorVerifies types the number (without hyphens) into /verify with no sign-in.
func visitorVerifies(t *testing.T, ctx context.Context, base, number, holder string) {
	t.Helper()
	step(t, ctx, "verify", chromedp.Navigate(base+"/verify"), chromedp.WaitVisible(chromedp.ID("no")),
		chromedp.SendKeys(chromedp.ID("no"), strings.ReplaceAll(number, "-", "")), chromedp.Click(chromedp.ID("verify-submit")),
		chromedp.WaitVisible(chromedp.ID("verify-result")))
	text, err := innerText(ctx, "#verify-result")
	must(t, err)
	masked := string([]rune(holder)[:1]) + "*"
	if !strings.Contains(text, "有效") || !strings.Contains(text, number) || !strings.Contains(text, masked) || strings.Contains(text, holder) {
		t.Fatalf("verification shows: %s", text)
	}
}

// step runs browser actions and names the one that failed, with the page it was on.
func step(t *testing.T, ctx context.Context, name string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		url, _ := chromedp.Run(ctx, chromedp.Location())
		text, _ := innerText(ctx, "main")
		t.Fatalf("%s: %v (at %s: %.400s)", name, err, url, text)
	}
}

// innerText is the rendered text of the first element matching a CSS selector.
func innerText(ctx context.Context, sel string) (string, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q) || {innerText: ""}).innerText`, sel)))
}
