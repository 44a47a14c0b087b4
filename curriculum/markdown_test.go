package curriculum_test

import (
	"strings"
	"testing"

	"clerkskill/curriculum"
)

// hostile is Markdown that tries every way we know to get script into a lesson page.
var hostile = []string{
	"<script>alert('x')</script>",
	"<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
	"[点我](javascript:alert(1))",
	"[点我](JaVaScRiPt:alert(1))",
	"[点我](&#106;avascript:alert(1))",
	"![图](javascript:alert(1))",
	"<img src=x onerror=alert(1)>",
	"<a href=\"#\" onclick=\"alert(1)\">链接</a>",
	"<iframe src=\"https://evil.example\"></iframe>",
	"<div style=\"position:fixed\" onmouseover=\"alert(1)\">x</div>",
	"<svg><script>alert(1)</script></svg>",
	"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
	"<form action=\"https://evil.example\"><input name=pw></form>",
	"<object data=\"x.swf\"></object><embed src=\"x.swf\">",
	"<p><a href=\"vbscript:msgbox(1)\">x</a></p>",
	"`<script>` in code is text\n\n```html\n<script>alert(1)</script>\n```",
}

func TestMarkdownSanitised(t *testing.T) {
	for _, src := range hostile {
		out := strings.ToLower(string(curriculum.RenderMarkdown(src)))
		for _, bad := range []string{"<script", "javascript:", "onerror", "onclick", "onmouseover", "<iframe", "style=",
			"<form", "<object", "<embed", "vbscript:", "data:text/html", "<svg"} {
			if strings.Contains(out, bad) {
				t.Errorf("%q rendered %q: contains %q", src, out, bad)
			}
		}
	}
}

func TestMarkdownFeatures(t *testing.T) {
	src := "## 办理流程\n\n1. 取号\n2. 受理\n\n| 事项 | 时限 |\n|---|---|\n| 营业执照 | 1个工作日 |\n\n**一次告知**，见[指南](https://zwfw.example.gov.cn/guide)。"
	out := string(curriculum.RenderMarkdown(src))
	for _, want := range []string{"<h2", "<ol>", "<table>", "<td>营业执照</td>", "<strong>一次告知</strong>",
		`href="https://zwfw.example.gov.cn/guide"`, `rel="nofollow noopener"`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in %s", want, out)
		}
	}
}
