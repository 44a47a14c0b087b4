package bank

import (
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ParseGIFT reads a subset of Moodle's GIFT format:
//
//	::title:: stem {=right ~wrong ~wrong}       single choice
//	stem {~%50%a ~%50%b ~%-100%c}              multiple choice (positive weights are right)
//	stem {T} / {F}                             true or false
//	stem {=answer =other answer} rest of stem  fill in the blank, several accepted answers
//
// Items are separated by blank lines; lines starting with // are comments and $CATEGORY
// lines are ignored. Matching, numerical and essay questions are refused item by item.
// The title becomes the knowledge point; levels, code and the rest come from opt.Defaults.
func ParseGIFT(r io.Reader, opt ImportOptions) ([]*Question, *Report, error) {
	lines, err := readTextUpload(r, opt)
	if err != nil {
		return nil, nil, err
	}
	rep := &Report{Format: FormatGIFT}
	var items []*textItem
	var cur *textItem
	for i, line := range lines {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "//") || strings.HasPrefix(t, "$CATEGORY"):
		case t == "":
			cur = nil
		case cur == nil:
			cur = &textItem{line: i + 1, lines: []string{t}}
			items = append(items, cur)
		default:
			cur.lines = append(cur.lines, t)
		}
		if len(items) > opt.maxRows() {
			return nil, nil, tooManyItems(opt)
		}
	}
	for _, it := range items {
		it.q = giftItem(it, rep)
	}
	return finishText(items, opt, rep)
}

var (
	giftTitle  = regexp.MustCompile(`^::((?:[^:\\]|\\.|:[^:])*)::`)
	giftFormat = regexp.MustCompile(`^\[(html|moodle|plain|markdown)\]`)
	giftWeight = regexp.MustCompile(`^%(-?\d+(?:\.\d+)?)%`)
)

// giftItem reads one item; nil when it cannot be a question of a supported kind.
func giftItem(it *textItem, rep *Report) *Question {
	text := strings.Join(it.lines, "\n")
	q := &Question{}
	if m := giftTitle.FindStringSubmatch(text); m != nil {
		if title := strings.TrimSpace(giftUnescape(m[1])); utf8.RuneCountInString(title) <= 100 {
			q.Point = title
		}
		text = strings.TrimSpace(text[len(m[0]):])
	}
	text = strings.TrimSpace(giftFormat.ReplaceAllString(text, ""))
	open, close := giftBraces(text)
	if open < 0 || close < 0 {
		rep.Add(it.line, "答案", "没有找到答案部分 {…}（不支持说明类条目）")
		return nil
	}
	if o2, _ := giftBraces(text[close+1:]); o2 >= 0 {
		rep.Add(it.line, "答案", "一道题只能有一个答案部分 {…}")
		return nil
	}
	before, body, after := text[:open], strings.TrimSpace(text[open+1:close]), strings.TrimSpace(text[close+1:])
	q.Stem = giftUnescape(strings.TrimSpace(before))
	if after != "" {
		q.Stem += "（　　）" + giftUnescape(after)
	}
	if !giftAnswer(q, body, it, rep) {
		return nil
	}
	return q
}

// giftBraces finds the first unescaped { and its closing }, or -1.
func giftBraces(s string) (open, close int) {
	open, close = -1, -1
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\':
			i++
		case s[i] == '{' && open < 0:
			open = i
		case s[i] == '}' && open >= 0:
			return open, i
		}
	}
	return open, -1
}

// giftAnswer reads the answer body into q by the kind it shows.
func giftAnswer(q *Question, body string, it *textItem, rep *Report) bool {
	switch upper := strings.ToUpper(strings.TrimSpace(cutFeedback(body))); {
	case body == "":
		rep.Add(it.line, "题型", "不支持问答题（{}），请改用 Excel 模板导入简答题")
		return false
	case strings.HasPrefix(body, "#"):
		rep.Add(it.line, "题型", "不支持数值题（{#…}），请改为填空题")
		return false
	case upper == "T" || upper == "TRUE" || upper == "F" || upper == "FALSE":
		b := upper[0] == 'T'
		q.Type, q.Answer.Judge = Judge, &b
		return true
	}
	answers, ok := giftAnswers(body)
	if !ok {
		rep.Add(it.line, "答案", "答案部分应由 =正确答案 和 ~错误答案 组成")
		return false
	}
	return giftChoice(q, answers, it, rep)
}

type giftAns struct {
	right  bool // marked with =
	weight float64
	hasW   bool
	text   string
}

// giftAnswers splits the body at unescaped = and ~ into answers, dropping feedback.
func giftAnswers(body string) ([]giftAns, bool) {
	var out []giftAns
	start := -1
	flush := func(end int) {
		if start >= 0 {
			out = append(out, newGiftAns(body[start], body[start+1:end]))
		}
	}
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c == '\\':
			i++
		case c == '=' || c == '~':
			flush(i)
			start = i
		case start < 0 && !isSpace(c):
			return nil, false // text before the first marker
		}
	}
	flush(len(body))
	return out, len(out) > 0
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

func newGiftAns(marker byte, s string) giftAns {
	a := giftAns{right: marker == '='}
	s = strings.TrimSpace(s)
	if m := giftWeight.FindStringSubmatch(s); m != nil {
		a.weight, _ = strconv.ParseFloat(m[1], 64)
		a.hasW = true
		s = s[len(m[0]):]
	}
	a.text = strings.TrimSpace(giftUnescape(cutFeedback(s)))
	return a
}

// cutFeedback drops "#feedback" from an answer.
func cutFeedback(s string) string {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '#':
			return s[:i]
		}
	}
	return s
}

// giftChoice decides the type from the answers: all = is fill, one = with ~ is single
// choice, ~ with positive weights is multiple choice.
func giftChoice(q *Question, as []giftAns, it *textItem, rep *Report) bool {
	rights, wrongs, weighted := 0, 0, 0
	for _, a := range as {
		if strings.Contains(a.text, "->") && a.right {
			rep.Add(it.line, "题型", "不支持匹配题（=… -> …）")
			return false
		}
		switch {
		case a.right:
			rights++
		case a.hasW && a.weight > 0:
			weighted++
		default:
			wrongs++
		}
	}
	switch {
	case wrongs == 0 && weighted == 0:
		return giftFill(q, as)
	case rights == 1 && weighted == 0:
		q.Type = Single
	case rights == 0 && weighted >= 1:
		q.Type, q.Partial = Multiple, PartialProportional
		if weighted == 1 {
			q.Type, q.Partial = Single, ""
		}
	case rights == 0:
		rep.Add(it.line, "答案", "没有标出正确答案：单选用 =，多选用 ~%%50%% 这样的正权重")
		return false
	default:
		rep.Add(it.line, "答案", "正确答案标记混用：单选只用一个 =，多选请用 ~%%权重%% 标出每个正确选项")
		return false
	}
	for i, a := range as {
		q.Options = append(q.Options, a.text)
		if (a.right || (a.hasW && a.weight > 0)) && i < len(Letters) {
			q.Answer.Choice += string(Letters[i])
		}
	}
	return true
}

// giftFill makes a fill-in question with one blank: the answers are its accepted forms.
func giftFill(q *Question, as []giftAns) bool {
	q.Type = Fill
	if BlankCount(q.Stem) == 0 {
		q.Stem += "（　　）"
	}
	var accepted []string
	for _, a := range as {
		accepted = append(accepted, a.text)
	}
	q.Answer.Blanks = [][]string{accepted}
	return true
}

var giftEscapes = strings.NewReplacer(`\:`, ":", `\~`, "~", `\=`, "=", `\#`, "#", `\{`, "{", `\}`, "}", `\n`, "\n", `\\`, `\`)

func giftUnescape(s string) string { return giftEscapes.Replace(s) }
