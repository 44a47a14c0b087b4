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
	"clerkskill/exams"
	"clerkskill/exams/paper"
	"clerkskill/exams/session"
	"clerkskill/rbac"
)

// TestBrowserSkillExamMarkedReleasedSeen: clerk062 sits a 五级 skill part (practical tasks
// at a simulated window) and submits; the trainer, the session's assessor, marks every task
// in the marking queue criterion by criterion; after the window closes the trainer releases
// the results; the clerk sees the part's score.
func TestBrowserSkillExamMarkedReleasedSeen(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			sessionID := skillSession(t, env)
			base := env.Listen()
			clerkSitsSkillPart(t, newBrowser(t), base)
			trainer := newBrowser(t)
			trainerMarksAll(t, trainer, base, sessionID)
			env.Now.Advance(3 * time.Hour) // the window has closed
			trainerReleases(t, trainer, base, sessionID)
			clerkSeesResult(t, newBrowser(t), base)
		})
	}
}

// skillSession loads the demo bank and blueprints and schedules a 五级 skill session at
// 城关镇 with clerk062 as candidate and the trainer as assessor.
func skillSession(t *testing.T, env *apptest.Env) int64 {
	t.Helper()
	ctx, srv := context.Background(), env.Srv
	county, err := srv.RBAC.FindOrgByCode(ctx, "QS")
	must(t, err)
	town, err := srv.RBAC.FindOrgByCode(ctx, "QS-CG")
	must(t, err)
	_, err = srv.Bank.SeedDemo(ctx, exams.DemoQuestions, county.ID)
	must(t, err)
	_, err = srv.Papers.SeedDemo(ctx, county.ID)
	must(t, err)
	bp, err := srv.Papers.FindBlueprintFor(ctx, 5, exams.PartSkill)
	must(t, err)
	trainer, err := srv.RBAC.FindUserByUsername(ctx, "trainer")
	must(t, err)
	now := env.Now.Now()
	ss, err := srv.Sessions.CreateSession(ctx, trainer.ID, &session.Input{Name: "城关镇五级技能考核", Level: 5, OrgID: town.ID,
		OpensAt: now.Add(-time.Minute), ClosesAt: now.Add(2 * time.Hour), Rooms: []string{"模拟窗口"},
		Parts: []session.PartInput{{Kind: exams.PartSkill, DurationMinutes: 60, Source: paper.Source{BlueprintID: bp.ID}}}})
	must(t, err)
	all := rbac.Scope{"/"}
	_, err = srv.Sessions.AddCandidates(ctx, ss.ID, all, session.CandidateInput{Usernames: []string{"clerk062"}, Room: "模拟窗口"})
	must(t, err)
	must(t, srv.Sessions.AddStaff(ctx, ss.ID, all, session.StaffInput{Username: "trainer", Role: session.RoleAssessor, Room: "模拟窗口"}))
	return ss.ID
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func clerkSitsSkillPart(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	err := chromedp.Do(ctx, browserLogin(base, "clerk062", rbac.DemoPassword), chromedp.WaitVisible(chromedp.ID("home")),
		chromedp.Navigate(base+"/exam"), chromedp.WaitVisible(chromedp.ID("my-exams")),
		chromedp.Click(chromedp.CSS(`button[data-start]`)), chromedp.WaitVisible(chromedp.ID("paper")))
	must(t, err)
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#paper textarea').length`))
	if err != nil || n == 0 {
		t.Fatalf("start the skill part: %d tasks, %v", n, err)
	}
	for i := range n {
		answer := fmt.Sprintf("核验身份证件原件，对照清单一次性告知所缺材料，并登记回访（第%d题）", i+1)
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID(fmt.Sprintf("t%d", i)), answer)); err != nil {
			t.Fatal(err)
		}
	}
	waitUntil(t, ctx, "every task saved", fmt.Sprintf(`document.getElementById('answered').textContent === '%d' && document.getElementById('save-state').textContent === '已保存'`, n))
	err = chromedp.Do(ctx, chromedp.Click(chromedp.ID("to-submit")), chromedp.WaitVisible(chromedp.ID("confirm")),
		chromedp.Click(chromedp.ID("submit")), chromedp.WaitVisible(chromedp.ID("closed")))
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
}

// trainerMarksAll opens each task waiting in the trainer's queue and gives every criterion
// its full points.
func trainerMarksAll(t *testing.T, ctx context.Context, base string, sessionID int64) {
	t.Helper()
	queue := fmt.Sprintf("%s/marking/%d", base, sessionID)
	must(t, chromedp.Do(ctx, browserLogin(base, "trainer", rbac.DemoPassword), chromedp.WaitVisible(chromedp.ID("home"))))
	marked := 0
	for ; marked < 50; marked++ {
		must(t, chromedp.Do(ctx, chromedp.Navigate(queue), chromedp.WaitVisible(chromedp.CSS("h1"))))
		next, err := chromedp.Run(ctx, chromedp.Evaluate[string](`([...document.querySelectorAll('a[href*="/task?attempt="]')].find(a => a.textContent === '评分') || {}).href || ''`))
		must(t, err)
		if next == "" {
			break
		}
		must(t, chromedp.Do(ctx, chromedp.Navigate(next), chromedp.WaitVisible(chromedp.CSS(`form[action$="/task"]`))))
		_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelectorAll('input[name=c], #raw').forEach(i => { i.value = i.max }); true`))
		must(t, err)
		err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`form[action$="/task"] button[type=submit]`)),
			chromedp.WaitNotPresent(chromedp.CSS(`form[action$="/task"]`)))
		if err != nil {
			t.Fatalf("mark task %d: %v", marked+1, err)
		}
	}
	if marked == 0 {
		t.Fatal("the assessor's queue held no practical task")
	}
}

func trainerReleases(t *testing.T, ctx context.Context, base string, sessionID int64) {
	t.Helper()
	// The clock moved past the window, and past the idle timeout of the earlier sign-in.
	err := chromedp.Do(ctx, browserLogin(base, "trainer", rbac.DemoPassword), chromedp.WaitVisible(chromedp.ID("home")),
		chromedp.Navigate(fmt.Sprintf("%s/results/%d", base, sessionID)),
		chromedp.Click(chromedp.CSS(`form[action$="/release"] button[type=submit]`)))
	must(t, err)
	waitUntil(t, ctx, "results released", `(document.getElementById('release-state') || {textContent: ''}).textContent.startsWith('已发布')`)
}

func clerkSeesResult(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	err := chromedp.Do(ctx, browserLogin(base, "clerk062", rbac.DemoPassword), chromedp.WaitVisible(chromedp.ID("home")),
		chromedp.Navigate(base+"/results/mine"), chromedp.WaitVisible(chromedp.CSS("h1")))
	must(t, err)
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	must(t, err)
	if !strings.Contains(text, "城关镇五级技能考核") || !strings.Contains(text, "技能考核：100.0分（合格") {
		t.Fatalf("the clerk's result page says: %.600s", text)
	}
}

// waitUntil polls a JavaScript expression until it is true.
func waitUntil(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr)); err == nil && ok {
			return
		}
	}
	t.Fatalf("%s: %s stayed false", what, expr)
}
