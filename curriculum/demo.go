package curriculum

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"unicode/utf8"

	"clerkskill/rbac"
)

//go:embed demo/*.md
var demoFS embed.FS

// demoCourse is one course of the demo catalogue as written in demo/*.md: a header of
// "key: value" lines between "---" lines, then "## " modules and "### " lessons; a lesson
// title ending in （选学） is optional.
type demoCourse struct {
	Meta    Meta
	Modules []demoModule
}

type demoModule struct {
	Title   string
	Lessons []LessonInput
}

func parseDemo(name string, src string) (*demoCourse, error) {
	head, body, ok := strings.Cut(strings.TrimPrefix(src, "---\n"), "\n---\n")
	if !ok {
		return nil, fmt.Errorf("%s: no header", name)
	}
	d := &demoCourse{}
	if err := d.header(head); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var text []string
	flush := func() {
		if ms := d.Modules; len(ms) > 0 && len(ms[len(ms)-1].Lessons) > 0 {
			l := &ms[len(ms)-1].Lessons[len(ms[len(ms)-1].Lessons)-1]
			l.Body = strings.TrimSpace(strings.Join(text, "\n"))
			l.Minutes = max(5, utf8.RuneCountInString(l.Body)/200*5)
		}
		text = nil
	}
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			flush()
			d.Modules = append(d.Modules, demoModule{Title: strings.TrimSpace(line[3:])})
		case strings.HasPrefix(line, "### ") && len(d.Modules) > 0:
			flush()
			title, optional := strings.CutSuffix(strings.TrimSpace(line[4:]), "（选学）")
			m := &d.Modules[len(d.Modules)-1]
			m.Lessons = append(m.Lessons, LessonInput{Title: title, Required: !optional})
		default:
			text = append(text, line)
		}
	}
	flush()
	return d, sc.Err()
}

func (d *demoCourse) header(head string) error {
	for _, line := range strings.Split(head, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return fmt.Errorf("header line %q", line)
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "code":
			d.Meta.Code = v
		case "title":
			d.Meta.Title = v
		case "summary":
			d.Meta.Summary = v
		case "kind":
			d.Meta.Kind = Kind(v)
		case "hours":
			d.Meta.ClassHours, _ = strconv.ParseFloat(v, 64)
		case "shared":
			d.Meta.Shared = v == "true"
		case "levels":
			for _, x := range strings.Split(v, ",") {
				n, _ := strconv.Atoi(strings.TrimSpace(x))
				d.Meta.Levels = append(d.Meta.Levels, n)
			}
		case "codes":
			for _, x := range strings.Split(v, ",") {
				d.Meta.Codes = append(d.Meta.Codes, strings.TrimSpace(x))
			}
		}
	}
	return nil
}

// DemoCatalogue parses the embedded demo courses, in file order.
func DemoCatalogue() ([]*demoCourse, error) {
	files, err := fs.Glob(demoFS, "demo/*.md")
	if err != nil {
		return nil, err
	}
	var out []*demoCourse
	for _, f := range files {
		b, err := demoFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		d, err := parseDemo(f, string(b))
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// Demo is what the demo needs from the org tree: who owns the catalogue, which township
// gets the pre-job course, and the clerks who arrive with assignments and progress.
type Demo struct {
	Owner    *rbac.OrgUnit
	Township *rbac.OrgUnit
	Learners []Learner
}
