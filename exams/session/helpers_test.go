package session_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/apptest"
	"clerkskill/exams/bank"
	"clerkskill/exams/paper"
	"clerkskill/exams/session"
)

// Markers that must never reach a candidate: any of them in a response is a leak.
const (
	explMarker  = "解析标记E5V"
	guideMarker = "评分要点标记G8W"
	rubrMarker  = "评分细则标记R2T"
	keyMarker   = "正确选项标记K4Q" // the text of the right option is fine; this marks a fill key
)

// paperSet is the questions every exam test draws, in paper order.
type paperSet struct {
	single, multiple, judge, fill, short, practical *bank.Question
	all                                             []*bank.Question
}

// seedPaper writes, through the bank store, one exam question of each type.
func seedPaper(t *testing.T, env *apptest.Env) *paperSet {
	t.Helper()
	const owner = 4 // 城关镇便民服务中心
	p := &paperSet{
		single: &bank.Question{Type: bank.Single, Levels: bank.LevelsOf(5), Code: "1.1", Difficulty: 2, Stem: "群众来窗口咨询时，工作人员首先应当（　　）。",
			Options: []string{"耐心倾听并确认诉求", "直接发放材料清单", "请其到自助区查询"}, Answer: bank.Answer{Choice: "A"}, Score: 2,
			Explanation: explMarker + "：先听清诉求。", Pool: bank.PoolExam},
		multiple: &bank.Question{Type: bank.Multiple, Levels: bank.LevelsOf(5), Code: "3.1", Difficulty: 3, Stem: "推送流转前应当核对的信息有（　　）。",
			Options: []string{"承办部门", "办理时限", "申请人籍贯"}, Answer: bank.Answer{Choice: "AB"}, Score: 2, Partial: bank.PartialHalf,
			Explanation: explMarker, Pool: bank.PoolExam},
		judge: &bank.Question{Type: bank.Judge, Levels: bank.LevelsOf(5), Code: "2.1", Difficulty: 1, Stem: "收取申请材料时应当场核对材料份数。",
			Answer: bank.Answer{Judge: new(true)}, Score: 1, Explanation: explMarker, Pool: bank.PoolExam},
		fill: &bank.Question{Type: bank.Fill, Levels: bank.LevelsOf(5), Code: "2.2", Difficulty: 2, Stem: "材料不齐全的，应当（　　）告知需要补正的全部内容。",
			Answer: bank.Answer{Blanks: [][]string{{keyMarker}}}, Score: 2, Explanation: explMarker, Pool: bank.PoolExam},
		short: &bank.Question{Type: bank.Short, Levels: bank.LevelsOf(5), Code: "0.1", Difficulty: 2, Stem: "简述窗口服务中“首问负责”的含义。",
			Answer: bank.Answer{Guide: guideMarker + "：第一位接待者负责到底。"}, Score: 10, Explanation: explMarker, Pool: bank.PoolExam},
		practical: &bank.Question{Type: bank.Practical, Levels: bank.LevelsOf(5), Code: "4.2", Difficulty: 3, Stem: "模拟窗口：向申请人送达营业执照。",
			Task: "核验身份后送达证照并请其签收。", Rubric: []bank.Criterion{{Criterion: rubrMarker + "核验身份", Points: 4}, {Criterion: "签收留档", Points: 6}},
			Score: 10, Pool: bank.PoolExam},
	}
	p.all = []*bank.Question{p.single, p.multiple, p.judge, p.fill, p.short, p.practical}
	for _, q := range p.all {
		q.OwnerOrgID = owner
	}
	if err := env.Srv.Bank.CreateQuestions(context.Background(), 0, p.all); err != nil {
		t.Fatalf("create questions: %v", err)
	}
	return p
}

// fixedDrawer hands every candidate the same real bank questions, with the options of the
// choice questions shown in a fixed shuffled order. It is test code, not a database mock.
type fixedDrawer struct{ items []paper.Item }

func (d *fixedDrawer) Draw(context.Context, paper.Source, int64) ([]paper.Item, error) {
	return append([]paper.Item(nil), d.items...), nil
}

// drawerFor shows the single choice as C, A, B (perm [2 0 1]) and the multiple as B, C, A.
func drawerFor(p *paperSet) *fixedDrawer {
	perms := map[*bank.Question][]int{p.single: {2, 0, 1}, p.multiple: {1, 2, 0}}
	d := &fixedDrawer{}
	for _, q := range p.all {
		d.items = append(d.items, paper.Item{QuestionID: q.ID, Points: float64(q.Score), Perm: perms[q]})
	}
	return d
}

// recMarker records the attempts it was asked to mark; fail makes it refuse.
type recMarker struct {
	mu   sync.Mutex
	ids  []int64
	fail bool
}

func (m *recMarker) MarkAttemptTx(ctx context.Context, tx bun.IDB, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail { // fail as a database error would, which on PostgreSQL aborts the transaction
		_, err := tx.ExecContext(ctx, "SELECT no_such_column FROM attempts")
		return err
	}
	m.ids = append(m.ids, id)
	return nil
}

func (m *recMarker) marked() []int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]int64(nil), m.ids...)
}

// examEnv is a wired server with the paper, a drawer, a marker and one open session.
type examEnv struct {
	*apptest.Env
	paper   *paperSet
	marker  *recMarker
	session *session.Session
	store   *session.Store
}

// newExam starts a server with a 五级 session owned by 城关镇 that opened a minute ago and
// closes after window; its theory part lasts duration. clerk062 and clerk063 sit it and
// trainer invigilates.
func newExam(t *testing.T, dialect string, window time.Duration, duration int) *examEnv {
	t.Helper()
	env := apptest.New(t, dialect)
	e := &examEnv{Env: env, paper: seedPaper(t, env), marker: &recMarker{}, store: env.Srv.Sessions}
	e.store.SetDrawer(drawerFor(e.paper))
	e.store.SetMarker(e.marker)
	e.session = e.mustSession(t, "城关镇2026年第四季度五级理论考试", env.Now.Now().Add(-time.Minute), window, duration)
	return e
}

func (e *examEnv) mustSession(t *testing.T, name string, opens time.Time, window time.Duration, duration int) *session.Session {
	t.Helper()
	ctx := context.Background()
	ss, err := e.store.CreateSession(ctx, e.uid(t, "trainer"), &session.Input{Name: name, Level: 5, OrgID: 4,
		OpensAt: opens, ClosesAt: opens.Add(window), Rooms: []string{"第一考场"},
		Parts: []session.PartInput{{Kind: "theory", DurationMinutes: duration, Source: paper.Source{BlueprintID: 1}}}})
	if err != nil {
		t.Fatalf("create session: %v", err)
	}
	scope := []string{"/"}
	if _, err := e.store.AddCandidates(ctx, ss.ID, scope, session.CandidateInput{Usernames: []string{"clerk062", "clerk063"}, Room: "第一考场"}); err != nil {
		t.Fatalf("add candidates: %v", err)
	}
	if err := e.store.AddStaff(ctx, ss.ID, scope, session.StaffInput{Username: "trainer", Role: session.RoleInvigilator, Room: "第一考场"}); err != nil {
		t.Fatalf("add staff: %v", err)
	}
	return ss
}

func (e *examEnv) uid(t *testing.T, username string) int64 {
	t.Helper()
	u, err := e.Srv.RBAC.FindUserByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// start starts username's attempt at the session's only part from login session key.
func (e *examEnv) start(t *testing.T, username, key string) *session.Attempt {
	t.Helper()
	a, err := e.store.StartAttempt(context.Background(), e.session.ID, e.session.Parts[0].ID, e.uid(t, username), key)
	if err != nil {
		t.Fatalf("start %s: %v", username, err)
	}
	return a
}
