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
	return seedPayRun(env, srv, sum.Periods[0])
}

// seedPayRun closes (核定) the earliest demo month for the county as its HR office, so
// the list of pay runs is not empty.
func seedPayRun(env Env, srv *Server, period string) error {
	county, err := srv.Pay.FindUnitByCode(env.Ctx, "QS")
	if err != nil {
		return err
	}
	hr, err := srv.RBAC.FindUserByUsername(env.Ctx, "hr")
	if err != nil {
		return err
	}
	run, err := srv.Pay.CloseRun(env.Ctx, hr.ID, county, period)
	if err != nil {
		return fmt.Errorf("demo pay run: %w", err)
	}
	fmt.Fprintf(env.Stdout, "demo pay run: %s closed for the county (%d clerks, %.2f 元)\n", period, run.Clerks, run.Amount)
	return nil
}
