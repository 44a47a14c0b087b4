package app_test

import "context"

// payRunID returns a pay run of the group's township (January 2025, closed by the
// system), closing it on first use. Matrix rows never reopen it: they send no reason.
func (fx *fixture) payRunID(group string) int64 {
	ctx := context.Background()
	s := fx.env.Srv.Pay
	u, err := s.FindUnit(ctx, fx.orgs[group].ID)
	if err != nil {
		fx.t.Fatal(err)
	}
	runs, err := s.FindRuns(ctx, u.ID)
	if err != nil {
		fx.t.Fatal(err)
	}
	if len(runs) > 0 {
		return runs[0].ID
	}
	run, err := s.CloseRun(ctx, 0, u, "2025-01")
	if err != nil {
		fx.t.Fatal(err)
	}
	return run.ID
}
