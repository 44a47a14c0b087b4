package app_test

import (
	"context"

	"clerkskill/exports/sheets"
)

// exportJobID returns a queued roster export of the group's township, asked for by the
// admin, writing it on first use.
func (fx *fixture) exportJobID(group string) int64 {
	ctx := context.Background()
	if id, ok := fx.jobs[group]; ok {
		return id
	}
	admin, err := fx.env.Srv.RBAC.FindUserByUsername(ctx, "admin")
	if err != nil {
		fx.t.Fatal(err)
	}
	j, err := fx.env.Srv.Sheets.QueueJob(ctx, admin.ID, sheets.KindRoster, sheets.JobParams{Scope: []string{fx.orgs[group].Path}})
	if err != nil {
		fx.t.Fatal(err)
	}
	fx.jobs[group] = j.ID
	return j.ID
}
