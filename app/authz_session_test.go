package app_test

import (
	"context"
	"time"

	"clerkskill/exams/paper"
	"clerkskill/exams/session"
)

// examSessionID returns the group's open exam session, writing it on first use: a 五级
// session at the group's township, open now, with the group's clerk as candidate.
func (fx *fixture) examSessionID(group string) int64 {
	ctx := context.Background()
	name := "授权矩阵考场 " + group
	var ids []int64
	if err := fx.env.Srv.DB.NewSelect().Table("exam_sessions").Column("id").Where("name = ?", name).Scan(ctx, &ids); err != nil {
		fx.t.Fatal(err)
	}
	if len(ids) > 0 {
		return ids[0]
	}
	now := fx.env.Now.Now()
	ss, err := fx.env.Srv.Sessions.CreateSession(ctx, 0, &session.Input{Name: name, Level: 5, OrgID: fx.orgs[group].ID,
		OpensAt: now.Add(-time.Minute), ClosesAt: now.Add(2 * time.Hour),
		Parts: []session.PartInput{{Kind: "theory", DurationMinutes: 60, Source: paper.Source{PaperID: 1}}}})
	if err == nil {
		_, err = fx.env.Srv.DB.NewInsert().Model(&session.Candidate{SessionID: ss.ID, UserID: fx.examCandidate(group), AddedAt: now}).Exec(ctx)
	}
	if err != nil {
		fx.t.Fatal(err)
	}
	return ss.ID
}

// examAttemptID returns the group's clerk's open attempt in the group's session, written
// as rows (the matrix has no drawer): one item, the group's question.
func (fx *fixture) examAttemptID(group string) int64 {
	ctx := context.Background()
	sid := fx.examSessionID(group)
	var ids []int64
	if err := fx.env.Srv.DB.NewSelect().Table("attempts").Column("id").Where("session_id = ?", sid).Scan(ctx, &ids); err != nil {
		fx.t.Fatal(err)
	}
	if len(ids) > 0 {
		return ids[0]
	}
	ss, err := fx.env.Srv.Sessions.FindSessionByID(ctx, sid)
	if err != nil {
		fx.t.Fatal(err)
	}
	now := fx.env.Now.Now()
	a := &session.Attempt{SessionID: sid, PartID: ss.Parts[0].ID, UserID: fx.examCandidate(group), Seed: 1, Status: session.AttemptOpen,
		StartedAt: now, Deadline: now.Add(time.Hour)}
	if _, err := fx.env.Srv.DB.NewInsert().Model(a).Exec(ctx); err != nil {
		fx.t.Fatal(err)
	}
	it := &session.Item{AttemptID: a.ID, Idx: 0, QuestionID: fx.questionID(group), Points: 1}
	if _, err := fx.env.Srv.DB.NewInsert().Model(it).Exec(ctx); err != nil {
		fx.t.Fatal(err)
	}
	return a.ID
}

// examCandidate is the account of the group's clerk.
func (fx *fixture) examCandidate(group string) int64 {
	u, err := fx.env.Srv.RBAC.FindUserByStaffID(context.Background(), fx.staff[group].ID)
	if err != nil {
		fx.t.Fatal(err)
	}
	return u.ID
}
