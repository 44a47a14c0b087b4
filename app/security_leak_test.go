package app_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/web"
	"clerkskill/exams/bank"
)

// leakMarker is planted in every question's explanation (解析) and marking guide; no
// response to a clerk before answering may carry it, nor the fields that hold keys.
const leakMarker = "解析标记LEAK7F3"

var keyFields = []string{leakMarker, `"answer":`, `"explanation":`, `"choice":`, `"judge":`, `"blanks":`, `"guide":`, `"rubric":`}

// TestSecurityClerkGetsNoKeys walks every GET route of the whole table a clerk may reach
// (practice, the course quiz, learning, results, exams, exports and paper previews it is
// refused), by cookie and by API token, after starting a course quiz, and proves no
// response carries an answer key, a 解析 or a marking guide. The exam routes have their
// own, deeper walk in exams/session/leak_test.go; this one covers the rest of the table.
func TestSecurityClerkGetsNoKeys(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		fx := newFixture(t, env)
		plantKeys(t, env, fx)
		course := fx.learnCourseID("")
		tok := env.Login("clerk061")
		csrf := env.CSRFFor(tok)
		lesson := itoa(fx.learnLessonID(""))
		checkNoKeys(t, "GET lesson", env.Do(apptest.Request{Method: "GET", Path: "/api/v1/learning/lessons/" + lesson, Token: tok}))
		done := env.Do(apptest.Request{Method: "POST", Path: "/api/v1/learning/lessons/" + lesson + "/done", Token: tok, JSON: "{}"})
		mustStatus(t, done, http.StatusOK, "finish the course's lesson")
		start := env.Do(apptest.Request{Method: "POST", Path: "/api/v1/learning/courses/" + itoa(course) + "/quiz/attempts", Token: tok, JSON: "{}"})
		checkNoKeys(t, "POST start quiz (API)", start)
		if start.Status != http.StatusCreated || !strings.Contains(start.Body, "窗口人员应当场核对申请材料") {
			t.Fatalf("the quiz did not start, so its questions were not checked: %d %.200s", start.Status, start.Body)
		}
		page := env.Do(apptest.Request{Method: "POST", Path: "/learn/courses/" + itoa(course) + "/quiz/start", Cookie: tok, CSRF: csrf, Form: map[string][]string{}})
		checkNoKeys(t, "POST start quiz (page)", page)
		walked := 0
		for _, route := range env.Srv.Routes {
			if route.Method != http.MethodGet || !clerkMayTry(route) {
				continue
			}
			path := fx.fill(route.Path, "chengguan")
			for _, req := range []apptest.Request{{Method: "GET", Path: path, Token: tok}, {Method: "GET", Path: path, Cookie: tok}} {
				r := env.Do(req)
				walked++
				checkNoKeys(t, "GET "+path, r)
			}
		}
		if walked < 40 {
			t.Fatalf("walked only %d responses", walked)
		}
	})
}

// clerkMayTry picks the routes worth walking as a clerk: those it is allowed, those for
// any signed-in account, and the question, paper and export routes it must be refused.
func clerkMayTry(r web.Route) bool {
	if r.Rule == "signed-in" || contains(rolePermissions["clerk"], r.Rule) {
		return !strings.HasSuffix(r.Path, "logout")
	}
	for _, p := range []string{"/questions", "/papers", "/blueprints", "/api/v1/questions", "/api/v1/papers", "/api/v1/blueprints", "/exports", "/api/v1/exports"} {
		if strings.HasPrefix(r.Path, p) {
			return true
		}
	}
	return false
}

func checkNoKeys(t *testing.T, what string, r *apptest.Response) {
	t.Helper()
	if r.Status >= 500 {
		t.Errorf("%s: %d %.200s", what, r.Status, r.Body)
	}
	for _, k := range keyFields {
		if strings.Contains(r.Body, k) {
			i := strings.Index(r.Body, k)
			t.Errorf("%s (%d) carries %s: …%.160s…", what, r.Status, k, r.Body[max(0, i-80):])
		}
	}
}

// plantKeys adds a county single-choice and short question for practice and marks every
// question's 解析 and guide with leakMarker.
func plantKeys(t *testing.T, env *apptest.Env, fx *fixture) {
	t.Helper()
	ctx := context.Background()
	county, err := env.Srv.RBAC.FindOrgByCode(ctx, "QS")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []*bank.Question{
		{Type: bank.Single, Levels: bank.LevelsOf(5), Code: "2.1", Difficulty: 1, Score: 1, Stem: "受理时发现材料不全，应当：",
			Options: []string{"一次性告知", "分次告知", "直接退回", "不予受理"}, Answer: bank.Answer{Choice: "A"}, Pool: bank.PoolBoth, OwnerOrgID: county.ID},
		{Type: bank.Short, Levels: bank.LevelsOf(5), Code: "2.1", Difficulty: 1, Score: 5, Stem: "简述一次性告知制度。",
			Answer: bank.Answer{Guide: leakMarker}, Pool: bank.PoolBoth, OwnerOrgID: county.ID},
	} {
		if err := env.Srv.Bank.CreateQuestion(ctx, 0, q); err != nil {
			t.Fatal(err)
		}
	}
	fx.learnFixture()
	if _, err := env.Srv.DB.NewUpdate().Table("questions").Set("explanation = ?", leakMarker).Where("1 = 1").Exec(ctx); err != nil {
		t.Fatal(err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
