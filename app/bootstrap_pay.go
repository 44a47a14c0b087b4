package app

import "fmt"

// seedPay gives the county and 城关镇 different pay policies and the demo clerks ratings
// and workload for the last three months, so the pay page shows tiers.
func seedPay(env Env, srv *Server) error {
	sum, err := srv.Pay.SeedDemo(env.Ctx, "QS", "QS-CG")
	if err != nil {
		return fmt.Errorf("demo pay: %w", err)
	}
	fmt.Fprintf(env.Stdout, "demo pay: policies for the county and 城关镇, %d rating rows and %d workload rows for %s–%s\n",
		sum.Ratings, sum.Workloads, sum.Periods[0], sum.Periods[len(sum.Periods)-1])
	return nil
}
