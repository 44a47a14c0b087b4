package session

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/exams/bank"
	"clerkskill/exams/paper"
	"clerkskill/rbac"
)

// DemoSession is one session of the demo dataset. Finished sessions get a submitted
// attempt from every candidate, answered as clerks of mixed ability would.
type DemoSession struct {
	Input      Input
	Candidates CandidateInput
	Staff      []StaffInput
	Finished   bool
	// Strength, when set, is the chance a candidate answers a question of a tree code
	// rightly, so demo results can differ by branch; otherwise each attempt has one ability.
	Strength func(userID int64, code string) float64
}

// SeedDemo schedules the demo sessions, by actor, with the whole tree in scope.
func (s *Store) SeedDemo(ctx context.Context, actor int64, list []DemoSession) (finished []int64, err error) {
	all := rbac.Scope{"/"}
	for i := range list {
		d := &list[i]
		ss, err := s.CreateSession(ctx, actor, &d.Input)
		if err != nil {
			return nil, fmt.Errorf("demo session %s: %w", d.Input.Name, err)
		}
		if _, err := s.AddCandidates(ctx, ss.ID, all, d.Candidates); err != nil {
			return nil, fmt.Errorf("demo candidates: %w", err)
		}
		for _, m := range d.Staff {
			if err := s.AddStaff(ctx, ss.ID, all, m); err != nil {
				return nil, fmt.Errorf("demo staff %s: %w", m.Username, err)
			}
		}
		if d.Finished {
			if err := s.seedFinished(ctx, ss, d.Strength); err != nil {
				return nil, err
			}
			finished = append(finished, ss.ID)
		}
	}
	return finished, nil
}

// seedFinished gives every candidate of a past session a closed attempt at each part.
func (s *Store) seedFinished(ctx context.Context, ss *Session, strength func(int64, string) float64) error {
	cands, err := s.FindCandidates(ctx, ss.ID)
	if err != nil {
		return err
	}
	for _, p := range ss.Parts {
		for i, c := range cands {
			rng := rand.New(rand.NewPCG(uint64(c.UserID), uint64(p.ID)))
			if err := s.seedAttempt(ctx, ss, p, c.UserID, i, rng, strength); err != nil {
				return fmt.Errorf("demo attempt of user %d: %w", c.UserID, err)
			}
		}
	}
	return nil
}

func (s *Store) seedAttempt(ctx context.Context, ss *Session, p *Part, userID int64, i int, rng *rand.Rand, strength func(int64, string) float64) error {
	seed := rng.Int64()
	items, err := s.draw(ctx, p, seed)
	if err != nil {
		return err
	}
	qs, err := s.bank.FindQuestionsByIDs(ctx, questionIDs(items))
	if err != nil {
		return err
	}
	start := ss.OpensAt.Add(time.Duration(i*13) * time.Second)
	a := &Attempt{SessionID: ss.ID, PartID: p.ID, UserID: userID, Seed: seed, Status: AttemptClosed, StartedAt: start,
		Deadline: minTime(start.Add(minutes(p.DurationMinutes)), ss.ClosesAt), ClosedBy: ClosedByCandidate}
	done := start.Add(time.Duration(40+rng.IntN(45)) * time.Minute)
	if !done.Before(a.Deadline) {
		done, a.ClosedBy = a.Deadline, ClosedByDeadline
	}
	a.SubmittedAt = &done
	ability := 0.5 + rng.Float64()*0.45
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(a).Exec(ctx); err != nil {
			return err
		}
		if _, err := insertItems(ctx, tx, a.ID, items, nil); err != nil {
			return err
		}
		var answers []*Answer
		for idx, it := range items {
			q, chance := qs[it.QuestionID], ability
			if strength != nil && q != nil {
				chance = strength(userID, q.Code)
			}
			if r, ok := demoResponse(q, chance, rng); ok {
				answers = append(answers, &Answer{AttemptID: a.ID, Idx: idx, Response: r, Seq: int64(idx + 1), SavedAt: start.Add(time.Duration(idx+1) * time.Minute)})
			}
		}
		if len(answers) == 0 {
			return nil
		}
		_, err := tx.NewInsert().Model(&answers).Exec(ctx)
		return err
	})
}

func questionIDs(items []paper.Item) []int64 {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.QuestionID
	}
	return ids
}

// demoResponse answers q rightly with probability ability, otherwise plausibly wrongly;
// now and then a question is left blank. Responses are in the question's own letters.
func demoResponse(q *bank.Question, ability float64, rng *rand.Rand) (bank.Response, bool) {
	if q == nil || rng.Float64() < 0.03 {
		return bank.Response{}, false
	}
	right := rng.Float64() < ability
	switch q.Type {
	case bank.Single, bank.Multiple:
		if right || len(q.Options) < 2 {
			return bank.Response{Choice: q.Answer.Choice}, true
		}
		return bank.Response{Choice: wrongChoice(q, rng)}, true
	case bank.Judge:
		v := q.Answer.Judge != nil && *q.Answer.Judge == right
		return bank.Response{Judge: &v}, true
	case bank.Fill:
		return bank.Response{Blanks: demoBlanks(q, right)}, true
	}
	return bank.Response{Text: demoText(right)}, true
}

func wrongChoice(q *bank.Question, rng *rand.Rand) string {
	for {
		j := rng.IntN(len(q.Options))
		if l := bank.Letters[j : j+1]; l != q.Answer.Choice {
			return l
		}
	}
}

func demoBlanks(q *bank.Question, right bool) []string {
	out := make([]string, len(q.Answer.Blanks))
	for i, accepted := range q.Answer.Blanks {
		if right && len(accepted) > 0 {
			out[i] = accepted[0]
		} else {
			out[i] = "按规定办理"
		}
	}
	return out
}

func demoText(good bool) string {
	if good {
		return "首先核对申请人身份和申请材料，对照办事指南逐项检查；材料齐全的当场受理并出具受理凭证，材料不全的一次性告知需要补正的全部内容，并做好登记，按时限推送承办部门。"
	}
	return "按照窗口工作要求办理，做好解释说明。"
}

// DemoSessions is the demo's exam day: an online 五级 theory session open to every clerk
// of the county for two weeks, and a finished one at a township centre two weeks ago,
// both drawn from blueprint. Times follow now.
func DemoSessions(countyID, townID, blueprint int64, now time.Time) []DemoSession {
	theory := []PartInput{{Kind: "theory", DurationMinutes: 90, Source: paper.Source{BlueprintID: blueprint}}}
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local)
	past := day.AddDate(0, 0, -14).Add(9 * time.Hour)
	staff := func(room string) []StaffInput {
		return []StaffInput{{Username: "trainer", Role: RoleInvigilator, Room: room}, {Username: "trainer", Role: RoleAssessor}}
	}
	return []DemoSession{
		{Input: Input{Name: "青山县2026年第四季度综窗人员五级（初级工）理论知识线上考试", Level: 5, OrgID: countyID,
			OpensAt: now.Add(-time.Hour), ClosesAt: day.AddDate(0, 0, 15), Rooms: []string{"线上考场（窗口期内任选时间作答）"}, Parts: theory},
			Candidates: CandidateInput{OrgIDs: []int64{countyID}, Room: "线上考场（窗口期内任选时间作答）"}, Staff: staff("线上考场（窗口期内任选时间作答）")},
		{Input: Input{Name: "城关镇便民服务中心2026年第三季度五级理论知识考试", Level: 5, OrgID: townID,
			OpensAt: past, ClosesAt: past.Add(2 * time.Hour), Rooms: []string{"城关镇便民服务中心二楼会议室"}, Parts: theory},
			Candidates: CandidateInput{OrgIDs: []int64{townID}, Room: "城关镇便民服务中心二楼会议室"}, Staff: staff("城关镇便民服务中心二楼会议室"), Finished: true},
	}
}
