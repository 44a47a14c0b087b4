package main

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/exams/paper"
	"clerkskill/exams/session"
	"clerkskill/rbac"
)

// world is the prepared exam: the store, the session, its part and the candidates.
type world struct {
	d       *bun.DB
	store   *session.Store
	ss      *session.Session
	users   []int64
	attempt []int64
}

// fixedDrawer hands every candidate the same paper, choice options shown shuffled.
type fixedDrawer struct{ items []paper.Item }

func (f fixedDrawer) Draw(context.Context, paper.Source, int64) ([]paper.Item, error) {
	return f.items, nil
}

func setup(ctx context.Context, d *bun.DB, o options) (*world, error) {
	people, err := rbac.NewStore(d, nil)
	if err != nil {
		return nil, err
	}
	if _, err := people.Bootstrap(ctx, "政务服务中心", "Bench-Pass-2026"); err != nil {
		return nil, err
	}
	root, err := people.FindOrgs(ctx, rbac.OrgFilter{Scope: rbac.Scope{"/"}})
	if err != nil || len(root) == 0 {
		return nil, fmt.Errorf("root unit: %v", err)
	}
	std := exams.NewStore(d, nil)
	if _, err := std.EnsureDefaultStandard(ctx); err != nil {
		return nil, err
	}
	bk := bank.NewStore(d, std, nil)
	drawer, err := questions(ctx, bk, root[0].ID, o.items)
	if err != nil {
		return nil, err
	}
	w := &world{d: d, store: session.NewStore(d, session.Deps{Bank: bk, Standards: std, People: people, Drawer: drawer}, nil)}
	if err := w.candidates(ctx, root[0].ID, o.candidates); err != nil {
		return nil, err
	}
	_, err = d.ExecContext(ctx, "CREATE TABLE raw_upserts (k BIGINT PRIMARY KEY, v JSONB, seq BIGINT NOT NULL, at TIMESTAMPTZ NOT NULL)")
	return w, err
}

// questions writes n single-choice questions and returns a drawer over them.
func questions(ctx context.Context, bk *bank.Store, owner int64, n int) (fixedDrawer, error) {
	qs := make([]*bank.Question, n)
	for i := range qs {
		qs[i] = &bank.Question{Type: bank.Single, Levels: bank.LevelsOf(5), Code: "1.1", Difficulty: 2, Score: 2, Pool: bank.PoolExam,
			Stem: fmt.Sprintf("第%d题：群众到窗口咨询办事流程时，工作人员首先应当（　　）。", i+1), OwnerOrgID: owner,
			Options: []string{"耐心倾听并确认诉求", "直接发放材料清单", "请其自行查询", "转交其他窗口"}, Answer: bank.Answer{Choice: "A"}}
	}
	if err := bk.CreateQuestions(ctx, 0, qs); err != nil {
		return fixedDrawer{}, err
	}
	var f fixedDrawer
	for _, q := range qs {
		f.items = append(f.items, paper.Item{QuestionID: q.ID, Points: 2, Perm: []int{2, 0, 3, 1}})
	}
	return f, nil
}

// candidates writes n accounts and an open 五级 session they all sit.
func (w *world) candidates(ctx context.Context, org int64, n int) error {
	now := time.Now().UTC()
	users := make([]*rbac.User, n)
	for i := range users {
		users[i] = &rbac.User{Username: fmt.Sprintf("cand%05d", i), DisplayName: fmt.Sprintf("考生%05d", i), PasswordHash: "-", Active: true, CreatedAt: now, UpdatedAt: now}
	}
	if _, err := w.d.NewInsert().Model(&users).Exec(ctx); err != nil {
		return err
	}
	ss, err := w.store.CreateSession(ctx, 0, &session.Input{Name: "压力测试场次", Level: 5, OrgID: org, OpensAt: now.Add(-time.Minute),
		ClosesAt: now.Add(3 * time.Hour), Parts: []session.PartInput{{Kind: "theory", DurationMinutes: 120, Source: paper.Source{BlueprintID: 1}}}})
	if err != nil {
		return err
	}
	rows := make([]*session.Candidate, n)
	for i, u := range users {
		rows[i] = &session.Candidate{SessionID: ss.ID, UserID: u.ID, AddedAt: now}
		w.users = append(w.users, u.ID)
	}
	w.ss, w.attempt = ss, make([]int64, n)
	_, err = w.d.NewInsert().Model(&rows).Exec(ctx)
	return err
}

// measure runs each step after its raw ceiling: the same number of single-row upserts
// through database/sql, with the same workers doing the same number each.
func (w *world) measure(ctx context.Context, o options) error {
	n, part := o.candidates, w.ss.Parts[0].ID
	steps := []struct {
		name string
		k    int
		op   func(i, j int) error
	}{
		{"start", 1, func(i, _ int) error {
			a, err := w.store.StartAttempt(ctx, w.ss.ID, part, w.users[i], "bench")
			if err == nil {
				w.attempt[i] = a.ID
			}
			return err
		}},
		{"autosave", o.saves, func(i, j int) error {
			_, err := w.store.SaveAnswer(ctx, w.attempt[i], w.users[i], session.SaveInput{Idx: j % o.items,
				Response: bank.Response{Choice: "B"}, Seq: int64(j + 1)})
			return err
		}},
		{"submit", 1, func(i, _ int) error { _, err := w.store.Submit(ctx, w.attempt[i], w.users[i]); return err }},
	}
	base := 0
	for _, s := range steps {
		raw, err := fanOut(n, s.k, o.think, func(i, j int) error { return w.rawUpsert(ctx, int64(base+i*s.k+j), j) })
		if err != nil {
			return err
		}
		got, err := fanOut(n, s.k, o.think, s.op)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		report(s.name, got, raw)
		base += n * s.k
	}
	return nil
}

func (w *world) rawUpsert(ctx context.Context, k int64, seq int) error {
	_, err := w.d.DB.ExecContext(ctx, `INSERT INTO raw_upserts (k, v, seq, at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v, seq = EXCLUDED.seq, at = EXCLUDED.at WHERE raw_upserts.seq < EXCLUDED.seq`,
		k, `{"choice":"A"}`, seq+1, time.Now().UTC())
	return err
}

// check proves the run did what it says: every attempt closed with its answers.
func (w *world) check(ctx context.Context, o options) error {
	closed, err := w.d.NewSelect().Model((*session.Attempt)(nil)).Where("status = ?", session.AttemptClosed).Count(ctx)
	if err != nil {
		return err
	}
	answers, err := w.d.NewSelect().Model((*session.Answer)(nil)).Count(ctx)
	if err == nil && (closed != int64(o.candidates) || answers != int64(o.candidates*min(o.saves, o.items))) {
		err = fmt.Errorf("%d closed attempts and %d answers after the run", closed, answers)
	}
	return err
}
