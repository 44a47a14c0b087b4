package sheets

import (
	"fmt"
	"io"
	"strconv"

	"clerkskill/exams"
	"clerkskill/exports"
)

// MaxAssessmentForms bounds the per-clerk sheets of one workbook; a larger unit gets the
// summary sheet only (export its townships one by one for the forms).
const MaxAssessmentForms = 300

var assessmentSummary = []exports.Column{
	{Header: "工号", Width: 12}, {Header: "姓名", Width: 10}, {Header: "单位", Width: 24}, {Header: "岗位", Width: 14},
	{Header: "持有等级", Width: 10}, {Header: "培训学时", Width: 10}, {Header: "考试科目数", Width: 10},
	{Header: "合格科目数", Width: 10}, {Header: "非常满意", Width: 9}, {Header: "满意", Width: 8},
	{Header: "基本满意", Width: 9}, {Header: "不满意", Width: 8}, {Header: "非常不满意", Width: 10},
	{Header: "满意率", Width: 9},
}

// WriteAssessments writes the 考核表 workbook: a summary sheet with one row per clerk,
// then one form sheet per clerk (up to MaxAssessmentForms).
func WriteAssessments(w io.Writer, year int, list []*Assessment, ids exports.IDView) error {
	b, sh, err := newSheetBook(fmt.Sprintf("%d年度考核汇总", year), assessmentSummary, exports.Layout{Landscape: true})
	if err != nil {
		return err
	}
	defer b.Close()
	for _, a := range list {
		if err := sh.Row(summaryRow(a)...); err != nil {
			return err
		}
	}
	if len(list) <= MaxAssessmentForms {
		for _, a := range list {
			if err := writeForm(b, a, ids); err != nil {
				return err
			}
		}
	}
	return b.Write(w)
}

func summaryRow(a *Assessment) []any {
	passed := 0
	for _, r := range a.Results {
		if r.Passed && r.Complete {
			passed++
		}
	}
	p := a.Person
	return []any{p.EmpNo, p.Name, p.OrgName, p.Position, levelName(a.Level), a.Hours, len(a.Results), passed,
		a.Ratings[5], a.Ratings[4], a.Ratings[3], a.Ratings[2], a.Ratings[1], a.satisfaction()}
}

func levelName(l int) string {
	if l == 0 {
		return "未取得"
	}
	return exams.LevelName(l)
}

// writeForm writes one clerk's 考核表 as 项目 | 内容 rows, named by 工号 and name.
func writeForm(b *exports.Book, a *Assessment, ids exports.IDView) error {
	p := a.Person
	sh, err := b.Sheet(sheetName(p.EmpNo+" "+p.Name), []exports.Column{{Header: "项目", Width: 16}, {Header: "内容", Width: 60}},
		exports.Layout{})
	if err != nil {
		return err
	}
	for _, r := range formRows(a, ids) {
		if err := sh.Row(r...); err != nil {
			return err
		}
	}
	return nil
}

func formRows(a *Assessment, ids exports.IDView) [][]any {
	p := a.Person
	rows := [][]any{
		{"考核年度", strconv.Itoa(a.Year) + "年"}, {"姓名", p.Name}, {"工号", p.EmpNo},
		{"身份证号", ids.Show(p.OrgPath, p.IDNumber.String)}, {"单位", p.OrgName}, {"岗位", p.Position},
		{"用工性质", p.EmploymentType.Label()}, {"持有等级", levelName(a.Level)}, {"培训学时", a.Hours},
	}
	if len(a.Results) == 0 {
		rows = append(rows, []any{"考试成绩", "本年度无考试记录"})
	}
	for _, r := range a.Results {
		rows = append(rows, []any{"考试成绩", resultText(r)})
	}
	return append(rows,
		[]any{"服务评价", fmt.Sprintf("非常满意 %d，满意 %d，基本满意 %d，不满意 %d，非常不满意 %d",
			a.Ratings[5], a.Ratings[4], a.Ratings[3], a.Ratings[2], a.Ratings[1])},
		[]any{"满意率", a.satisfaction()}, []any{"考核意见", ""}, []any{"负责人签字", ""})
}

func resultText(r YearResult) string {
	verdict := "不合格"
	switch {
	case !r.Complete:
		verdict = "阅卷中"
	case r.Passed:
		verdict = "合格"
	}
	return fmt.Sprintf("%s %s（%s）%s：%.1f分，%s", r.ClosesAt.Format("2006-01-02"), r.Session, exams.LevelName(r.Level),
		exams.PartLabel(r.Part), r.Score, verdict)
}

// sheetName fits a sheet name to Excel's 31 characters without the characters it forbids.
func sheetName(s string) string {
	out := []rune{}
	for _, r := range s {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']':
			r = '_'
		}
		out = append(out, r)
	}
	if len(out) > 31 {
		out = out[:31]
	}
	return string(out)
}
