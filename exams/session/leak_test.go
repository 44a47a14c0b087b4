package session_test

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/exams/bank"
	"clerkskill/exams/session"
)

// candidatePrefixes are the paths whose routes a candidate's walk covers: every page and
// API route of exam delivery (marking adds its results routes under these too), plus the
// home page.
var candidatePrefixes = []string{"/exam", "/sessions", "/attempts", "/api/v1/sessions", "/api/v1/attempts", "/api/v1/results", "/results"}

// forbiddenText is what no candidate response may carry before results are released: the
// markers planted in keys, explanations, guides and rubrics, the JSON fields that would
// hold them, and the other candidate's name.
func forbiddenText(e *examEnv) []string {
	other, _ := e.Srv.RBAC.FindUserByUsername(context.Background(), "clerk063")
	return []string{explMarker, guideMarker, rubrMarker, keyMarker, `"answer"`, `"explanation"`, `"rubric"`, `"guide"`,
		`"score"`, `"points_awarded"`, other.DisplayName, "clerk063"}
}

// TestCandidateNeverReceivesKeysOrOthersData walks every route of the table under the
// candidate prefixes, and the home page, as a candidate during the exam and after it is
// closed, by browser session and by API token, and proves no response carries a key, an
// explanation, a guide, a rubric or another candidate's name.
func TestCandidateNeverReceivesKeysOrOthersData(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newExam(t, d, 2*time.Hour, 60)
			rival := e.start(t, "clerk063", "r")
			_, _ = e.store.SaveAnswer(context.Background(), rival.ID, rival.UserID, session.SaveInput{Idx: 4, Response: bankText("对手的作答内容"), Seq: 1})
			clerk := signIn(e.Env, "clerk062")
			a := e.start(t, "clerk062", "k")
			_, _ = e.store.SaveAnswer(context.Background(), a.ID, a.UserID, session.SaveInput{Idx: 3, Response: bankText("一次性"), Seq: 1})
			walked := walk(t, e, clerk, a, rival, "during the exam")
			if _, err := e.store.Submit(context.Background(), a.ID, a.UserID); err != nil {
				t.Fatal(err)
			}
			walked += walk(t, e, clerk, a, rival, "after submitting")
			e.Now.Advance(3 * time.Hour)
			if _, err := e.store.CloseExpired(context.Background()); err != nil {
				t.Fatal(err)
			}
			walked += walk(t, e, clerk, a, rival, "after the session")
			if walked < 40 {
				t.Fatalf("walked only %d responses; the route table is not being read", walked)
			}
		})
	}
}

func bankText(s string) bank.Response { return bank.Response{Blanks: []string{s}, Text: s} }

// walk sends every candidate route once as page and once as API client, filling :id with
// the candidate's own attempt or session, and with the rival's attempt; it returns how
// many responses it checked.
func walk(t *testing.T, e *examEnv, c *client, own, rival *session.Attempt, when string) int {
	t.Helper()
	n := 0
	bad := forbiddenText(e)
	for _, r := range submitsLast(e.Srv.Routes) {
		if r.Path != "/" && !hasAnyPrefix(r.Path, candidatePrefixes) {
			continue
		}
		for _, id := range idsFor(r.Path, e, own, rival) {
			path := strings.Replace(r.Path, ":id", strconv.FormatInt(id, 10), 1)
			for _, asAPI := range []bool{false, true} {
				resp := e.Do(candidateRequest(e, c, r, path, asAPI))
				n++
				for _, b := range bad {
					if strings.Contains(resp.Body, b) {
						t.Errorf("%s: %s %s (api=%v) answered %d carrying %q", when, r.Method, path, asAPI, resp.Status, b)
					}
				}
			}
		}
	}
	return n
}

// submitsLast orders the routes so that the walk submits only after it has seen the rest.
func submitsLast(routes []web.Route) []web.Route {
	out := append([]web.Route(nil), routes...)
	sort.SliceStable(out, func(i, j int) bool {
		return !strings.HasSuffix(out[i].Path, "/submit") && strings.HasSuffix(out[j].Path, "/submit")
	})
	return out
}

func hasAnyPrefix(p string, prefixes []string) bool {
	for _, x := range prefixes {
		if strings.HasPrefix(p, x) {
			return true
		}
	}
	return false
}

func idsFor(path string, e *examEnv, own, rival *session.Attempt) []int64 {
	switch {
	case !strings.Contains(path, ":id"):
		return []int64{0}
	case strings.Contains(path, "/attempts/:id"):
		return []int64{own.ID, rival.ID}
	}
	return []int64{e.session.ID}
}

// candidateRequest builds a plausible request for the route: real bodies for the routes a
// candidate uses, an empty one for the rest.
func candidateRequest(e *examEnv, c *client, r web.Route, path string, asAPI bool) apptest.Request {
	req := apptest.Request{Method: r.Method, Path: path}
	if asAPI {
		req.Token = c.cookie
		req.Header = map[string]string{"Accept": "application/json"}
	} else {
		req.Cookie, req.CSRF = c.cookie, c.csrf
	}
	if r.Method == http.MethodGet {
		return req
	}
	body := map[string]any{}
	switch {
	case strings.HasSuffix(r.Path, "/start"):
		body["part_id"] = e.session.Parts[0].ID
	case strings.HasSuffix(r.Path, "/answers") || strings.HasSuffix(r.Path, "/answer"):
		body["idx"], body["seq"] = 0, time.Now().UnixNano()
	case strings.HasSuffix(r.Path, "/events"):
		body["kind"] = "blur"
	}
	if strings.HasPrefix(r.Path, "/api/") {
		req.JSON = body
	} else {
		req.Form = formOf(body)
	}
	return req
}

func formOf(m map[string]any) map[string][]string {
	f := map[string][]string{}
	for k, v := range m {
		f[k] = []string{fmt.Sprint(v)}
	}
	return f
}
