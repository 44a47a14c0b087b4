package app_test

import (
	"context"
	"time"

	"clerkskill/curriculum/training"
	"clerkskill/rbac"
)

// eventID returns the group's training event, writing it on first use: a sharing session
// owned by the group's township, starting in ten minutes so sign-in routes are open.
func (fx *fixture) eventID(group string) int64 {
	ctx := context.Background()
	s := fx.env.Srv.Training
	list, _, err := s.FindEvents(ctx, training.EventFilter{Scope: rbac.Scope{fx.orgs[group].Path}, OrgID: fx.orgs[group].ID})
	if err != nil {
		fx.t.Fatal(err)
	}
	if len(list) > 0 {
		return list[0].ID
	}
	start := fx.env.Now.Now().Add(10 * time.Minute)
	e := &training.Event{Title: "授权矩阵礼仪分享会", Kind: training.KindSharing, StartsAt: start, EndsAt: start.Add(time.Hour),
		Place: "便民服务中心会议室", Capacity: 30, Hours: 1, OrgID: fx.orgs[group].ID}
	if err := s.CreateEvent(ctx, 0, e); err != nil {
		fx.t.Fatal(err)
	}
	return e.ID
}

// hoursEntryID returns an external training entry, with a PDF as evidence, of the group's
// clerk, writing it on first use. Matrix rows never void it: they send no reason.
func (fx *fixture) hoursEntryID(group string) int64 {
	ctx := context.Background()
	s := fx.env.Srv.Training
	u, err := fx.env.Srv.RBAC.FindUserByStaffID(ctx, fx.staff[group].ID)
	if err != nil {
		fx.t.Fatal(err)
	}
	list, _, err := s.FindEntries(ctx, training.EntryFilter{UserID: u.ID, Source: training.SourceExternal})
	if err != nil {
		fx.t.Fatal(err)
	}
	if len(list) > 0 {
		return list[0].ID
	}
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
	e, err := s.AddExternal(ctx, 0, &training.External{UserID: u.ID, Title: "授权矩阵外部培训", Hours: 2,
		Date: fx.env.Now.Now().In(training.China).Format("2006-01-02"), File: &training.Evidence{Name: "证书.pdf", Data: pdf}})
	if err != nil {
		fx.t.Fatal(err)
	}
	return e.ID
}
