package marking_test

import (
	"context"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/exams/bank"
	"clerkskill/exams/marking"
	"clerkskill/exams/marking/marktest"
	"clerkskill/rbac"
)

// Markers that must never reach a candidate.
const (
	guideMarker = "评分要点标记M4Z"
	rubrMarker  = "评分细则标记N7Q"
)

// qset is one question of each type, written through the bank store at 五级.
type qset struct {
	single, multiple, judge, fill, short, practical *bank.Question
}

// fixture is a wired server over a fresh database with questions and three assessors
// (trainer, kaoping2, kaoping3, all trainers at the county centre).
type fixture struct {
	t      *testing.T
	env    *apptest.Env
	store  *marking.Store
	q      qset
	county int64
}

func newFixture(t *testing.T, dialect string) *fixture {
	t.Helper()
	env := apptest.New(t, dialect)
	f := &fixture{t: t, env: env, store: env.Srv.Marking}
	county, err := env.Srv.RBAC.FindOrgByCode(context.Background(), "QS")
	if err != nil {
		t.Fatal(err)
	}
	f.county = county.ID
	f.seedQuestions()
	f.trainerAccount("kaoping2", "周立新")
	f.trainerAccount("kaoping3", "韩雪梅")
	return f
}

func (f *fixture) seedQuestions() {
	yes := true
	f.q = qset{
		single: &bank.Question{Type: bank.Single, Levels: bank.LevelsOf(5), Code: "1.1", Difficulty: 2, Score: 2,
			Stem: "群众咨询社保转移时，窗口人员首先应当（　　）。", Options: []string{"直接让其去人社局", "问清转出地和转入地", "请其自行网上办理", "告知无法办理"},
			Answer: bank.Answer{Choice: "B"}, Pool: bank.PoolExam},
		multiple: &bank.Question{Type: bank.Multiple, Levels: bank.LevelsOf(5), Code: "2.2", Difficulty: 3, Score: 4, Partial: bank.PartialProportional,
			Stem: "初审营业执照申请材料时应核对的有（　　）。", Options: []string{"申请书签字", "申请人籍贯", "住所证明", "身份证明"},
			Answer: bank.Answer{Choice: "ACD"}, Pool: bank.PoolExam},
		judge: &bank.Question{Type: bank.Judge, Levels: bank.LevelsOf(5), Code: "0.1", Difficulty: 1, Score: 1,
			Stem: "窗口人员可以向他人透露申请人的联系电话。", Answer: bank.Answer{Judge: &yes}, Pool: bank.PoolExam},
		fill: &bank.Question{Type: bank.Fill, Levels: bank.LevelsOf(5), Code: "2.2", Difficulty: 2, Score: 2,
			Stem: "材料不齐全的，应当（　　）告知，并出具（　　）。", Answer: bank.Answer{Blanks: [][]string{{"一次性"}, {"补正通知书", "补正材料通知书"}}}, Pool: bank.PoolExam},
		short: &bank.Question{Type: bank.Short, Levels: bank.LevelsOf(5), Code: "3.1", Difficulty: 3, Score: 10,
			Stem: "简述并联审批事项推送流转的基本要求。", Answer: bank.Answer{Guide: guideMarker + "：推送及时、信息完整、时限明确、全程留痕。"}, Pool: bank.PoolExam},
		practical: &bank.Question{Type: bank.Practical, Levels: bank.LevelsOf(5), Code: "4.2", Difficulty: 3, Score: 10,
			Stem: "模拟窗口：向申请人送达不动产权证书。", Task: "核验申请人身份，送达证书并请其签收登记。",
			Rubric: []bank.Criterion{{Criterion: rubrMarker + "核验身份", Points: 4}, {Criterion: "送达签收留档", Points: 6}}, Pool: bank.PoolExam},
	}
	all := []*bank.Question{f.q.single, f.q.multiple, f.q.judge, f.q.fill, f.q.short, f.q.practical}
	for _, q := range all {
		q.OwnerOrgID = 4
	}
	if err := f.env.Srv.Bank.CreateQuestions(context.Background(), 0, all); err != nil {
		f.t.Fatalf("create questions: %v", err)
	}
}

func (f *fixture) trainerAccount(username, name string) {
	ctx := context.Background()
	u := &rbac.User{Username: username, DisplayName: name}
	if err := f.env.Srv.RBAC.CreateUser(ctx, 0, u, rbac.DemoPassword); err != nil {
		f.t.Fatal(err)
	}
	if err := f.env.Srv.RBAC.AddGrant(ctx, 0, &rbac.Grant{UserID: u.ID, Role: rbac.RoleTrainer, OrgID: f.county}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) user(username string) int64 {
	f.t.Helper()
	u, err := f.env.Srv.RBAC.FindUserByUsername(context.Background(), username)
	if err != nil {
		f.t.Fatal(err)
	}
	return u.ID
}

// session inserts a closed session at the county centre with the given parts, assessed
// by trainer, kaoping2 and kaoping3; results are held unless open is set.
func (f *fixture) session(open bool, parts ...string) (int64, map[string]int64) {
	f.t.Helper()
	now := f.env.Now.Now()
	spec := marktest.Session{Name: "青山县综窗人员五级考核（第一场）", Level: 5, OrgID: f.county, ResultsHeld: !open,
		OpensAt: now.Add(-3 * time.Hour), ClosesAt: now.Add(-time.Hour), Parts: parts,
		Assessors: []int64{f.user("trainer"), f.user("kaoping2"), f.user("kaoping3")}}
	id, ps, err := marktest.NewSession(context.Background(), f.env.Srv.DB, spec)
	if err != nil {
		f.t.Fatal(err)
	}
	return id, ps
}

// attempt inserts a closed attempt and marks it.
func (f *fixture) attempt(sessionID, partID int64, username string, items ...marktest.Item) int64 {
	f.t.Helper()
	ctx := context.Background()
	id, err := marktest.NewAttempt(ctx, f.env.Srv.DB, sessionID, partID, f.user(username), "closed", items)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.store.MarkAttempt(ctx, id); err != nil {
		f.t.Fatalf("mark attempt %d: %v", id, err)
	}
	return id
}

func (f *fixture) marks(attemptID int64) []*marking.ItemMark {
	f.t.Helper()
	var out []*marking.ItemMark
	if err := f.env.Srv.DB.NewSelect().Model(&out).Where("attempt_id = ?", attemptID).Order("idx").Scan(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return out
}

func (f *fixture) result(attemptID int64) *marking.PartResult {
	f.t.Helper()
	r := &marking.PartResult{}
	if err := f.env.Srv.DB.NewSelect().Model(r).Where("attempt_id = ?", attemptID).Scan(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return r
}

func (f *fixture) audit(attemptID int64) []*marking.AuditEntry {
	f.t.Helper()
	var out []*marking.AuditEntry
	if err := f.env.Srv.DB.NewSelect().Model(&out).Where("attempt_id = ?", attemptID).Order("id").Scan(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return out
}

func (f *fixture) mark(username string, sessionID int64, in marking.MarkInput) *marking.ItemMark {
	f.t.Helper()
	m, err := f.store.SaveMark(context.Background(), f.user(username), sessionID, in)
	if err != nil {
		f.t.Fatalf("%s marks attempt %d item %d: %v", username, in.AttemptID, in.Idx, err)
	}
	return m
}

func resp(choice string) *bank.Response { return &bank.Response{Choice: choice} }

func judged(v bool) *bank.Response { return &bank.Response{Judge: &v} }

func text(s string) *bank.Response { return &bank.Response{Text: s} }

func num(v float64) *float64 { return &v }

func score(m *marking.ItemMark) float64 {
	if m.Score == nil {
		return -1
	}
	return *m.Score
}
