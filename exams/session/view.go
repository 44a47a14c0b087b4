package session

import (
	"context"
	"time"

	"clerkskill/exams/bank"
)

// ItemView is one question as the candidate sees it: options in the order shown and the
// saved answer in the letters shown; never a key, guide, rubric or explanation.
type ItemView struct {
	Idx       int           `json:"idx"`
	Type      bank.Type     `json:"type"`
	TypeLabel string        `json:"type_label"`
	Stem      string        `json:"stem"`
	Options   []string      `json:"options,omitempty"`
	Blanks    int           `json:"blanks,omitempty"`
	Task      string        `json:"task,omitempty"`
	Points    float64       `json:"points"`
	Response  bank.Response `json:"response"`
	Flagged   bool          `json:"flagged"`
	Answered  bool          `json:"answered"`
}

// PaperView is a candidate's attempt as the exam page and API show it.
type PaperView struct {
	Attempt     *Attempt    `json:"attempt"`
	SessionName string      `json:"session_name"`
	PartLabel   string      `json:"part_label"`
	LevelName   string      `json:"level_name"`
	SecondsLeft int         `json:"seconds_left"`
	Seq         int64       `json:"seq"` // the highest save counter seen; the next save must exceed it
	Items       []*ItemView `json:"items"`
	Total       int         `json:"total"`
	Answered    int         `json:"answered"`
	Flagged     int         `json:"flagged"`
}

// Paper returns the candidate's own attempt for the page. Once closed it carries no
// questions: only the counts.
func (s *Store) Paper(ctx context.Context, attemptID, userID int64) (*PaperView, error) {
	a, err := s.FindOwnAttempt(ctx, attemptID, userID)
	if err != nil {
		return nil, err
	}
	ss, err := s.FindSessionByID(ctx, a.SessionID)
	if err != nil {
		return nil, err
	}
	items, answers, err := s.itemsAndAnswers(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, a, ss, items, answers)
}

// view is the page's paper from the attempt, its session, items and answers.
func (s *Store) view(ctx context.Context, a *Attempt, ss *Session, items []*Item, answers map[int]*Answer) (*PaperView, error) {
	v := &PaperView{Attempt: a, SessionName: ss.Name, LevelName: ss.LevelName(), SecondsLeft: a.SecondsLeft(s.now())}
	if p := ss.Part(a.PartID); p != nil {
		v.PartLabel = p.Label()
	}
	qs, err := s.questions(ctx, items)
	if err != nil {
		return nil, err
	}
	v.Total = len(items)
	for _, an := range answers {
		v.Seq = max(v.Seq, an.Seq)
	}
	for _, it := range items {
		iv := itemView(it, qs[it.QuestionID], answers[it.Idx])
		if iv.Answered {
			v.Answered++
		}
		if iv.Flagged {
			v.Flagged++
		}
		if a.Open() {
			v.Items = append(v.Items, iv)
		}
	}
	return v, nil
}

// Deadline is when the attempt closes.
func (v *PaperView) Deadline() time.Time { return v.Attempt.Deadline }

func (s *Store) itemsAndAnswers(ctx context.Context, attemptID int64) ([]*Item, map[int]*Answer, error) {
	var items []*Item
	if err := s.db.NewSelect().Model(&items).Where("attempt_id = ?", attemptID).Order("idx").Scan(ctx); err != nil {
		return nil, nil, err
	}
	var answers []*Answer
	if err := s.db.NewSelect().Model(&answers).Where("attempt_id = ?", attemptID).Scan(ctx); err != nil {
		return nil, nil, err
	}
	byIdx := map[int]*Answer{}
	for _, a := range answers {
		byIdx[a.Idx] = a
	}
	return items, byIdx, nil
}

// questions returns the question versions of items, from the cache where it can.
func (s *Store) questions(ctx context.Context, items []*Item) (map[int64]*bank.Question, error) {
	out := make(map[int64]*bank.Question, len(items))
	var missing []int64
	for _, it := range items {
		if q, ok := s.shown.get(it.QuestionID); ok {
			out[it.QuestionID] = q
		} else {
			missing = append(missing, it.QuestionID)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	loaded, err := s.bank.FindQuestionsByIDs(ctx, missing)
	if err != nil {
		return nil, err
	}
	for id, q := range loaded {
		s.shown.put(id, q)
		out[id] = q
	}
	return out, nil
}

func itemView(it *Item, q *bank.Question, a *Answer) *ItemView {
	iv := &ItemView{Idx: it.Idx, Points: it.Points}
	if q != nil {
		iv.Type, iv.TypeLabel, iv.Stem, iv.Task = q.Type, q.Type.Label(), q.Stem, q.Task
		iv.Options = shownOptions(q.Options, it.Perm)
		if q.Type == bank.Fill {
			iv.Blanks = max(len(q.Answer.Blanks), bank.BlankCount(q.Stem))
		}
	}
	if a != nil {
		iv.Response, iv.Flagged = toShown(a.Response, it.Perm), a.Flagged
		iv.Answered = answered(a.Response)
	}
	return iv
}

func shownOptions(opts []string, perm []int) []string {
	if len(perm) != len(opts) {
		return opts
	}
	out := make([]string, len(opts))
	for i, p := range perm {
		out[i] = opts[p]
	}
	return out
}

func answered(r bank.Response) bool {
	if r.Choice != "" || r.Judge != nil || r.Text != "" {
		return true
	}
	for _, b := range r.Blanks {
		if b != "" {
			return true
		}
	}
	return false
}

// Letter is the option letter of place i.
func (iv *ItemView) Letter(i int) string { return bank.Letters[i : i+1] }

// Chosen reports whether the letter shown at place i is part of the saved choice.
func (iv *ItemView) Chosen(i int) bool {
	for _, c := range iv.Response.Choice {
		if byte(c) == bank.Letters[i] {
			return true
		}
	}
	return false
}

// Blank returns the saved text of blank i.
func (iv *ItemView) Blank(i int) string {
	if i < len(iv.Response.Blanks) {
		return iv.Response.Blanks[i]
	}
	return ""
}

// JudgeIs reports whether the saved judgement equals v.
func (iv *ItemView) JudgeIs(v bool) bool { return iv.Response.Judge != nil && *iv.Response.Judge == v }

// IsChoice and the like let templates branch on the type.
func (iv *ItemView) IsChoice() bool   { return iv.Type == bank.Single || iv.Type == bank.Multiple }
func (iv *ItemView) IsMultiple() bool { return iv.Type == bank.Multiple }
func (iv *ItemView) IsJudge() bool    { return iv.Type == bank.Judge }
func (iv *ItemView) IsFill() bool     { return iv.Type == bank.Fill }
func (iv *ItemView) IsText() bool     { return iv.Type == bank.Short || iv.Type == bank.Practical }
