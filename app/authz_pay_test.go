package app_test

import (
	"context"

	"clerkskill/exports"
	"clerkskill/exports/pay"
	"clerkskill/rbac"
)

// ratingID returns a service rating of the group's clerk, writing it on first use. Matrix
// rows never remove it: they send no reason.
func (fx *fixture) ratingID(group string) int64 {
	ctx := context.Background()
	s := fx.env.Srv.Pay
	scope := rbac.Scope{fx.orgs[group].Path}
	list, _, err := s.FindRatings(ctx, pay.RatingFilter{Scope: scope, EmpNo: fx.staff[group].EmpNo})
	if err != nil {
		fx.t.Fatal(err)
	}
	if len(list) > 0 {
		return list[0].ID
	}
	in := pay.RatingInput{Row: 2, EmpNo: fx.staff[group].EmpNo, Period: "2026-11", RatedOn: &rbac.Date{Time: pay.PeriodEnd("2026-11")},
		Grade: 2, Count: 1, Channel: "窗口", CaseNo: "AUTHZ-" + group}
	if _, err := s.ImportRatings(ctx, 0, scope, []pay.RatingInput{in}, &exports.Report{Rows: 1}, nil); err != nil {
		fx.t.Fatal(err)
	}
	return fx.ratingID(group)
}
