package app_test

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"clerkskill/app"
	"clerkskill/app/apptest"
)

var pathParam = regexp.MustCompile(`:(\w+)`)

// TestOpenAPIMatchesRoutes keeps the document in step with the route table both ways:
// every /api/v1 route is documented and every documented operation is served.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	env := apptest.New(t, "sqlite")
	b, err := app.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			if m != "parameters" {
				documented[strings.ToUpper(m)+" "+p] = true
			}
		}
	}
	served := map[string]bool{}
	for _, r := range env.Srv.Routes {
		if strings.HasPrefix(r.Path, "/api/v1/") && r.Path != "/api/v1/openapi.json" {
			served[r.Method+" "+pathParam.ReplaceAllString(r.Path, "{$1}")] = true
		}
	}
	for _, k := range sortedKeys(served) {
		if !documented[k] {
			t.Errorf("route %s is not in the OpenAPI document", k)
		}
	}
	for _, k := range sortedKeys(documented) {
		if !served[k] {
			t.Errorf("OpenAPI documents %s, which no route serves", k)
		}
	}
	if len(served) < 10 {
		t.Fatalf("only %d API routes found; the route table is not being read", len(served))
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
