package marking

import (
	"context"

	"github.com/uptrace/bun"

	"clerkskill/exams/bank"
)

// Analysis is the item analysis of a session.
type Analysis struct {
	Session *SessionRow `json:"session"`
	Items   []*ItemStat `json:"items"`
	Flagged int         `json:"flagged"`
}

// FindAnalysis computes the item analysis of a session from its settled marks.
func (s *Store) FindAnalysis(ctx context.Context, sess *SessionRow) (*Analysis, error) {
	d := analysisData{partOf: map[int64]string{}, totals: map[int64]float64{}}
	err := s.db.NewSelect().Model(&d.marks).Where("session_id = ?", sess.ID).Scan(ctx)
	if err != nil {
		return nil, err
	}
	var results []*PartResult
	if err := s.db.NewSelect().Model(&results).Column("attempt_id", "part", "score").Where("session_id = ?", sess.ID).Scan(ctx); err != nil {
		return nil, err
	}
	for _, r := range results {
		d.partOf[r.AttemptID], d.totals[r.AttemptID] = r.Part, r.Score
	}
	if d.questions, err = questionsOf(ctx, s.db, d.marks); err != nil {
		return nil, err
	}
	out := &Analysis{Session: sess, Items: analyse(d)}
	names, err := orgNames(ctx, s.db, d.questions)
	for _, it := range out.Items {
		it.OwnerName = names[it.OwnerOrgID]
		if len(it.Flags) > 0 {
			out.Flagged++
		}
	}
	return out, err
}

func questionsOf(ctx context.Context, tx bun.IDB, marks []*ItemMark) (map[int64]*bank.Question, error) {
	seen := map[int64]bool{}
	var ids []int64
	for _, m := range marks {
		if !seen[m.QuestionID] {
			seen[m.QuestionID] = true
			ids = append(ids, m.QuestionID)
		}
	}
	return loadQuestions(ctx, tx, ids)
}

func orgNames(ctx context.Context, tx bun.IDB, qs map[int64]*bank.Question) (map[int64]string, error) {
	out := map[int64]string{}
	var ids []int64
	for _, q := range qs {
		ids = append(ids, q.OwnerOrgID)
	}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
	}
	err := tx.NewSelect().Table("org_units").Column("id", "name").Where("id IN (?)", bun.In(ids)).Scan(ctx, &rows)
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, err
}
