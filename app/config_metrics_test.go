package app

import (
	"strings"
	"testing"
)

// The metrics token is read from the environment, shown in the config printout only as
// set or not set, and refused when short.
func TestMetricsTokenConfig(t *testing.T) {
	const token = "scrape-0123456789abcdef0123456789"
	env := map[string]string{"CLERKSKILL_METRICS_TOKEN": token}
	getenv := func(k string) string { return env[k] }
	cfg, err := loadEnv(getenv)
	if err != nil || cfg.MetricsToken != token {
		t.Fatalf("token not read: %v", err)
	}
	if s := cfg.String(); strings.Contains(s, token) || !strings.Contains(s, "metrics token") || !strings.Contains(s, "(set)") {
		t.Errorf("the printout must say the token is set and never show it:\n%s", s)
	}
	env["CLERKSKILL_METRICS_TOKEN"] = "short"
	if _, err := loadEnv(getenv); err == nil || !strings.Contains(err.Error(), "CLERKSKILL_METRICS_TOKEN") {
		t.Errorf("a short metrics token was taken: %v", err)
	}
	delete(env, "CLERKSKILL_METRICS_TOKEN")
	if cfg, _ := loadEnv(getenv); !strings.Contains(cfg.String(), "metrics token      (not set)") {
		t.Errorf("the printout must say the token is not set:\n%s", cfg.String())
	}
}
