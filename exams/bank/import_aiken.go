package bank

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"clerkskill/app/web"
	"clerkskill/exports"
)

// textItem is one question of an Aiken or GIFT file: where it starts, its lines, and the
// question read from it (nil when it could not be read at all).
type textItem struct {
	line  int
	lines []string
	q     *Question
}

var (
	aikenOption = regexp.MustCompile(`^([A-Ha-h])\s*[.)．、）]\s*(.*)$`)
	aikenAnswer = regexp.MustCompile(`^(?i:ANSWER|答案)\s*[:：]\s*(.*)$`)
)

// ParseAiken reads multiple-choice questions in the Aiken format: a question line, options
// "A. …" or "A) …", then "ANSWER: B" ("ANSWER: AC" makes a multiple-choice question).
// Levels, code, pool, difficulty and score come from opt.Defaults. Refusals and the
// all-or-nothing rule are those of ParseWorkbook.
func ParseAiken(r io.Reader, opt ImportOptions) ([]*Question, *Report, error) {
	lines, err := readTextUpload(r, opt)
	if err != nil {
		return nil, nil, err
	}
	rep := &Report{Format: FormatAiken}
	var items []*textItem
	var cur *textItem
	for i, line := range lines {
		line = strings.TrimSpace(line)
		switch {
		case line == "" && cur != nil && len(cur.q.Options) > 0:
			rep.Add(cur.line, "答案", "缺少“ANSWER: 字母”一行")
			cur = nil
		case line == "":
		case cur == nil:
			cur = &textItem{line: i + 1, q: &Question{Type: Single}}
			items = append(items, cur)
			fallthrough
		default:
			cur.lines = append(cur.lines, line)
			if aikenLine(cur, line, rep) {
				cur = nil
			}
		}
		if len(items) > opt.maxRows() {
			return nil, nil, tooManyItems(opt)
		}
	}
	if cur != nil {
		rep.Add(cur.line, "答案", "缺少“ANSWER: 字母”一行")
	}
	return finishText(items, opt, rep)
}

// aikenLine reads one line into the item and reports whether the item is complete.
func aikenLine(it *textItem, line string, rep *Report) (done bool) {
	q := it.q
	if m := aikenAnswer.FindStringSubmatch(line); m != nil {
		q.Answer.Choice = strings.ToUpper(strings.Join(splitAny(narrow(m[1]), ",，、 "), ""))
		if utf8.RuneCountInString(q.Answer.Choice) > 1 {
			q.Type, q.Partial = Multiple, PartialHalf
		}
		if len(q.Options) == 0 {
			rep.Add(it.line, "选项", "没有选项：每个选项单独一行，写成“A. 内容”")
		}
		return true
	}
	if m := aikenOption.FindStringSubmatch(line); m != nil && (len(q.Options) > 0 || q.Stem != "") {
		want := Letters[min(len(q.Options), len(Letters)-1)]
		if got := strings.ToUpper(m[1]); got[0] != want || len(q.Options) == len(Letters) {
			rep.Add(it.line, "选项", "选项“%s”不合顺序：应从A起依次排列，最多到H", line)
		}
		q.Options = append(q.Options, strings.TrimSpace(m[2]))
		return false
	}
	if len(q.Options) > 0 {
		rep.Add(it.line, "选项", "“%s”既不是选项也不是 ANSWER 行", line)
		return false
	}
	q.Stem = strings.TrimSpace(q.Stem + "\n" + line)
	return false
}

// readTextUpload reads a UTF-8 text file within the size limit, checks the defaults the
// text formats need, and returns its lines.
func readTextUpload(r io.Reader, opt ImportOptions) ([]string, error) {
	b, err := readUpload(r, opt.maxBytes())
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		return nil, web.Errorf(web.EINVALID, "文件是 Excel 工作簿，请选择“Excel 模板”格式导入")
	}
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return nil, web.Errorf(web.EINVALID, "文件须为 UTF-8 编码的纯文本（在记事本中“另存为”时选择 UTF-8）")
	}
	d := opt.Defaults
	switch {
	case d.Levels == 0:
		return nil, web.Errorf(web.EINVALID, "Aiken 和 GIFT 文件不含等级，请选择默认等级")
	case strings.TrimSpace(d.Code) == "":
		return nil, web.Errorf(web.EINVALID, "Aiken 和 GIFT 文件不含标准代码，请填写默认标准代码")
	}
	text := strings.ReplaceAll(strings.ReplaceAll(string(b), "\r\n", "\n"), "\r", "\n")
	return strings.Split(text, "\n"), nil
}

func tooManyItems(opt ImportOptions) error {
	return web.Errorf(web.ETOOLARGE, "文件超过 %d 题的上限，请分成几个文件导入", opt.maxRows())
}

// finishText applies the defaults to every item read, checks each against the standard and
// for repeated stems, and applies the all-or-nothing rule.
func finishText(items []*textItem, opt ImportOptions, rep *Report) ([]*Question, *Report, error) {
	if len(items) == 0 && rep.OK() {
		return nil, nil, web.Errorf(web.EINVALID, "文件中没有题目")
	}
	rep.Rows, rep.Header = len(items), textHeader
	seen := map[string]int{}
	qs := make([]*Question, 0, len(items))
	for i, it := range items {
		rep.Source = append(rep.Source, exports.TextSource(it.line, it.lines))
		if it.q != nil {
			applyDefaults(it.q, opt.Defaults)
			checkTextItem(it, opt, rep, seen)
			qs = append(qs, it.q)
		}
		opt.progress(i+1, len(items))
	}
	rep.sortErrors()
	if !rep.OK() {
		return nil, rep, rep.Err()
	}
	return qs, rep, nil
}

func applyDefaults(q *Question, d Defaults) {
	q.OwnerOrgID, q.Levels, q.Code = d.Owner, d.Levels, strings.TrimSpace(d.Code)
	q.Difficulty, q.Score, q.Pool = orDefault(d.Difficulty, 3), orDefault(d.Score, 1), d.Pool
	if q.Pool == "" {
		q.Pool = PoolBoth
	}
}

// textFields names Validate's fields for a text item.
var textFields = map[string]string{"type": "题型", "stem": "题干", "options": "选项", "answer": "答案", "partial": "给分",
	"levels": "默认等级", "code": "默认标准代码", "difficulty": "默认难度", "score": "默认分值", "pool": "默认题池", "explanation": "解析"}

func checkTextItem(it *textItem, opt ImportOptions, rep *Report, seen map[string]int) {
	if err := it.q.Validate(opt.Std); err != nil {
		var e *web.Error
		if !errors.As(err, &e) || len(e.Fields) == 0 {
			rep.Add(it.line, "", "%s", web.ErrorMessage(err))
		} else {
			for _, f := range slices.Sorted(maps.Keys(e.Fields)) {
				if !rep.Has(it.line, textFields[f]) { // the reader already said what is wrong there
					rep.Add(it.line, textFields[f], "%s", e.Fields[f])
				}
			}
		}
	}
	key := NormalizeText(it.q.Stem)
	if first, dup := seen[key]; dup && key != "" {
		rep.Add(it.line, "题干", "题干与第 %d 行开始的题目重复", first)
	} else {
		seen[key] = it.line
	}
}
