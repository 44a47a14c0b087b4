package certify

import (
	"strings"
	"testing"
	"time"

	"clerkskill/exams"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func dayp(s string) *time.Time { t := day(s); return &t }

// chinaNoon is midday of the day in China time, as a clock would read it.
func chinaNoon(s string) time.Time {
	return time.Date(day(s).Year(), day(s).Month(), day(s).Day(), 12, 0, 0, 0, china)
}

func TestEvaluateRuleBoundaries(t *testing.T) {
	years5 := exams.EligibilityRule{Kind: exams.EligYears, Years: 5}
	years1 := exams.EligibilityRule{Kind: exams.EligYears, Years: 1}
	years4 := exams.EligibilityRule{Kind: exams.EligYears, Years: 4}
	cert5 := exams.EligibilityRule{Kind: exams.EligLowerCert, CertLevel: 5, Years: 3}
	secondary := exams.EligibilityRule{Kind: exams.EligEducation, Education: "中等职业学校相关专业毕业", Years: 1}
	college := exams.EligibilityRule{Kind: exams.EligEducation, Education: "大学专科及以上", Years: 2}
	middle := exams.EligibilityRule{Kind: exams.EligTitle, Title: "中级专业技术职称", Years: 2}
	hours40 := exams.EligibilityRule{Kind: exams.EligTrainingHours, Hours: 40}
	withHours := exams.EligibilityRule{Kind: exams.EligYears, Years: 1, Hours: 40}
	hire := func(s string, prior int) Facts { return Facts{HireDate: dayp(s), PriorServiceMonths: prior} }
	cert := Facts{HireDate: dayp("2018-04-01"), Certs: []HeldCert{{Level: 5, Number: "2023-0003-00001-7", IssuedOn: day("2023-07-01")}}}
	grad := Facts{HireDate: dayp("2019-01-10"), Education: "高中/中专", EducationDetail: "临江市职业中专文秘专业", EducationDate: dayp("2018-07-01")}
	titled := Facts{HireDate: dayp("2015-03-01"), Title: "中级专业技术职称", TitleDate: dayp("2022-12-01")}
	cases := []struct {
		name   string
		rule   exams.EligibilityRule
		facts  Facts
		on     string
		met    bool
		verify bool
		reason string
	}{
		{"years with prior service", years5, hire("2019-03-01", 12), "2024-05-01", true, false, "入职 2019-03-01，加上此前 12 个月，累计 6 年 2 个月，满 5 年"},
		{"a day before the anniversary", years5, hire("2021-06-15", 0), "2026-06-14", false, false, "入职 2021-06-15，累计 4 年 11 个月，不满 5 年（2026-06-15 满 5 年）"},
		{"on the anniversary", years5, hire("2021-06-15", 0), "2026-06-15", true, false, "累计 5 年，满 5 年"},
		{"prior service brings the day forward: day before", years5, hire("2022-06-15", 24), "2025-06-14", false, false, "（2025-06-15 满 5 年）"},
		{"prior service brings the day forward: on it", years5, hire("2022-06-15", 24), "2025-06-15", true, false, "累计 5 年，满 5 年"},
		{"hired on 29 Feb: the 28th before", years1, hire("2020-02-29", 0), "2021-02-27", false, false, "不满 1 年（2021-02-28 满 1 年）"},
		{"hired on 29 Feb: a year on the 28th", years1, hire("2020-02-29", 0), "2021-02-28", true, false, "累计 1 年，满 1 年"},
		{"hired on 29 Feb: leap anniversary, day before", years4, hire("2020-02-29", 0), "2024-02-28", false, false, "不满 4 年（2024-02-29 满 4 年）"},
		{"hired on 29 Feb: leap anniversary", years4, hire("2020-02-29", 0), "2024-02-29", true, false, "满 4 年"},
		{"hired 31 Jan, a month ends on 29 Feb", exams.EligibilityRule{Kind: exams.EligYears, Years: 1}, hire("2023-01-31", 0), "2024-01-30", false, false, "11 个月"},
		{"hired later than the day", years1, hire("2027-01-01", 0), "2026-06-01", false, false, "累计 0 个月"},
		{"no hire date", years1, Facts{PriorServiceMonths: 6}, "2026-06-01", false, true, "花名册未登记入职日期，加上此前 6 个月，累计 6 个月，不满 1 年，需人事核实"},
		{"no hire date but enough prior service", years1, Facts{PriorServiceMonths: 14}, "2026-06-01", true, false, "满 1 年"},
		{"certificate: day before 3 years", cert5, cert, "2026-06-30", false, false, "2023-07-01 取得五级证书（2023-0003-00001-7），此后从事本职业 2 年 11 个月，不满 3 年（2026-07-01 满 3 年）"},
		{"certificate: 3 years on the day", cert5, cert, "2026-07-01", true, false, "此后从事本职业 3 年，满 3 年"},
		{"certificate: hired after it", cert5, Facts{HireDate: dayp("2024-01-01"), Certs: cert.Certs}, "2026-07-01", false, false, "（2027-01-01 满 3 年）"},
		{"certificate: prior service after it counts", cert5, Facts{HireDate: dayp("2024-01-01"), PriorServiceMonths: 6, Certs: cert.Certs}, "2026-07-01", true, false, "满 3 年"},
		{"certificate of another level", cert5, Facts{HireDate: dayp("2010-01-01"), Certs: []HeldCert{{Level: 4, IssuedOn: day("2015-01-01")}}}, "2026-07-01", false, false, "未取得本职业五级证书"},
		{"diploma: service counts from the hire date", secondary, grad, "2020-01-09", false, false, "学历高中/中专（临江市职业中专文秘专业），2018-07-01 毕业，此后从事本职业 11 个月，不满 1 年（2020-01-10 满 1 年）"},
		{"diploma: a year on", secondary, grad, "2020-01-10", true, false, "满 1 年"},
		{"diploma below the rule", college, grad, "2026-01-10", false, false, "学历高中/中专（临江市职业中专文秘专业），低于大专"},
		{"diploma above the rule, no date", secondary, Facts{HireDate: dayp("2010-01-01"), Education: "本科"}, "2026-01-10", false, true, "未登记毕业时间"},
		{"diploma not on the roster", college, Facts{HireDate: dayp("2010-01-01")}, "2026-01-10", false, true, "花名册未登记学历，需人事核实"},
		{"education phrase the table does not know", exams.EligibilityRule{Kind: exams.EligEducation, Education: "经认定的同等学力"}, grad, "2026-01-10", false, true, "学历要求“经认定的同等学力”无法自动对应到学历层次，需人事核实"},
		{"title: day before 2 years", middle, titled, "2024-11-30", false, false, "2022-12-01 取得中级专业技术职称，此后从事本职业 1 年 11 个月，不满 2 年（2024-12-01 满 2 年）"},
		{"title: 2 years", middle, titled, "2024-12-01", true, false, "满 2 年"},
		{"higher title meets a lower rule", middle, Facts{HireDate: dayp("2015-03-01"), Title: "副高级专业技术职称", TitleDate: dayp("2020-01-01")}, "2024-12-01", true, false, "满 2 年"},
		{"lower title", exams.EligibilityRule{Kind: exams.EligTitle, Title: "高级专业技术职称", Years: 2}, titled, "2026-12-01", false, false, "职称为中级专业技术职称，低于高级专业技术职称"},
		{"no title", middle, hire("2015-03-01", 0), "2026-12-01", false, false, "未登记专业技术职称"},
		{"hours short", hours40, Facts{TrainingHours: 39.5}, "2026-01-01", false, false, "培训学时累计 39.5 学时，不足 40 学时"},
		{"hours enough", hours40, Facts{TrainingHours: 40}, "2026-01-01", true, false, "培训学时累计 40 学时，满 40 学时"},
		{"years met but hours added to the rule short", withHours, Facts{HireDate: dayp("2020-01-01"), TrainingHours: 12}, "2026-01-01", false, false, "满 1 年；培训学时累计 12 学时，不足 40 学时"},
		{"years and added hours met", withHours, Facts{HireDate: dayp("2020-01-01"), TrainingHours: 48}, "2026-01-01", true, false, "满 1 年；培训学时累计 48 学时，满 40 学时"},
		{"unknown kind", exams.EligibilityRule{Kind: "award"}, grad, "2026-01-01", false, true, "需人事核实"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lv := &exams.Level{Code: 4, Eligibility: []exams.EligibilityRule{c.rule}}
			ev := Evaluate(lv, c.facts, chinaNoon(c.on))
			r := ev.Rules[0]
			if r.Met != c.met || r.Verify != c.verify || ev.Eligible != c.met {
				t.Errorf("met %v verify %v eligible %v, want met %v verify %v: %s", r.Met, r.Verify, ev.Eligible, c.met, c.verify, r.Reason)
			}
			if !strings.Contains(r.Reason, c.reason) {
				t.Errorf("reason %q lacks %q", r.Reason, c.reason)
			}
		})
	}
}

// TestEvaluateAnyRuleSuffices runs the default profile's 四级 rules: one met is enough.
func TestEvaluateAnyRuleSuffices(t *testing.T) {
	def, err := exams.DefaultStandard()
	if err != nil {
		t.Fatal(err)
	}
	lv := def.Level(4)
	f := Facts{HireDate: dayp("2022-03-01"), Education: "大专", EducationDate: dayp("2021-07-01")}
	ev := Evaluate(lv, f, chinaNoon("2026-03-01"))
	if !ev.Eligible || len(ev.Rules) != 3 || ev.Rules[0].Met || ev.Rules[1].Met || !ev.Rules[2].Met {
		t.Fatalf("got %+v", ev)
	}
	if ev.On != "2026-03-01" || ev.Rules[1].Rule != "累计从事本职业工作 5 年（含）以上" {
		t.Errorf("day %s, rule %q", ev.On, ev.Rules[1].Rule)
	}
	f.Education = "初中及以下"
	if ev := Evaluate(lv, f, chinaNoon("2026-03-01")); ev.Eligible {
		t.Errorf("eligible with no rule met: %+v", ev)
	}
	if ev := Evaluate(&exams.Level{Code: 5}, Facts{}, chinaNoon("2026-03-01")); !ev.Eligible || ev.Rules[0].Reason != "标准未对五级设申报条件" {
		t.Errorf("a level without rules: %+v", ev)
	}
}

// TestEvaluationDayIsChinaTime: late evening UTC is already the next day in China.
func TestEvaluationDayIsChinaTime(t *testing.T) {
	lv := &exams.Level{Code: 5, Eligibility: []exams.EligibilityRule{{Kind: exams.EligYears, Years: 1}}}
	f := Facts{HireDate: dayp("2025-06-15")}
	before := time.Date(2026, 6, 14, 15, 59, 0, 0, time.UTC) // 23:59 in China
	after := time.Date(2026, 6, 14, 16, 0, 0, 0, time.UTC)   // 00:00 on the 15th
	if Evaluate(lv, f, before).Eligible || !Evaluate(lv, f, after).Eligible {
		t.Errorf("the day turns at midnight China time")
	}
}

func TestKeywordTables(t *testing.T) {
	for phrase, want := range map[string]int{"中等职业学校相关专业毕业": 1, "大学专科及以上": 2, "大学本科及以上学历": 3,
		"硕士研究生": 4, "博士": 5, "初中": 0, "技工学校毕业": 1, "相关专业": -1} {
		if got := leastEducation(phrase); got != want {
			t.Errorf("leastEducation(%q) = %d, want %d", phrase, got, want)
		}
	}
	for phrase, want := range map[string]int{"中级专业技术职称": 1, "高级专业技术职称": 2, "正高级": 3, "助理级": 0, "技师": -1} {
		if got := titleRank(phrase); got != want {
			t.Errorf("titleRank(%q) = %d, want %d", phrase, got, want)
		}
	}
}
