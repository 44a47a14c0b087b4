package pay

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"clerkskill/app/db"
	"clerkskill/exports"
	"clerkskill/rbac"
)

// DemoSummary says what SeedDemo added.
type DemoSummary struct {
	Periods   []string
	Ratings   int
	Workloads int
	Policies  int
}

// SeedDemo gives the county (code county) a pay policy and the township (code town) a
// different one, from the first of the earliest month seeded, and ratings and workload
// for every active clerk of the county for the last three full months: one row per rating
// at the township, per-clerk grade counts elsewhere, and one bad rating removed on appeal.
// It is deterministic for a given clock.
func (s *Store) SeedDemo(ctx context.Context, county, town string) (DemoSummary, error) {
	now := s.now().In(china)
	sum := DemoSummary{}
	for i := 3; i >= 1; i-- {
		sum.Periods = append(sum.Periods, PeriodOf(time.Date(now.Year(), now.Month()-time.Month(i), 1, 0, 0, 0, 0, china)))
	}
	from, _ := time.Parse("2006-01", sum.Periods[0])
	if err := s.demoPolicies(ctx, county, town, rbac.Date{Time: from}); err != nil {
		return sum, fmt.Errorf("demo pay policies: %w", err)
	}
	sum.Policies = 2
	u, err := s.FindUnitByCode(ctx, county)
	if err != nil {
		return sum, err
	}
	var clerks []*clerk
	q := s.db.NewSelect().TableExpr("staff AS s").ColumnExpr("s.id, s.emp_no, s.name, s.org_id, o.path").
		Join("JOIN org_units AS o ON o.id = s.org_id").Where("s.active = ?", true).OrderExpr("s.emp_no")
	if err := inSubtree(q, "o.path", u.Path).Scan(ctx, &clerks); err != nil {
		return sum, err
	}
	townUnit, err := s.FindUnitByCode(ctx, town)
	if err != nil {
		return sum, err
	}
	return s.demoInputs(ctx, clerks, townUnit.Path, sum)
}

func (s *Store) demoPolicies(ctx context.Context, county, town string, from rbac.Date) error {
	cu, err := s.FindUnitByCode(ctx, county)
	if err != nil {
		return err
	}
	tu, err := s.FindUnitByCode(ctx, town)
	if err != nil {
		return err
	}
	countyRules := DefaultRules()
	townRules := Rules{Allowances: map[int]float64{5: 150, 4: 250, 3: 380, 2: 500, 1: 650},
		WeightExam: 20, WeightService: 60, WeightWorkload: 20, GradePoints: [5]float64{10, 8, 6, 3, 0},
		WorkloadScale: ScaleTarget, WorkloadTarget: 260,
		Tiers: []Tier{{"一档", 85, 1.5}, {"二档", 70, 1.1}, {"三档", 50, 0.8}, {"四档", 0, 0.5}}, Base: 900}
	if err := s.CreatePolicy(ctx, 0, &Policy{OrgID: cu.ID, EffectiveFrom: from, Rules: countyRules,
		Note: "县政务服务中心综窗人员差异化绩效（演示）：等级津贴加绩效，好差评按5/4/3/2/1计"}); err != nil {
		return err
	}
	return s.CreatePolicy(ctx, 0, &Policy{OrgID: tu.ID, EffectiveFrom: from, Rules: townRules,
		Note: "城关镇沿用市里的10/8/6/3/0评价分值，工作量按每月260件目标折算（演示）"})
}

// demoInputs writes the ratings and workload through the importers, as HR would.
func (s *Store) demoInputs(ctx context.Context, clerks []*clerk, townPath string, sum DemoSummary) (DemoSummary, error) {
	rng := rand.New(rand.NewPCG(2026, 7))
	var ratings []RatingInput
	var work []WorkloadInput
	for _, c := range clerks {
		skill := rng.Float64() // steadier clerks get better ratings and more work done
		for _, p := range sum.Periods {
			if len(c.Path) >= len(townPath) && c.Path[:len(townPath)] == townPath {
				ratings = append(ratings, demoSingles(rng, c, p, skill)...)
			} else {
				ratings = append(ratings, demoCounts(rng, c, p, skill)...)
			}
			n := 120 + int(skill*160) + rng.IntN(40)
			work = append(work, WorkloadInput{EmpNo: c.EmpNo, Period: p, Cases: n * 4 / 10, Calls: n * 3 / 10, Consults: n * 2 / 10, Errands: n / 10})
		}
	}
	for i := range ratings {
		ratings[i].Row = i + 2
	}
	for i := range work {
		work[i].Row = i + 2
	}
	all := rbac.Scope{"/"}
	var err error
	if sum.Ratings, err = s.ImportRatings(ctx, 0, all, ratings, &exports.Report{Rows: len(ratings)}, nil); err != nil {
		return sum, fmt.Errorf("demo ratings: %w", err)
	}
	if sum.Workloads, err = s.ImportWorkload(ctx, 0, all, work, &exports.Report{Rows: len(work)}, nil); err != nil {
		return sum, fmt.Errorf("demo workload: %w", err)
	}
	return sum, s.demoAppeal(ctx, sum.Periods[len(sum.Periods)-1])
}

// demoGrade draws a grade, better for a higher skill.
func demoGrade(rng *rand.Rand, skill float64) int {
	x := rng.Float64()*0.8 + skill*0.35
	switch {
	case x > 0.75:
		return 5
	case x > 0.45:
		return 4
	case x > 0.25:
		return 3
	case x > 0.12:
		return 2
	}
	return 1
}

var demoChannels = []string{"窗口评价器", "窗口评价器", "政务服务网", "政务服务小程序", "短信回访"}

func demoSingles(rng *rand.Rand, c *clerk, period string, skill float64) []RatingInput {
	start, _ := time.Parse("2006-01", period)
	days := start.AddDate(0, 1, -1).Day()
	var out []RatingInput
	for i := range 4 + rng.IntN(8) {
		d := start.AddDate(0, 0, rng.IntN(days))
		out = append(out, RatingInput{EmpNo: c.EmpNo, Period: period, RatedOn: &rbac.Date{Time: d}, Grade: demoGrade(rng, skill), Count: 1,
			Channel: demoChannels[rng.IntN(len(demoChannels))], CaseNo: fmt.Sprintf("%s%s%03d", c.EmpNo, period[2:4]+period[5:], i+1)})
	}
	return out
}

func demoCounts(rng *rand.Rand, c *clerk, period string, skill float64) []RatingInput {
	counts := map[int]int{}
	for range 5 + rng.IntN(15) {
		counts[demoGrade(rng, skill)]++
	}
	var out []RatingInput
	for g := 5; g >= 1; g-- {
		if counts[g] > 0 {
			out = append(out, RatingInput{EmpNo: c.EmpNo, Period: period, Grade: g, Count: counts[g]})
		}
	}
	return out
}

// demoAppeal removes the first 非常不满意 of the township's clerks in the latest month,
// as an appeal upheld after review.
func (s *Store) demoAppeal(ctx context.Context, period string) error {
	var id int64
	err := s.db.NewSelect().Table("pay_ratings").Column("id").Where("period = ? AND grade = 1 AND rated_on IS NOT NULL", period).
		OrderExpr("id").Limit(1).Scan(ctx, &id)
	if db.IsNoRows(err) {
		return nil // no bad rating to appeal this time
	}
	if err != nil {
		return err
	}
	_, err = s.RemoveRating(ctx, 0, id, "调取窗口录像复核：评价人误按评价器，经本人申诉后撤销")
	return err
}
