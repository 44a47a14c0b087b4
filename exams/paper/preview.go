package paper

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"strings"

	"clerkskill/app/web"
	"clerkskill/exams/bank"
)

// Preview is what a candidate drawing with Seed would get, with the keys, for a trainer.
type Preview struct {
	Seed  int64         `json:"seed"`
	Items []PreviewItem `json:"items"`
	Total float64       `json:"total"`
	// Bands counts the questions per difficulty band: easy, medium, hard.
	Bands [3]int `json:"bands"`
	// Shortages is set instead of Items when the bank cannot fill the blueprint.
	Shortages []Shortage `json:"shortages,omitempty"`
}

// PreviewItem is one drawn question with its options in the order the candidate sees
// them and the key in those letters.
type PreviewItem struct {
	Item
	No       int            `json:"no"`
	Question *bank.Question `json:"question"`
	Shown    []ShownOption  `json:"shown_options,omitempty"`
	Key      string         `json:"key,omitempty"` // the key in the shown letters
}

// ShownOption is an option in the place a candidate sees it.
type ShownOption struct {
	Letter   string `json:"letter"`
	Text     string `json:"text"`
	Original string `json:"original"` // its letter in the bank
	Correct  bool   `json:"correct"`
}

// NewSeed returns a random seed for a fresh preview.
func NewSeed() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.BigEndian.Uint64(b[:]) >> 1)
}

// PreviewDraw draws src with seed and joins each item to its question version. A
// blueprint the bank cannot fill gives a preview that lists the shortages.
func (s *Store) PreviewDraw(ctx context.Context, src Source, seed int64) (*Preview, error) {
	items, err := s.Draw(ctx, src, seed)
	p := &Preview{Seed: seed}
	if src.BlueprintID != 0 && web.ErrorCode(err) == web.EINVALID {
		short, cerr := s.CheckFillable(ctx, src.BlueprintID)
		if cerr != nil || len(short) == 0 {
			return nil, err
		}
		p.Shortages = short
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.QuestionID
	}
	qs, err := s.bank.FindQuestionsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i, it := range items {
		pi := previewItem(it, qs[it.QuestionID])
		pi.No = i + 1
		p.Items = append(p.Items, pi)
		p.Total += it.Points
		if pi.Question != nil {
			p.Bands[band(pi.Question.Difficulty)]++
		}
	}
	return p, nil
}

func previewItem(it Item, q *bank.Question) PreviewItem {
	pi := PreviewItem{Item: it, Question: q}
	if q == nil || len(it.Perm) == 0 {
		if q != nil {
			pi.Key = q.Answer.Choice
		}
		return pi
	}
	var key strings.Builder
	for shown, orig := range it.Perm {
		if orig >= len(q.Options) {
			continue
		}
		o := ShownOption{Letter: bank.Letters[shown : shown+1], Text: q.Options[orig], Original: bank.Letters[orig : orig+1]}
		o.Correct = strings.Contains(q.Answer.Choice, o.Original)
		if o.Correct {
			key.WriteString(o.Letter)
		}
		pi.Shown = append(pi.Shown, o)
	}
	pi.Key = key.String()
	return pi
}
