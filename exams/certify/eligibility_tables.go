package certify

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"clerkskill/exams"
	"clerkskill/rbac"
)

// The standard words education and title requirements as free text (中等职业学校相关专业
// 毕业, 大学专科及以上, 中级专业技术职称). These tables map such a phrase to the least
// roster level that meets it, by the first keyword the phrase contains, highest level
// first. A phrase with none of these keywords is not guessed at: the rule is reported
// 需人事核实 (not met) until HR checks it by hand.
//
//	keyword                              least education (rbac.EducationLevels)
//	博士                                 博士研究生
//	硕士, 研究生                          硕士研究生
//	本科                                 本科
//	专科, 大专, 高等职业, 高职             大专
//	中等职业, 中专, 技工学校, 职业高中, 高中 高中/中专
//	初中                                 初中及以下
//
// Whether a major is 相关专业 is not on any record the system keeps; the education
// detail HR records is shown beside the result for the reviewer to judge.
var educationKeywords = []struct{ Keyword, Least string }{
	{"博士", "博士研究生"}, {"硕士", "硕士研究生"}, {"研究生", "硕士研究生"}, {"本科", "本科"},
	{"专科", "大专"}, {"大专", "大专"}, {"高等职业", "大专"}, {"高职", "大专"},
	{"中等职业", "高中/中专"}, {"中专", "高中/中专"}, {"技工学校", "高中/中专"}, {"职业高中", "高中/中专"},
	{"高中", "高中/中专"}, {"初中", "初中及以下"},
}

// TitleLevels are the professional title ranks HR records (职称), lowest first.
var TitleLevels = []string{"初级专业技术职称", "中级专业技术职称", "副高级专业技术职称", "正高级专业技术职称"}

// titleKeywords map a title phrase to the least rank (index in TitleLevels) that meets
// it: 高级 without 正 or 副 means 副高级 and above.
var titleKeywords = []struct {
	Keyword string
	Rank    int
}{{"正高", 3}, {"副高", 2}, {"高级", 2}, {"中级", 1}, {"初级", 0}, {"助理", 0}}

// leastEducation is the index in rbac.EducationLevels a phrase asks for, -1 if unknown.
func leastEducation(phrase string) int {
	for _, k := range educationKeywords {
		if strings.Contains(phrase, k.Keyword) {
			return slices.Index(rbac.EducationLevels, k.Least)
		}
	}
	return -1
}

// titleRank is the rank a title phrase names, -1 if unknown.
func titleRank(phrase string) int {
	for _, k := range titleKeywords {
		if strings.Contains(phrase, k.Keyword) {
			return k.Rank
		}
	}
	return -1
}

// judgeEducation: the roster's education level against the rule's, and the years of
// service after the diploma.
func judgeEducation(r exams.EligibilityRule, f Facts, day time.Time) (met, verify bool, why string) {
	need := leastEducation(r.Education)
	if need < 0 {
		return false, true, fmt.Sprintf("学历要求“%s”无法自动对应到学历层次，需人事核实", r.Education)
	}
	have := slices.Index(rbac.EducationLevels, f.Education)
	if have < 0 {
		return false, true, "花名册未登记学历，需人事核实"
	}
	head := "学历" + f.Education
	if f.EducationDetail != "" {
		head += "（" + f.EducationDetail + "）"
	}
	if have < need {
		return false, false, fmt.Sprintf("%s，低于%s", head, rbac.EducationLevels[need])
	}
	if r.Years == 0 {
		return true, false, head + "，符合" + r.Education
	}
	if f.EducationDate == nil {
		return false, true, head + "，未登记毕业时间，此后的从业年限需人事核实"
	}
	return sinceReason(fmt.Sprintf("%s，%s 毕业", head, f.EducationDate.Format(time.DateOnly)), r.Years, f, *f.EducationDate, day)
}

// judgeTitle: the recorded title's rank against the rule's, and the years since.
func judgeTitle(r exams.EligibilityRule, f Facts, day time.Time) (met, verify bool, why string) {
	need := titleRank(r.Title)
	if need < 0 {
		return false, true, fmt.Sprintf("职称要求“%s”无法自动对应到职称等级，需人事核实", r.Title)
	}
	if strings.TrimSpace(f.Title) == "" {
		return false, false, "未登记专业技术职称"
	}
	have := titleRank(f.Title)
	if have < 0 {
		return false, true, fmt.Sprintf("登记的职称“%s”无法自动判断等级，需人事核实", f.Title)
	}
	if have < need {
		return false, false, fmt.Sprintf("职称为%s，低于%s", f.Title, r.Title)
	}
	if r.Years == 0 {
		return true, false, "职称为" + f.Title
	}
	if f.TitleDate == nil {
		return false, true, "职称为" + f.Title + "，未登记取得时间，此后的从业年限需人事核实"
	}
	return sinceReason(fmt.Sprintf("%s 取得%s", f.TitleDate.Format(time.DateOnly), f.Title), r.Years, f, *f.TitleDate, day)
}
