package pay_test

import (
	"context"
	"testing"

	"clerkskill/app/db/dbtest"
	"clerkskill/exports/pay"
)

// TestSeedDemo: three months of inputs for every county clerk, two policies, and a last
// month whose pay page shows several tiers under each policy.
func TestSeedDemo(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newPayEnv(t, dialect)
			sum, err := e.store.SeedDemo(context.Background(), countyCode, chengguanCode)
			if err != nil {
				t.Fatal(err)
			}
			if len(sum.Periods) != 3 || sum.Workloads < 900 || sum.Ratings < 1000 || sum.Policies != 2 {
				t.Fatalf("summary %+v", sum)
			}
			last := sum.Periods[2]
			p, err := e.store.PreviewSheet(context.Background(), pay.SheetQuery{Path: e.unit(countyCode).Path, Period: last}, 10)
			if err != nil || p.Total < 300 || len(p.Tiers) < 3 {
				t.Fatalf("county sheet: %d rows, tiers %+v, %v", p.Total, p.Tiers, err)
			}
			rows := e.sheet(chengguanCode, last)
			if r := rows["QS0061"]; r.PolicyOrg != "城关镇便民服务中心" || r.MaxPoints != 10 || r.RatingCount == 0 || r.WorkBasis != 260 {
				t.Errorf("城关镇 clerk: %+v", r)
			}
			if r := e.sheet(donghuCode, last)["QS0091"]; r.PolicyOrg != "青山县政务服务中心" || r.RatingCount == 0 {
				t.Errorf("东湖街道 clerk: %+v", r)
			}
			removed := 0
			list, _, _ := e.store.FindRatings(context.Background(), pay.RatingFilter{Scope: e.scope(chengguanCode), Period: last, Limit: 200})
			for _, r := range list {
				if r.Removed() {
					removed++
				}
			}
			if removed != 1 {
				t.Errorf("removed on appeal: %d", removed)
			}
		})
	}
}
