package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

//go:embed templates static
var assets embed.FS

// StaticFS is the embedded static tree, served under /static.
func StaticFS() fs.FS {
	sub, _ := fs.Sub(assets, "static")
	return sub
}

// Page is what every page template receives: the frame around a page-specific Data struct.
type Page struct {
	Title string
	User  *Viewer
	CSRF  string
	Flash string
	Data  any
}

// Viewer is the signed-in person as the page frame shows them.
type Viewer struct {
	ID          int64
	Username    string
	DisplayName string
	Roles       []string // role names, for the menu
}

// Has reports whether the viewer holds role anywhere.
func (v *Viewer) Has(role string) bool {
	if v == nil {
		return false
	}
	for _, r := range v.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// Renderer holds every page parsed once at start.
type Renderer struct {
	pages  map[string]*template.Template
	hashes map[string]string
}

// NewRenderer parses the layout with each page under templates/pages.
func NewRenderer() (*Renderer, error) {
	r := &Renderer{pages: map[string]*template.Template{}, hashes: map[string]string{}}
	if err := r.hashAssets(); err != nil {
		return nil, err
	}
	base, err := template.New("").Funcs(r.funcs()).ParseFS(assets, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	files, err := fs.Glob(assets, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(assets, f)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}
		r.pages[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return r, nil
}

// PageNames lists every page template, for the test that renders them all.
func (r *Renderer) PageNames() []string {
	names := make([]string, 0, len(r.pages))
	for n := range r.pages {
		names = append(names, n)
	}
	return sortStrings(names)
}

// pagePrefixes name the packages whose pages carry their prefix; each of those packages
// has its own test that renders every page it owns. Pages without a prefix are rbac's.
var pagePrefixes = []string{"standard_", "question_", "blueprint_", "paper_", "practice_", "exam_", "mark_", "result_", "course_", "lesson_", "learn_", "event_", "hours_", "report_", "application_", "qualification_", "register_", "competency_", "pay_", "sheets_"}

// OwnedElsewhere reports whether a page belongs to a package with its own page prefix.
func OwnedElsewhere(page string) bool {
	for _, p := range pagePrefixes {
		if strings.HasPrefix(page, p) {
			return true
		}
	}
	return false
}

// PagesWithPrefix lists the pages a package owns, for its render test.
func (r *Renderer) PagesWithPrefix(prefix string) []string {
	var out []string
	for _, n := range r.PageNames() {
		if strings.HasPrefix(n, prefix) {
			out = append(out, n)
		}
	}
	return out
}

// Render writes page name inside the layout.
func (r *Renderer) Render(c *fiber.Ctx, status int, name string, p Page) error {
	t, ok := r.pages[name]
	if !ok {
		return fmt.Errorf("render: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(buf.Bytes())
}

func (r *Renderer) hashAssets() error {
	return fs.WalkDir(assets, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assets.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		r.hashes[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:])[:10]
		return nil
	})
}

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) string {
			return "/static/" + name + "?v=" + r.hashes[name]
		},
		"date":     func(t any) string { return formatTime(t, "2006-01-02") },
		"datetime": func(t any) string { return formatTime(t, "2006-01-02 15:04") },
		"add":      func(a, b int) int { return a + b },
		"seq": func(n int) []int {
			s := make([]int, n)
			for i := range s {
				s[i] = i
			}
			return s
		},
	}
}

func formatTime(v any, layout string) string {
	switch t := v.(type) {
	case time.Time:
		if t.IsZero() {
			return ""
		}
		return t.Local().Format(layout)
	case *time.Time:
		if t == nil || t.IsZero() {
			return ""
		}
		return t.Local().Format(layout)
	}
	return ""
}
