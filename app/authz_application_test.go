package app_test

import (
	"context"

	"clerkskill/exams/certify"
)

// applicationID returns the group's clerk's 一级 application (a level no fixture awards),
// filing it on first use. Matrix rows send empty bodies, so they may approve or
// re-evaluate it but never reject, place or give it an exception; it is found again
// whatever its status.
func (fx *fixture) applicationID(group string) int64 {
	ctx := context.Background()
	s := fx.env.Srv.Certify
	list, _, err := s.FindApplications(ctx, certify.ApplicationFilter{StaffID: fx.staff[group].ID, Level: 1})
	if err != nil {
		fx.t.Fatal(err)
	}
	if len(list) > 0 {
		return list[0].ID
	}
	a, err := s.Apply(ctx, 0, fx.staff[group].ID, 1)
	if err != nil {
		fx.t.Fatal(err)
	}
	return a.ID
}
