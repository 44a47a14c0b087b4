package competency

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/app/web/chart"
	"clerkskill/rbac"
)

type dashboardPage struct {
	D        *Dashboard
	OrgID    int64
	Orgs     []OrgOption
	ByUnit   chart.Stacked
	ByTier   chart.Stacked
	Sessions chart.Bars
	Branches chart.Bars
	Months   chart.Columns
}

func (h *Handler) showDashboard(c *fiber.Ctx) error {
	id, err := h.orgIn(c, int64(web.QueryInt(c, "org", 0)), "competency", "read")
	if err != nil {
		return err
	}
	d, err := h.store.BuildDashboard(c.UserContext(), id)
	if err != nil {
		return err
	}
	p := dashboardPage{D: d, OrgID: id, ByUnit: levelChart("各单位持证等级分布", d.ByUnit), ByTier: levelChart("各层级持证等级分布", d.ByTier),
		Sessions: sessionChart(d.Sessions), Branches: branchChart(d.Branches, d.GapBelow), Months: monthChart(d.Months)}
	if p.Orgs, err = h.store.unitOptions(c.UserContext(), rbac.ScopeOf(c, "competency", "read")); err != nil {
		return err
	}
	return h.render(c, "competency_dashboard", "认定与能力看板", p)
}

// levelKeys are the stacked chart's series: 一级 (highest) to 五级, then none.
var levelKeys = func() []chart.Key {
	var out []chart.Key
	for k := 1; k <= 5; k++ {
		out = append(out, chart.Key{Label: LevelName(k), Class: fmt.Sprintf("s%d", k)})
	}
	return append(out, chart.Key{Label: LevelName(0), Class: "s0"})
}()

func levelChart(title string, rows []LevelRow) chart.Stacked {
	labels, counts := make([]string, len(rows)), make([][]int, len(rows))
	for i, r := range rows {
		labels[i] = r.Label
		counts[i] = []int{r.Counts[1], r.Counts[2], r.Counts[3], r.Counts[4], r.Counts[5], r.Counts[0]}
	}
	return chart.NewStacked(title, labels, levelKeys, counts)
}

func sessionChart(rows []SessionRate) chart.Bars {
	labels, values := make([]string, len(rows)), make([]float64, len(rows))
	for i, r := range rows {
		labels[i], values[i] = r.Name, r.Rate
	}
	return chart.NewBars("各场次通过率", labels, values, 100, "%")
}

func branchChart(rows []BranchRate, line int) chart.Bars {
	labels, values := make([]string, len(rows)), make([]float64, len(rows))
	for i, r := range rows {
		labels[i], values[i] = r.Name, r.Rate
	}
	return chart.NewBars(fmt.Sprintf("各分支达到%d分的比例", line), labels, values, 100, "%")
}

func monthChart(rows []Month) chart.Columns {
	labels, values := make([]string, len(rows)), make([]float64, len(rows))
	base := 0.0
	for i, r := range rows {
		labels[i], values[i] = r.Month[5:]+"月", float64(r.Awards)
	}
	if len(rows) > 0 {
		base = float64(rows[0].Cumulative - rows[0].Awards)
	}
	return chart.NewColumns("近12个月颁证数与累计", labels, values, base)
}
