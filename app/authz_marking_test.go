package app_test

import (
	"context"

	"clerkskill/exams/bank"
	"clerkskill/exams/marking"
	"clerkskill/exams/marking/marktest"
)

// markingSessionID returns the group's marked exam session, writing it on first use: a
// session at the group's township whose results are out (not held, already closed), with
// one marked attempt by the group's clerk. The trainer assesses the sessions of the
// groups the trainer's grant covers, so marking routes answer 404 elsewhere.
func (fx *fixture) markingSessionID(group string) int64 {
	ctx := context.Background()
	name := "授权矩阵考试场次 " + group
	var ids []int64
	err := fx.env.Srv.DB.NewSelect().Table("exam_sessions").Column("id").Where("name = ?", name).Scan(ctx, &ids)
	if err != nil {
		fx.t.Fatal(err)
	}
	if len(ids) > 0 {
		return ids[0]
	}
	spec := marktest.Session{Name: name, Level: 5, OrgID: fx.orgs[group].ID, Parts: []string{"theory"}}
	if contains(roleCovers["trainer"], group) {
		spec.Assessors = []int64{fx.userID("trainer")}
	}
	id, parts, err := marktest.NewSession(ctx, fx.env.Srv.DB, spec)
	if err != nil {
		fx.t.Fatal(err)
	}
	yes := true
	att, err := marktest.NewAttempt(ctx, fx.env.Srv.DB, id, parts["theory"], fx.candidate(group), "closed",
		[]marktest.Item{{QuestionID: fx.questionID(group), Points: 100, Response: &bank.Response{Judge: &yes}}})
	if err == nil {
		err = fx.env.Srv.Marking.MarkAttempt(ctx, att)
	}
	if err != nil {
		fx.t.Fatal(err)
	}
	return id
}

// reviewID returns a review request by the group's clerk in the group's session.
func (fx *fixture) reviewID(group string) int64 {
	ctx := context.Background()
	sid := fx.markingSessionID(group)
	var ids []int64
	err := fx.env.Srv.DB.NewSelect().Table("review_requests").Column("id").Where("session_id = ?", sid).Scan(ctx, &ids)
	if err != nil {
		fx.t.Fatal(err)
	}
	if len(ids) > 0 {
		return ids[0]
	}
	var att int64
	if err := fx.env.Srv.DB.NewSelect().Table("attempts").Column("id").Where("session_id = ?", sid).Limit(1).Scan(ctx, &att); err != nil {
		fx.t.Fatal(err)
	}
	r, err := fx.env.Srv.Marking.RequestReview(ctx, fx.candidate(group), marking.ReviewInput{AttemptID: att, Idx: 0, Reason: "判断题答案与教材一致，请复核"})
	if err != nil {
		fx.t.Fatal(err)
	}
	return r.ID
}

// candidate is the account of the group's clerk.
func (fx *fixture) candidate(group string) int64 {
	u, err := fx.env.Srv.RBAC.FindUserByStaffID(context.Background(), fx.staff[group].ID)
	if err != nil {
		fx.t.Fatal(err)
	}
	return u.ID
}

func (fx *fixture) userID(username string) int64 {
	u, err := fx.env.Srv.RBAC.FindUserByUsername(context.Background(), username)
	if err != nil {
		fx.t.Fatal(err)
	}
	return u.ID
}
