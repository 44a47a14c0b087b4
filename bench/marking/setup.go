package main

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/exams/marking/marktest"
	"clerkskill/rbac"
)

// setup writes one county unit, a candidate account per attempt, the questions of one
// paper (40% single, 20% multiple, 20% judgement, 20% fill-in) and a closed session with
// one submitted attempt per candidate, each answered about 70% right.
func setup(ctx context.Context, d *bun.DB, std *exams.Store, o options) ([]int64, error) {
	people, err := rbac.NewStore(d, nil)
	if err != nil {
		return nil, err
	}
	org := &rbac.OrgUnit{Tier: rbac.TierCounty, Code: "BENCH", Name: "测评县政务服务中心"}
	if err := people.CreateOrg(ctx, 0, org); err != nil {
		return nil, err
	}
	users, err := insertUsers(ctx, d, o.attempts)
	if err != nil {
		return nil, err
	}
	qs, err := insertQuestions(ctx, d, std, org.ID, o.items)
	if err != nil {
		return nil, err
	}
	sid, parts, err := marktest.NewSession(ctx, d, marktest.Session{Name: "测评场次", Level: 5, OrgID: org.ID, Parts: []string{exams.PartTheory}})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(users))
	for i, uid := range users {
		id, err := marktest.NewAttempt(ctx, d, sid, parts[exams.PartTheory], uid, "closed", paperFor(qs, i))
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func insertUsers(ctx context.Context, d *bun.DB, n int) ([]int64, error) {
	now := time.Now().UTC()
	rows := make([]*rbac.User, n)
	for i := range rows {
		rows[i] = &rbac.User{Username: fmt.Sprintf("bench%05d", i), DisplayName: fmt.Sprintf("考生%05d", i),
			PasswordHash: "x", Active: true, CreatedAt: now, UpdatedAt: now}
	}
	for i := 0; i < n; i += 500 {
		batch := rows[i:min(n, i+500)]
		if _, err := d.NewInsert().Model(&batch).Returning("id").Exec(ctx); err != nil {
			return nil, err
		}
	}
	ids := make([]int64, n)
	for i, u := range rows {
		ids[i] = u.ID
	}
	return ids, nil
}

func insertQuestions(ctx context.Context, d *bun.DB, std *exams.Store, orgID int64, n int) ([]*bank.Question, error) {
	yes := true
	codes := []string{"0.1", "1.1", "1.2", "2.1", "2.2", "3.1", "4.1", "4.2"}
	qs := make([]*bank.Question, n)
	for i := range qs {
		q := &bank.Question{Levels: bank.LevelsOf(5), Code: codes[i%len(codes)], Difficulty: 2, Score: 1 + i%3, Pool: bank.PoolExam, OwnerOrgID: orgID}
		switch {
		case i%5 < 2:
			q.Type, q.Options, q.Answer = bank.Single, []string{"甲", "乙", "丙", "丁"}, bank.Answer{Choice: "B"}
		case i%5 == 2:
			q.Type, q.Options, q.Answer, q.Partial = bank.Multiple, []string{"甲", "乙", "丙", "丁"}, bank.Answer{Choice: "ACD"}, bank.PartialProportional
		case i%5 == 3:
			q.Type, q.Answer = bank.Judge, bank.Answer{Judge: &yes}
		default:
			q.Type, q.Answer = bank.Fill, bank.Answer{Blanks: [][]string{{"一次性"}}}
		}
		q.Stem = fmt.Sprintf("测评题%03d：材料不齐全的，应当（　　）告知。", i)
		qs[i] = q
	}
	err := bank.NewStore(d, std, nil).CreateQuestions(ctx, 0, qs)
	return qs, err
}

// paperFor is candidate i's paper: every question, 1 point each (normalised to 100).
func paperFor(qs []*bank.Question, i int) []marktest.Item {
	out := make([]marktest.Item, len(qs))
	for k, q := range qs {
		right := (i*7+k*13)%10 < 7
		r := bank.Response{}
		switch q.Type {
		case bank.Single:
			r.Choice = map[bool]string{true: "B", false: "C"}[right]
		case bank.Multiple:
			r.Choice = map[bool]string{true: "ACD", false: "AC"}[right]
		case bank.Judge:
			r.Judge = &right
		case bank.Fill:
			r.Blanks = []string{map[bool]string{true: "一次性", false: "当场"}[right]}
		}
		out[k] = marktest.Item{QuestionID: q.ID, Points: 1, Response: &r}
	}
	return out
}
