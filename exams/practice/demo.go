package practice

import (
	"context"
	"strings"

	"clerkskill/exams/bank"
)

// demoAnswers is how many questions each demo clerk has practised.
const demoAnswers = 12

// SeedDemo gives each of users some practice history at 五级 and a few notebook entries,
// from whatever practice-pool questions the bank holds, by going through the same steps a
// clerk takes: every third answer is wrong, hand-marked ones are self-marked in turn.
// Users who have practised already are left alone, so seeding twice changes nothing.
func (s *Store) SeedDemo(ctx context.Context, users []int64) error {
	for i, uid := range users {
		done, err := s.db.NewSelect().Model((*Answer)(nil)).Where("user_id = ?", uid).Exists(ctx)
		if err != nil {
			return err
		}
		if !done {
			if err := s.seedUser(ctx, uid, i); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Store) seedUser(ctx context.Context, uid int64, offset int) error {
	for i := range demoAnswers {
		sv, err := s.Next(ctx, uid, Choice{Level: DefaultLevel, Mode: ModeNormal})
		if err != nil || sv.Question == nil {
			return err
		}
		q, err := s.bank.FindQuestionByID(ctx, sv.Question.ID)
		if err != nil {
			return err
		}
		right := (i+offset)%3 != 0
		if _, err := s.SubmitAnswer(ctx, uid, sv.Token, demoResponse(q, right)); err != nil {
			return err
		}
		if !q.Type.Objective() {
			if _, err := s.SelfMark(ctx, uid, sv.Token, right); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoResponse answers q rightly or wrongly.
func demoResponse(q *bank.Question, right bool) bank.Response {
	switch q.Type {
	case bank.Single, bank.Multiple:
		if right {
			return bank.Response{Choice: q.Answer.Choice}
		}
		return bank.Response{Choice: wrongLetter(q)}
	case bank.Judge:
		v := q.Answer.Judge != nil && *q.Answer.Judge == right
		return bank.Response{Judge: &v}
	case bank.Fill:
		blanks := make([]string, len(q.Answer.Blanks))
		for i, acc := range q.Answer.Blanks {
			blanks[i] = "不清楚"
			if right && len(acc) > 0 {
				blanks[i] = acc[0]
			}
		}
		return bank.Response{Blanks: blanks}
	}
	if right {
		return bank.Response{Text: "按评分要点逐条作答。"}
	}
	return bank.Response{Text: "记不清了。"}
}

func wrongLetter(q *bank.Question) string {
	for i := range q.Options {
		if l := bank.Letters[i : i+1]; !strings.Contains(q.Answer.Choice, l) {
			return l
		}
	}
	return ""
}
