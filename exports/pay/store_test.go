package pay_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/exports"
	"clerkskill/exports/pay"
)

// seedComputation gives the county a policy from January and 城关镇 its own from June,
// November ratings (one removed on appeal) and workload for four clerks.
func seedComputation(t *testing.T, e *payEnv) {
	e.mustPolicy(countyCode, "2026-01-01", countyRules())
	e.mustPolicy(chengguanCode, "2026-06-01", chengguanRules())
	e.levels[e.staffID("QS0061")] = 4
	e.mustRatings(chengguanCode,
		pay.RatingInput{EmpNo: "QS0061", RatedOn: dayPtr("2026-11-03"), Grade: 5, Channel: "窗口", CaseNo: "A1"},
		pay.RatingInput{EmpNo: "QS0061", RatedOn: dayPtr("2026-11-04"), Grade: 5, Channel: "窗口", CaseNo: "A2"},
		pay.RatingInput{EmpNo: "QS0061", RatedOn: dayPtr("2026-11-05"), Grade: 5, Channel: "网上", CaseNo: "A3"},
		pay.RatingInput{EmpNo: "QS0061", RatedOn: dayPtr("2026-11-06"), Grade: 4, Channel: "窗口", CaseNo: "A4"},
		pay.RatingInput{EmpNo: "QS0061", RatedOn: dayPtr("2026-11-07"), Grade: 2, Channel: "窗口", CaseNo: "A5"},
		pay.RatingInput{EmpNo: "QS0061", RatedOn: dayPtr("2026-11-08"), Grade: 1, Channel: "窗口", CaseNo: "A6"},
		pay.RatingInput{EmpNo: "QS0061", RatedOn: dayPtr("2026-10-08"), Grade: 1, Channel: "窗口", CaseNo: "A7"})
	e.mustRatings(countyCode, pay.RatingInput{EmpNo: "QS0001", Period: "2026-11", Grade: 5, Count: 2})
	e.mustWorkload(countyCode,
		pay.WorkloadInput{EmpNo: "QS0061", Period: "2026-11", Cases: 100, Calls: 50, Consults: 30, Errands: 20},
		pay.WorkloadInput{EmpNo: "QS0001", Period: "2026-11", Cases: 60, Calls: 30, Consults: 20, Errands: 10},
		pay.WorkloadInput{EmpNo: "QS0002", Period: "2026-11", Cases: 120, Calls: 60, Consults: 40, Errands: 20})
	list, _, err := e.store.FindRatings(context.Background(), pay.RatingFilter{Scope: e.scope(chengguanCode), Period: "2026-11", EmpNo: "QS0061"})
	if err != nil || len(list) != 6 {
		t.Fatalf("ratings: %d %v", len(list), err)
	}
	for _, r := range list {
		if r.CaseNo == "A6" {
			if _, err := e.store.RemoveRating(context.Background(), 0, r.ID, "复核认定该差评与本人服务无关"); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestComputeHandChecked checks rows worked out by hand.
//
// QS0061 (城关镇, 四级) in 2026-11 falls under 城关镇's policy: ratings 5,5,5,4,2 count (the
// 1 was removed, October's is another month) = 10+10+10+8+3 = 41 points over 5 ratings of
// at most 10 → 82; workload 200 against the target 200 → 100; no exam → 0; score
// 0×20% + 82×60% + 100×20% = 69.2 → 二档 ×1.0; amount 250 + 800×1.0 = 1050.
//
// QS0001 (county, no certificate): two 非常满意 by count → 100; workload 120 against the
// unit's highest 240 → 50; score 100×50% + 50×20% = 60 → 三档 ×0.8; amount 0 + 800.
func TestComputeHandChecked(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newPayEnv(t, dialect)
			seedComputation(t, e)
			rows := e.sheet(countyCode, "2026-11")
			got := rows["QS0061"]
			want := &pay.Row{StaffID: got.StaffID, EmpNo: "QS0061", Name: got.Name, OrgID: e.unit(chengguanCode).ID, OrgName: "城关镇便民服务中心",
				PolicyID: got.PolicyID, PolicyOrg: "城关镇便民服务中心", PolicyVersion: 1, PolicyFrom: "2026-06-01",
				Level: 4, Allowance: 250, Ratings: [5]int{3, 1, 0, 1, 0}, RatingCount: 5, RatingPoints: 41, MaxPoints: 10, Service: 82,
				Cases: 100, Calls: 50, Consults: 30, Errands: 20, WorkTotal: 200, WorkBasis: 200, Workload: 100,
				WeightExam: 20, WeightService: 60, WeightWork: 20, Score: 69.2, Tier: "二档", Coefficient: 1, Base: 800, Performance: 800, Amount: 1050}
			if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(pay.Row{}, "OrgPath"), cmpopts.IgnoreUnexported(pay.Row{})); diff != "" {
				t.Errorf("QS0061 (-want +got):\n%s", diff)
			}
			c := rows["QS0001"]
			if c.Service != 100 || c.WorkBasis != 240 || c.Workload != 50 || c.Score != 60 || c.Tier != "三档" || c.Amount != 800 || c.Allowance != 0 || c.PolicyOrg != "青山县政务服务中心" {
				t.Errorf("QS0001: %+v", c)
			}
			if c2 := rows["QS0002"]; c2.Workload != 100 || c2.Service != 0 || c2.Score != 20 || c2.Amount != 800 {
				t.Errorf("QS0002: %+v", c2)
			}
			if len(rows) < 300 {
				t.Errorf("county sheet has %d rows, want every demo clerk", len(rows))
			}
		})
	}
}

// TestPolicyInForce: a period follows the policy in force on its last day, the unit's
// own before an ancestor's, the newest version of a day.
func TestPolicyInForce(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newPayEnv(t, dialect)
			e.mustPolicy(countyCode, "2026-01-01", countyRules())
			second := countyRules()
			second.Base = 1200
			e.mustPolicy(countyCode, "2026-01-01", second)
			e.mustPolicy(chengguanCode, "2026-06-01", chengguanRules())
			ctx := context.Background()
			village := e.unit("QS-CG-01")
			cases := []struct {
				unit, day, wantOrg string
				wantVersion        int
				wantBase           float64
			}{
				{chengguanCode, "2026-05-31", "青山县政务服务中心", 2, 1200},
				{chengguanCode, "2026-06-01", "城关镇便民服务中心", 1, 800},
				{"QS-CG-01", "2026-06-30", "城关镇便民服务中心", 1, 800},
				{donghuCode, "2026-06-30", "青山县政务服务中心", 2, 1200},
			}
			for _, c := range cases {
				p, err := e.store.PolicyInForce(ctx, e.unit(c.unit).Path, day(c.day).Time)
				if err != nil || p == nil || p.OrgName != c.wantOrg || p.Version != c.wantVersion || p.Rules.Base != c.wantBase {
					t.Errorf("%s on %s: got %+v (%v), want %s v%d", c.unit, c.day, p, err, c.wantOrg, c.wantVersion)
				}
			}
			if p, _ := e.store.PolicyInForce(ctx, village.Path, day("2025-12-31").Time); p != nil {
				t.Errorf("before any policy: got %+v", p)
			}
			rows := e.sheet(chengguanCode, "2026-05")
			if r := rows["QS0081"]; r.PolicyOrg != "青山县政务服务中心" || r.Base != 1200 {
				t.Errorf("village clerk in May: %+v", r)
			}
			if r := e.sheet(chengguanCode, "2025-12")["QS0061"]; r.Tier != pay.NoPolicy || r.Amount != 0 {
				t.Errorf("before any policy: %+v", r)
			}
		})
	}
}

func TestPolicyAudited(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newPayEnv(t, dialect)
			p := e.mustPolicy(countyCode, "2026-01-01", countyRules())
			n, err := e.DB.NewSelect().Table("audit_log").Where("action = ? AND object_id = ?", "pay.policy.create", p.ID).Count(context.Background())
			if err != nil || n != 1 {
				t.Errorf("audit entries: %d %v", n, err)
			}
			list, err := e.store.FindPolicies(context.Background(), e.unit(countyCode).ID)
			if err != nil || len(list) != 1 || list[0].Rules.Tiers[0].Name != "一档" || list[0].EffectiveFrom.String() != "2026-01-01" {
				t.Errorf("policies: %+v %v", list, err)
			}
		})
	}
}

func TestRulesValidate(t *testing.T) {
	bad := func(f func(r *pay.Rules)) pay.Rules { r := countyRules(); f(&r); return r }
	cases := map[string]struct {
		rules pay.Rules
		field string
	}{
		"weights not 100":    {bad(func(r *pay.Rules) { r.WeightExam = 40 }), "weights"},
		"no zero tier":       {bad(func(r *pay.Rules) { r.Tiers = r.Tiers[:2] }), "tiers"},
		"same tier minimum":  {bad(func(r *pay.Rules) { r.Tiers[1].Min = 90 }), "tiers"},
		"points rising":      {bad(func(r *pay.Rules) { r.GradePoints[4] = 9 }), "grade_points"},
		"target missing":     {bad(func(r *pay.Rules) { r.WorkloadScale = pay.ScaleTarget }), "workload_target"},
		"negative allowance": {bad(func(r *pay.Rules) { r.Allowances[3] = -1 }), "allowance_3"},
	}
	for name, c := range cases {
		err := c.rules.Validate()
		if e, ok := err.(*web.Error); !ok || e.Fields[c.field] == "" {
			t.Errorf("%s: got %v, want an error on %s", name, err, c.field)
		}
	}
	ok := chengguanRules()
	if err := ok.Validate(); err != nil || ok.Tiers[0].Name != "一档" || ok.Tiers[2].Name != "三档" {
		t.Errorf("valid rules: %v %+v", err, ok.Tiers)
	}
}

// TestTierEdges: a score at a tier's minimum is in that tier, a cent below is not.
func TestTierEdges(t *testing.T) {
	r := chengguanRules()
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	for score, want := range map[float64]string{100: "一档", 85: "一档", 84.99: "二档", 60: "二档", 59.99: "三档", 0: "三档"} {
		if got := r.TierFor(score).Name; got != want {
			t.Errorf("score %v: got %s, want %s", score, got, want)
		}
	}
	if pay.ServiceScore(41, 5, 10) != 82 || pay.ServiceScore(0, 0, 10) != 0 || pay.WorkloadScore(300, 200) != 100 || pay.WorkloadScore(1, 3) != 33.33 {
		t.Error("scaling")
	}
}

// TestRemovedRatingsNotCounted: removing needs a reason, is audited, happens once, and
// the removed rating leaves the sheet.
func TestRemovedRatingsNotCounted(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newPayEnv(t, dialect)
			e.mustPolicy(countyCode, "2026-01-01", countyRules())
			e.mustRatings(chengguanCode,
				pay.RatingInput{EmpNo: "QS0062", RatedOn: dayPtr("2026-11-03"), Grade: 5, CaseNo: "B1"},
				pay.RatingInput{EmpNo: "QS0062", RatedOn: dayPtr("2026-11-04"), Grade: 1, CaseNo: "B2"})
			if r := e.sheet(chengguanCode, "2026-11")["QS0062"]; r.RatingCount != 2 || r.Service != 60 {
				t.Fatalf("before: %+v", r)
			}
			list, _, _ := e.store.FindRatings(context.Background(), pay.RatingFilter{Scope: e.scope(chengguanCode), EmpNo: "QS0062"})
			bad := list[0]
			if bad.Grade != 1 {
				bad = list[1]
			}
			_, err := e.store.RemoveRating(context.Background(), 0, bad.ID, "")
			wantCode(t, "no reason", err, web.EINVALID, "复核结论")
			if _, err := e.store.RemoveRating(context.Background(), 0, bad.ID, "录像复核：评价人误操作"); err != nil {
				t.Fatal(err)
			}
			_, err = e.store.RemoveRating(context.Background(), 0, bad.ID, "再撤一次")
			wantCode(t, "twice", err, web.ECONFLICT, "已被撤销")
			if r := e.sheet(chengguanCode, "2026-11")["QS0062"]; r.RatingCount != 1 || r.Service != 100 {
				t.Errorf("after: %+v", r)
			}
			var reason string
			err = e.DB.NewSelect().Table("audit_log").ColumnExpr("detail").Where("action = ? AND object_id = ?", "pay.rating.remove", bad.ID).Scan(context.Background(), &reason)
			if err != nil || !contains(reason, "录像复核") {
				t.Errorf("audit: %q %v", reason, err)
			}
		})
	}
}

// TestImportRowErrors: unknown and out-of-scope clerks, duplicates in the file and of
// what is stored are reported row by row, and nothing is stored.
func TestImportRowErrors(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newPayEnv(t, dialect)
			e.mustRatings(chengguanCode, pay.RatingInput{EmpNo: "QS0061", RatedOn: dayPtr("2026-11-03"), Grade: 5, CaseNo: "C1"})
			in := []pay.RatingInput{
				{Row: 2, EmpNo: "QS0062", Period: "2026-11", RatedOn: dayPtr("2026-11-03"), Grade: 4, Count: 1, CaseNo: "C2"},
				{Row: 3, EmpNo: "QS9999", Period: "2026-11", RatedOn: dayPtr("2026-11-03"), Grade: 4, Count: 1},
				{Row: 4, EmpNo: "QS0091", Period: "2026-11", RatedOn: dayPtr("2026-11-03"), Grade: 4, Count: 1},
				{Row: 5, EmpNo: "QS0062", Period: "2026-11", RatedOn: dayPtr("2026-11-04"), Grade: 3, Count: 1, CaseNo: "C2"},
				{Row: 6, EmpNo: "QS0061", Period: "2026-11", RatedOn: dayPtr("2026-11-05"), Grade: 3, Count: 1, CaseNo: "C1"},
			}
			rep := &exports.Report{Rows: len(in)}
			_, err := e.store.ImportRatings(context.Background(), 0, e.scope(chengguanCode), in, rep, nil)
			wantCode(t, "import", err, web.EINVALID, "未导入任何评价")
			var got []string
			for _, x := range rep.Errors {
				got = append(got, x.String())
			}
			want := []string{"第 3 行“工号”：花名册中没有工号 QS9999", "第 4 行“工号”：工号 QS0091（" + e.name("QS0091") + "）不在您管理的机构范围内",
				"第 5 行：与第 2 行重复", "第 6 行“办件编号”：" + e.name("QS0061") + " 的办件 C1 的评价已导入过"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			list, n, _ := e.store.FindRatings(context.Background(), pay.RatingFilter{Scope: e.scope(countyCode)})
			if n != 1 || len(list) != 1 {
				t.Errorf("stored %d ratings, want only the first import's", n)
			}
		})
	}
}

func (e *payEnv) name(empNo string) string {
	var n string
	_ = e.DB.NewSelect().Table("staff").Column("name").Where("emp_no = ?", empNo).Scan(context.Background(), &n)
	return n
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// TestSmallRounds: with rounds of 7 clerks (units larger than a round read in parts by
// 工号) the sheet has the same rows in the same order.
func TestSmallRounds(t *testing.T) {
	e := newPayEnv(t, "sqlite")
	seedComputation(t, e)
	collect := func() []string {
		var out []string
		err := e.store.ComputeSheet(context.Background(), pay.SheetQuery{Path: e.unit(countyCode).Path, Period: "2026-11"}, func(r *pay.Row) error {
			out = append(out, fmt.Sprintf("%s %s %v %v", r.EmpNo, r.OrgName, r.Score, r.Amount))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := collect()
	defer pay.SetChunkSize(7)()
	if diff := cmp.Diff(want, collect()); diff != "" || len(want) < 300 {
		t.Errorf("rounds of 7 (-want +got):\n%s", diff)
	}
}
