package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"golang.org/x/crypto/argon2"

	"clerkskill/app"
	"clerkskill/exams/bank"
	"clerkskill/exams/paper"
	"clerkskill/exams/session"
	"clerkskill/rbac"
)

// world is the prepared exam: one open 五级 session with a fixed paper and its candidates.
type world struct {
	srv   *app.Server
	ss    *session.Session
	users []*rbac.User
}

const benchPassword = "Bench-Pass-2026"

// setup writes the root unit, n trainee accounts, a paper of o.items single-choice
// questions and an open session they all sit, through the server's own stores.
func setup(ctx context.Context, srv *app.Server, o options) (*world, error) {
	if _, err := srv.RBAC.Bootstrap(ctx, "政务服务中心", benchPassword); err != nil {
		return nil, err
	}
	root, err := srv.RBAC.FindOrgs(ctx, rbac.OrgFilter{Scope: rbac.Scope{"/"}})
	if err != nil || len(root) == 0 {
		return nil, fmt.Errorf("root unit: %v", err)
	}
	w := &world{srv: srv}
	paperID, err := w.paper(ctx, root[0].ID, o.items)
	if err != nil {
		return nil, err
	}
	if err := w.candidates(ctx, root[0].ID, o.candidates); err != nil {
		return nil, err
	}
	if err := w.session(ctx, root[0].ID, paperID); err != nil {
		return nil, err
	}
	_, err = srv.DB.ExecContext(ctx, "CREATE TABLE raw_upserts (k BIGINT PRIMARY KEY, v JSONB, seq BIGINT NOT NULL, at TIMESTAMPTZ NOT NULL)")
	return w, err
}

// paper writes n single-choice questions and a fixed paper of them (2 points each); each
// candidate sees the options in their own order.
func (w *world) paper(ctx context.Context, owner int64, n int) (int64, error) {
	qs := make([]*bank.Question, n)
	for i := range qs {
		qs[i] = &bank.Question{Type: bank.Single, Levels: bank.LevelsOf(5), Code: "1.1", Difficulty: 2, Score: 2, Pool: bank.PoolExam,
			Stem: fmt.Sprintf("第%d题：群众到窗口咨询办事流程时，工作人员首先应当（　　）。", i+1), OwnerOrgID: owner,
			Options: []string{"耐心倾听并确认诉求", "直接发放材料清单", "请其自行查询", "转交其他窗口"}, Answer: bank.Answer{Choice: "A"}}
	}
	if err := w.srv.Bank.CreateQuestions(ctx, 0, qs); err != nil {
		return 0, err
	}
	sv, err := w.srv.Papers.Standard(ctx)
	if err != nil {
		return 0, err
	}
	now := time.Now().UTC()
	p := &paper.Paper{Name: "压力测试卷", Level: 5, Part: "theory", StandardVersionID: sv.ID, OwnerOrgID: owner,
		Revision: 1, CreatedAt: now, UpdatedAt: now}
	for _, q := range qs {
		p.Items = append(p.Items, paper.PaperItem{QuestionID: q.ID, Points: 100 / float64(n)})
	}
	_, err = w.srv.DB.NewInsert().Model(p).Returning("id").Exec(ctx)
	return p.ID, err
}

// candidates writes n trainee accounts. Their password hash is argon2id with tiny
// parameters so that 2,000 logins during setup take seconds; logins are not measured.
func (w *world) candidates(ctx context.Context, org int64, n int) error {
	now := time.Now().UTC()
	hash := cheapHash(benchPassword)
	w.users = make([]*rbac.User, n)
	for i := range w.users {
		w.users[i] = &rbac.User{Username: fmt.Sprintf("cand%05d", i), DisplayName: fmt.Sprintf("考生%05d", i),
			PasswordHash: hash, Active: true, CreatedAt: now, UpdatedAt: now}
	}
	if _, err := w.srv.DB.NewInsert().Model(&w.users).Exec(ctx); err != nil {
		return err
	}
	grants := make([]*rbac.Grant, n)
	for i, u := range w.users {
		grants[i] = &rbac.Grant{UserID: u.ID, Role: rbac.RoleTrainee, OrgID: org, CreatedAt: now}
	}
	if _, err := w.srv.DB.NewInsert().Model(&grants).Exec(ctx); err != nil {
		return err
	}
	return w.srv.RBAC.Enforcer().Reload()
}

// session opens a 五级 theory session on the paper with every candidate placed.
func (w *world) session(ctx context.Context, org, paperID int64) error {
	now := time.Now().UTC()
	ss, err := w.srv.Sessions.CreateSession(ctx, 0, &session.Input{Name: "压力测试场次", Level: 5, OrgID: org,
		OpensAt: now.Add(-time.Minute), ClosesAt: now.Add(3 * time.Hour),
		Parts: []session.PartInput{{Kind: "theory", DurationMinutes: 120, Source: paper.Source{PaperID: paperID}}}})
	if err != nil {
		return err
	}
	rows := make([]*session.Candidate, len(w.users))
	for i, u := range w.users {
		rows[i] = &session.Candidate{SessionID: ss.ID, UserID: u.ID, AddedAt: now}
	}
	w.ss = ss
	_, err = w.srv.DB.NewInsert().Model(&rows).Exec(ctx)
	return err
}

func cheapHash(password string) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, 1, 64, 1, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=64,t=1,p=1$%s$%s", argon2.Version, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// check proves the server run did what it says: every attempt closed, and every answer
// the server acknowledged as applied is stored with that save's seq (or a later one).
func (w *world) check(ctx context.Context, t *serverTarget) error {
	closed, err := w.srv.DB.NewSelect().Model((*session.Attempt)(nil)).Where("status = ?", session.AttemptClosed).Count(ctx)
	if err != nil {
		return err
	}
	var rows []struct {
		AttemptID int64 `bun:"attempt_id"`
		Idx       int   `bun:"idx"`
		Seq       int64 `bun:"seq"`
	}
	if err := w.srv.DB.NewSelect().Model((*session.Answer)(nil)).Column("attempt_id", "idx", "seq").Scan(ctx, &rows); err != nil {
		return err
	}
	stored := make(map[[2]int64]int64, len(rows))
	for _, r := range rows {
		stored[[2]int64{r.AttemptID, int64(r.Idx)}] = r.Seq
	}
	acked, lost := 0, 0
	for i, a := range t.attempts {
		for idx, seq := range t.acked[i] {
			if seq == 0 {
				continue
			}
			acked++
			if stored[[2]int64{a, int64(idx)}] < seq {
				lost++
			}
		}
	}
	fmt.Printf("check: %d of %d attempts closed; %d answers stored; %d acknowledged answers, %d of them missing or older\n",
		closed, len(w.users), len(rows), acked, lost)
	if closed != int64(len(w.users)) || lost > 0 {
		return fmt.Errorf("check failed: %d closed attempts, %d acknowledged answers lost", closed, lost)
	}
	return nil
}
