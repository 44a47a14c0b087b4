package curriculum_test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"

	"clerkskill/app/web/webtest"
	"clerkskill/curriculum"
)

// FuzzRenderMarkdown renders lesson Markdown, seeded with the demo lessons and the hostile
// inputs above: whatever comes in, no script element and no on…= event attribute comes out.
func FuzzRenderMarkdown(f *testing.F) {
	lessons, err := filepath.Glob(filepath.Join("demo", "*.md"))
	if err != nil || len(lessons) == 0 {
		f.Fatalf("demo lessons: %v", err)
	}
	for _, name := range lessons {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, src := range hostile {
		f.Add(src)
	}
	f.Add("<scr<script>ipt>alert(1)</script>\n\n[a](java\tscript:x) <a title='x onclick=y'>z</a>")
	f.Add(strings.Repeat("> ", 5000) + strings.Repeat("*[", 5000))
	f.Fuzz(func(t *testing.T, src string) {
		start := time.Now()
		out := string(curriculum.RenderMarkdown(src))
		webtest.Within(t, start)
		if bad := unsafeMarkup(out); bad != "" {
			t.Errorf("%q rendered %q: %s", src, out, bad)
		}
	})
}

// unsafeMarkup tokenizes rendered HTML as a browser would and names the first script
// element, event-handler attribute or script URL it finds.
func unsafeMarkup(out string) string {
	if strings.Contains(strings.ToLower(out), "<script") {
		return "contains <script"
	}
	z := xhtml.NewTokenizer(strings.NewReader(out))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			if z.Err() == io.EOF {
				return ""
			}
			return z.Err().Error()
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			if bad := unsafeTag(z.Token()); bad != "" {
				return bad
			}
		}
	}
}

func unsafeTag(tok xhtml.Token) string {
	if tok.Data == "script" {
		return "script element"
	}
	for _, a := range tok.Attr {
		key, val := strings.ToLower(a.Key), strings.ToLower(strings.TrimSpace(a.Val))
		switch {
		case strings.HasPrefix(key, "on"):
			return "event attribute " + a.Key
		case (key == "href" || key == "src") && (strings.HasPrefix(val, "javascript:") || strings.HasPrefix(val, "vbscript:")):
			return "script URL in " + a.Key
		}
	}
	return ""
}
