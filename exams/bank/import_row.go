package bank

import (
	"errors"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"clerkskill/app/web"
	"clerkskill/exams"
)

// narrow folds full-width letters and digits to half width.
func narrow(s string) string { return width.Narrow.String(s) }

// rowReader turns one template row (cells in template column order) into a question,
// recording each problem against its row and column.
type rowReader struct {
	no    int
	cells []string
	rep   *Report
	opt   ImportOptions
	bad   map[int]bool
}

func (rr *rowReader) fail(col int, format string, args ...any) {
	if rr.bad == nil {
		rr.bad = map[int]bool{}
	}
	if rr.bad[col] {
		return // one message per cell is enough
	}
	rr.bad[col] = true
	rr.rep.Add(rr.no, Columns[col], format, args...)
}

func (rr *rowReader) question() *Question {
	c, d := rr.cells, rr.opt.Defaults
	q := &Question{OwnerOrgID: d.Owner, Stem: c[colStem], Explanation: c[colExplanation], Point: c[colPoint],
		Task: c[colTask], Code: strings.TrimSpace(narrow(c[colCode]))}
	t, ok := TypeByLabel(c[colType])
	if !ok {
		rr.fail(colType, "题型“%s”无法识别，应为单选题、多选题、判断题、填空题、简答题或实操题", c[colType])
	}
	q.Type = t
	if q.Code == "" {
		q.Code = d.Code
	}
	q.Score = rr.number(colScore, d.Score)
	q.Difficulty = rr.number(colDifficulty, orDefault(d.Difficulty, 3))
	q.Levels = rr.levels(d.Levels)
	q.Pool = rr.pool(d.Pool)
	q.Rubric = rr.rubric()
	rr.options(q)
	rr.answer(q)
	if ok {
		rr.validate(q)
	}
	return q
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// validateColumns maps the fields Validate names to template columns.
var validateColumns = map[string]int{
	"type": colType, "stem": colStem, "levels": colLevels, "difficulty": colDifficulty, "score": colScore,
	"pool": colPool, "explanation": colExplanation, "code": colCode, "options": colOptA, "answer": colAnswer,
	"partial": colPartial, "guide": colGuide, "task": colTask, "rubric": colRubric,
}

func (rr *rowReader) validate(q *Question) {
	err := q.Validate(rr.opt.Std)
	if err == nil {
		return
	}
	var e *web.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		rr.rep.Add(rr.no, "", "%s", web.ErrorMessage(err))
		return
	}
	for _, f := range slices.Sorted(maps.Keys(e.Fields)) {
		if col, known := validateColumns[f]; known {
			rr.fail(col, "%s", e.Fields[f])
		} else {
			rr.rep.Add(rr.no, "", "%s", e.Fields[f])
		}
	}
}

// number reads a whole number, full-width digits and a trailing 分 allowed; def when blank.
func (rr *rowReader) number(col, def int) int {
	v := strings.TrimSuffix(strings.TrimSpace(narrow(rr.cells[col])), "分")
	if v == "" {
		return def
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || x != math.Trunc(x) || math.Abs(x) > 1e6 {
		rr.fail(col, "“%s”不是整数", rr.cells[col])
		return def
	}
	return int(x)
}

func (rr *rowReader) levels(def Levels) Levels {
	v := rr.cells[colLevels]
	if strings.TrimSpace(v) == "" {
		return def
	}
	l, bad := ParseLevels(v)
	if bad != "" {
		rr.fail(colLevels, "等级“%s”无法识别，应写五级至一级或5至1，多个用逗号分隔", bad)
	}
	return l
}

// ParseLevels reads levels written as "五级,四级", "5,4" or "初级工、中级工". bad is the
// first part it could not read.
func ParseLevels(s string) (l Levels, bad string) {
	for _, part := range splitAny(s, ",，、;；/ 　\n") {
		lv := levelOf(narrow(part))
		if lv == 0 {
			return l, part
		}
		l |= LevelsOf(lv)
	}
	return l, ""
}

func levelOf(s string) int {
	for _, lv := range exams.LevelCodes {
		if s == strconv.Itoa(lv) || strings.HasPrefix(s, exams.LevelName(lv)) || s == exams.LevelTitle(lv) {
			return lv
		}
	}
	return 0
}

func (rr *rowReader) pool(def Pool) Pool {
	v := NormalizeText(rr.cells[colPool])
	if v == "" {
		if def == "" {
			return PoolBoth
		}
		return def
	}
	p, ok := ParsePool(v)
	if !ok {
		rr.fail(colPool, "题池“%s”无法识别，应为考试、练习或两者", rr.cells[colPool])
	}
	return p
}

// ParsePool reads a pool written as 考试/练习/两者, their longer names or the codes.
func ParsePool(s string) (Pool, bool) {
	switch NormalizeText(s) {
	case "考试", "仅考试", "exam":
		return PoolExam, true
	case "练习", "仅练习", "practice":
		return PoolPractice, true
	case "两者", "考试和练习", "考试练习", "both", "全部":
		return PoolBoth, true
	}
	return "", false
}

func (rr *rowReader) partial() Partial {
	switch NormalizeText(rr.cells[colPartial]) {
	case "", "少选得半分", "半分", "half":
		return PartialHalf
	case "全对得分", "全对才得分", "none":
		return PartialNone
	case "按比例", "proportional":
		return PartialProportional
	}
	rr.fail(colPartial, "多选给分“%s”无法识别，应为全对得分、少选得半分或按比例", rr.cells[colPartial])
	return PartialHalf
}

// options collects 选项A… in order; a gap or options on a type without them is an error.
func (rr *rowReader) options(q *Question) {
	last := -1
	for i := range Letters {
		if rr.cells[colOptA+i] != "" {
			last = i
		}
	}
	if last < 0 {
		return
	}
	if q.Type != Single && q.Type != Multiple && q.Type != "" {
		rr.fail(colOptA, "%s不填选项，请清空选项列", q.Type.Label())
		return
	}
	for i := 0; i <= last; i++ {
		o := rr.cells[colOptA+i]
		if o == "" {
			rr.fail(colOptA+i, "选项须从A起连续填写，选项%c为空", Letters[i])
			return
		}
		q.Options = append(q.Options, o)
	}
}

func (rr *rowReader) answer(q *Question) {
	v := rr.cells[colAnswer]
	switch q.Type {
	case Single, Multiple:
		q.Answer.Choice = strings.ToUpper(strings.Join(splitAny(narrow(v), ",，、;； 　"), ""))
		if q.Type == Multiple {
			q.Partial = rr.partial()
		}
	case Judge:
		rr.judge(q, v)
	case Fill:
		q.Answer.Blanks = ParseBlanks(v)
	case Short:
		q.Answer.Guide = rr.cells[colGuide]
		if q.Answer.Guide == "" {
			q.Answer.Guide = v
		}
	}
}

func (rr *rowReader) judge(q *Question, v string) {
	if v == "" {
		return // Validate says the answer is missing
	}
	b, ok := ParseJudge(v)
	if !ok {
		rr.fail(colAnswer, "判断题的答案“%s”无法识别，应为对或错（也可写正确/错误、√/×、T/F）", v)
		return
	}
	q.Answer.Judge = &b
}

// ParseJudge reads a true/false answer: 对/错, 正确/错误, √/×, T/F and the like.
func ParseJudge(s string) (value, ok bool) {
	switch NormalizeText(s) {
	case "对", "正确", "√", "✓", "✔", "t", "true", "是", "y", "yes":
		return true, true
	case "错", "错误", "×", "✗", "✘", "x", "f", "false", "否", "n", "no":
		return false, true
	}
	return false, false
}

// ParseBlanks reads fill answers: blanks separated by ；, accepted answers by ｜.
func ParseBlanks(s string) [][]string {
	var out [][]string
	for _, blank := range splitAny(s, "；;") {
		out = append(out, splitAny(blank, "｜|"))
	}
	return out
}

// rubric reads 评分细则 lines "要点：分值".
func (rr *rowReader) rubric() []Criterion {
	var out []Criterion
	for i, line := range splitAny(rr.cells[colRubric], "\n") {
		text, pts, ok := cutLast(line, "：", ":")
		n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(narrow(strings.TrimSpace(pts)), "分")))
		if !ok || err != nil || strings.TrimSpace(text) == "" {
			rr.fail(colRubric, "评分细则第 %d 条“%s”应写成“要点：分值”", i+1, line)
			return nil
		}
		out = append(out, Criterion{Criterion: strings.TrimSpace(text), Points: n})
	}
	return out
}

// cutLast splits s at the last occurrence of either separator.
func cutLast(s string, seps ...string) (before, after string, found bool) {
	k, n := -1, 0
	for _, sep := range seps {
		if j := strings.LastIndex(s, sep); j > k {
			k, n = j, len(sep)
		}
	}
	if k < 0 {
		return s, "", false
	}
	return s[:k], s[k+n:], true
}

// checkDuplicate reports a stem already seen in an earlier row of the file.
func (rr *rowReader) checkDuplicate(q *Question, seen map[string]int) {
	key := NormalizeText(q.Stem)
	if key == "" {
		return
	}
	if first, dup := seen[key]; dup {
		rr.fail(colStem, "题干与第 %d 行重复", first)
		return
	}
	seen[key] = rr.no
}

// splitAny splits s at any of the separator runes, trimming and dropping empty parts.
func splitAny(s, seps string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
