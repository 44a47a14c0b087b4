// Package webtest renders pages in tests the way handlers do, so each package can prove
// that every page it owns renders with its handlers' own data.
package webtest

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

// Case is one rendering of a page: the data a handler passes, text that must appear and
// text that must not.
type Case struct {
	Name, Page   string
	Data         web.Page
	Want, Absent []string
}

// broken marks output of a template that went wrong, or inline style the CSP would block.
var broken = []string{"<no value>", "ZgotmplZ", "style="}

// Pages renders every case and fails on missing or unwanted text, on the marks of a broken
// template, and when a page in owned has no case, so a new page cannot go untested.
func Pages(t *testing.T, r *web.Renderer, owned []string, cases []Case) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range cases {
		seen[c.Page] = true
		body := Render(t, r, c.Page, c.Data)
		for _, w := range c.Want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: missing %q", c.Name, w)
			}
		}
		for _, bad := range append(c.Absent, broken...) {
			if strings.Contains(body, bad) {
				t.Errorf("%s: output contains %q", c.Name, bad)
			}
		}
	}
	for _, n := range owned {
		if !seen[n] {
			t.Errorf("page %s has no render case", n)
		}
	}
}

// Render renders page with p through a Fiber app, as a handler would, and returns the body.
func Render(t testing.TB, r *web.Renderer, page string, p web.Page) string {
	t.Helper()
	app := fiber.New()
	app.Get("/", func(c *fiber.Ctx) error { return r.Render(c, 200, page, p) })
	resp, err := app.Test(httptest.NewRequest("GET", "/", nil))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: status %d: %s", page, resp.StatusCode, b)
	}
	return string(b)
}

// MustRenderer parses the embedded templates or fails the test.
func MustRenderer(t testing.TB) *web.Renderer {
	t.Helper()
	r, err := web.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	return r
}
