package app_test

import (
	"strings"
	"testing"

	"clerkskill/app"
	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
)

// Security: /metrics answers a scraper holding CLERKSKILL_METRICS_TOKEN or a signed-in
// admin; anyone else learns nothing of it, not even the names of the series.

const metricsToken = "scrape-0123456789abcdef0123456789"

func TestSecurityMetricsAccess(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			cfg := app.TestConfig()
			cfg.MetricsToken = metricsToken
			env := apptest.NewWithConfig(t, dialect, cfg)
			for _, c := range []struct {
				name   string
				token  string
				header map[string]string
				status int
			}{
				{"anonymous", "", nil, 401},
				{"anonymous browser", "", map[string]string{"Accept": "text/html"}, 401},
				{"wrong token", "scrape-0123456789abcdef012345678X", nil, 401},
				{"the token with a suffix", metricsToken + "x", nil, 401},
				{"right token", metricsToken, nil, 200},
				{"clerk's session", env.Login("clerk061"), nil, 403},
				{"HR's session", env.Login("hr"), nil, 403},
				{"admin's session", env.Login("admin"), nil, 200},
			} {
				r := env.Do(apptest.Request{Method: "GET", Path: "/metrics", Token: c.token, Header: c.header})
				if r.Status != c.status {
					t.Errorf("%s: status %d, want %d", c.name, r.Status, c.status)
				}
				if shows := strings.Contains(r.Body, "clerkskill_http_"); shows != (c.status == 200) {
					t.Errorf("%s: metric names shown=%v: %.200s", c.name, shows, r.Body)
				}
			}
		})
	}
}

// Without a token configured no bearer value opens /metrics, the empty one included.
func TestSecurityMetricsWithoutToken(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		for _, tok := range []string{"", " ", metricsToken} {
			r := env.Do(apptest.Request{Method: "GET", Path: "/metrics", Header: map[string]string{"Authorization": "Bearer " + tok}})
			if r.Status != 401 || strings.Contains(r.Body, "clerkskill_http_") {
				t.Errorf("bearer %q: %d %.200s", tok, r.Status, r.Body)
			}
		}
		mustStatus(t, env.Do(apptest.Request{Method: "GET", Path: "/metrics", Token: env.Login("admin")}), 200, "admin")
	})
}
