package pay

import (
	"context"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"clerkskill/exports"
	"clerkskill/rbac"
)

// The headers of the import templates. Ratings come one row per rating or one row per
// clerk and month with the count of each grade; the file's header says which.
var (
	RatingHeader   = []string{"工号", "评价日期", "评价等级", "评价渠道", "办件编号"}
	CountHeader    = []string{"工号", "月份", "非常满意", "满意", "基本满意", "不满意", "非常不满意"}
	WorkloadHeader = []string{"工号", "月份", "办件量", "叫号量", "咨询量", "帮代办量"}
)

// importLimits bound a ratings or workload upload: a county's month of ratings one per
// row fits well inside.
var importLimits = exports.Limits{MaxRows: 50000}

// maxCount bounds one figure of a row (ratings of a grade, cases in a month).
const maxCount = 100000

// openTable opens an upload and reads its first sheet.
func openTable(r io.Reader, noun string) (*exports.Table, *exports.Report, error) {
	wb, err := exports.Open(r, importLimits)
	if err != nil {
		return nil, nil, err
	}
	defer wb.Close()
	t, err := wb.Table("", noun)
	if err != nil {
		return nil, nil, err
	}
	return t, &exports.Report{Rows: len(t.Rows), Header: t.Header, Source: t.Rows}, nil
}

// ParseRatings reads a ratings workbook in either layout. Bad cells are reported row by
// row in the report; a file that cannot be read at all is an error.
func ParseRatings(r io.Reader) ([]RatingInput, *exports.Report, error) {
	t, rep, err := openTable(r, "评价")
	if err != nil {
		return nil, nil, err
	}
	if slices.ContainsFunc(t.Header, func(h string) bool { return exports.Normalize(h) == "月份" }) {
		pos, err := t.Columns(CountHeader)
		if err != nil {
			return nil, nil, err
		}
		return parseCounts(t, pos, rep), rep, nil
	}
	pos, err := t.Columns(RatingHeader)
	if err != nil {
		return nil, nil, err
	}
	out := make([]RatingInput, 0, len(t.Rows))
	for _, row := range t.Rows {
		if in, ok := parseRating(row.No, exports.Cells(row, pos), rep); ok {
			out = append(out, in)
		}
	}
	return out, rep, nil
}

func parseRating(no int, c []string, rep *exports.Report) (RatingInput, bool) {
	in := RatingInput{Row: no, EmpNo: empNo(no, c[0], rep), Count: 1, Channel: c[3], CaseNo: exports.Text(c[4])}
	if d, err := exports.ParseDate(c[1]); err != nil {
		rep.Add(no, "评价日期", "%s", err.Error())
	} else {
		in.RatedOn, in.Period = &rbac.Date{Time: d}, PeriodOf(d)
	}
	if g, ok := ParseGrade(exports.Normalize(c[2])); ok {
		in.Grade = g
	} else {
		rep.Add(no, "评价等级", "“%s”不是评价等级，应为 %s 之一", c[2], strings.Join(Grades, "、"))
	}
	if utf8.RuneCountInString(in.Channel) > 20 {
		rep.Add(no, "评价渠道", "不超过20字")
	}
	if utf8.RuneCountInString(in.CaseNo) > 40 {
		rep.Add(no, "办件编号", "不超过40个字符")
	}
	for _, col := range RatingHeader {
		if rep.Has(no, col) {
			return in, false
		}
	}
	return in, true
}

// parseCounts turns each clerk-and-month row into one input per grade with ratings.
func parseCounts(t *exports.Table, pos []int, rep *exports.Report) []RatingInput {
	var out []RatingInput
	seen := map[string]int{}
	for _, row := range t.Rows {
		c := exports.Cells(row, pos)
		no, emp, period := row.No, empNo(row.No, c[0], rep), month(row.No, c[1], rep)
		counts := make([]int, 5)
		for i := range counts {
			counts[i] = count(no, CountHeader[2+i], c[2+i], rep)
		}
		if first, ok := seen[emp+"|"+period]; ok && emp != "" && period != "" {
			rep.Add(no, "", "与第 %d 行重复（同一人员同一月份）", first)
			continue
		}
		seen[emp+"|"+period] = no
		for i, n := range counts {
			if n > 0 && emp != "" && period != "" {
				out = append(out, RatingInput{Row: no, EmpNo: emp, Period: period, Grade: 5 - i, Count: n})
			}
		}
	}
	return out
}

// ParseWorkload reads a workload workbook.
func ParseWorkload(r io.Reader) ([]WorkloadInput, *exports.Report, error) {
	t, rep, err := openTable(r, "工作量")
	if err != nil {
		return nil, nil, err
	}
	pos, err := t.Columns(WorkloadHeader)
	if err != nil {
		return nil, nil, err
	}
	out := make([]WorkloadInput, 0, len(t.Rows))
	for _, row := range t.Rows {
		c, no := exports.Cells(row, pos), row.No
		in := WorkloadInput{Row: no, EmpNo: empNo(no, c[0], rep), Period: month(no, c[1], rep),
			Cases: count(no, "办件量", c[2], rep), Calls: count(no, "叫号量", c[3], rep),
			Consults: count(no, "咨询量", c[4], rep), Errands: count(no, "帮代办量", c[5], rep)}
		if in.EmpNo != "" && in.Period != "" {
			out = append(out, in)
		}
	}
	return out, rep, nil
}

func empNo(no int, s string, rep *exports.Report) string {
	s = exports.Text(s)
	if s == "" {
		rep.Add(no, "工号", "不能为空")
	}
	return s
}

// month reads a month written as text (2026-11, 2026年11月) or as a date cell.
func month(no int, s string, rep *exports.Report) string {
	if p, err := ParsePeriod(exports.Normalize(s)); err == nil {
		return p
	}
	if d, err := exports.ParseDate(s); err == nil {
		return PeriodOf(d)
	}
	rep.Add(no, "月份", "“%s”无法识别，请写成 2026-11", s)
	return ""
}

// count reads a non-negative whole number; blank is 0.
func count(no int, col, s string, rep *exports.Report) int {
	if strings.TrimSpace(s) == "" {
		return 0
	}
	n, err := exports.ParseInt(s)
	switch {
	case err != nil:
		rep.Add(no, col, "%s", err.Error())
	case n < 0 || n > maxCount:
		rep.Add(no, col, "须在0至%d之间", maxCount)
	}
	return max(n, 0)
}

// ImportRatingsFile reads a ratings workbook and stores every row or none.
func (s *Store) ImportRatingsFile(ctx context.Context, actor int64, scope rbac.Scope, r io.Reader, progress Progress) (int, *exports.Report, error) {
	in, rep, err := ParseRatings(r)
	if err != nil {
		return 0, rep, err
	}
	n, err := s.ImportRatings(ctx, actor, scope, in, rep, progress)
	rep.SortErrors(append(RatingHeader, CountHeader...))
	return n, rep, err
}

// ImportWorkloadFile reads a workload workbook and stores every row or none.
func (s *Store) ImportWorkloadFile(ctx context.Context, actor int64, scope rbac.Scope, r io.Reader, progress Progress) (int, *exports.Report, error) {
	in, rep, err := ParseWorkload(r)
	if err != nil {
		return 0, rep, err
	}
	n, err := s.ImportWorkload(ctx, actor, scope, in, rep, progress)
	rep.SortErrors(WorkloadHeader)
	return n, rep, err
}

// Template is a downloadable import template.
type Template struct {
	Name   string // file name
	Header []string
	Notes  []string
}

// TemplateKinds are the kinds of import template, in the order pages list them.
var TemplateKinds = []string{"ratings", "rating-counts", "workload"}

// Templates are the import templates by kind.
var Templates = map[string]Template{
	"ratings": {Name: "好差评导入模板（逐条）.xlsx", Header: RatingHeader, Notes: []string{
		"每行一条评价。评价等级填写：" + strings.Join(Grades, "、") + "。",
		"评价日期写成 2026-11-03，或用日期格式的单元格；评价计入该日期所在月份。",
		"办件编号可不填；填写时同一人员同一办件只能导入一次。"}},
	"rating-counts": {Name: "好差评导入模板（按人汇总）.xlsx", Header: CountHeader, Notes: []string{
		"每行一名人员一个月份，填写各等级的评价条数，空白按0计。",
		"月份写成 2026-11。同一人员同一月份的汇总只能导入一次。"}},
	"workload": {Name: "工作量导入模板.xlsx", Header: WorkloadHeader, Notes: []string{
		"每行一名人员一个月份。再次导入同一人员同一月份时，以新数字为准。"}},
}

// WriteTemplate writes the template: the header to fill in, and the rules on a second sheet.
func WriteTemplate(w io.Writer, t Template) error {
	b, err := exports.NewBook()
	if err != nil {
		return err
	}
	defer b.Close()
	cols := make([]exports.Column, len(t.Header))
	for i, h := range t.Header {
		cols[i] = exports.Column{Header: h, Width: 14}
	}
	if _, err := b.Sheet("导入", cols, exports.Layout{}); err != nil {
		return err
	}
	notes, err := b.Sheet("填写说明", []exports.Column{{Header: "填写说明", Width: 80}}, exports.Layout{})
	if err != nil {
		return err
	}
	for _, n := range append(t.Notes, "导入时任何一行有误则整份文件都不导入，并逐行说明错误。") {
		if err := notes.Row(n); err != nil {
			return err
		}
	}
	return b.Write(w)
}
