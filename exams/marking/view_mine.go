package marking

import (
	"context"
	"time"

	"clerkskill/exams/bank"
)

// MyItem is one item of a candidate's own released result: its score, never its key.
type MyItem struct {
	AttemptID int64          `json:"attempt_id"`
	Idx       int            `json:"idx"`
	Type      bank.Type      `json:"type"`
	Code      string         `json:"code"`
	Points    float64        `json:"points"`
	Score     *float64       `json:"score"`
	Review    *ReviewRequest `json:"review,omitempty"`
}

// No is the item's number on the paper, from 1.
func (m MyItem) No() int { return m.Idx + 1 }

// MyPart is one part of a candidate's own result with its items.
type MyPart struct {
	Result *PartResult `json:"result"`
	Items  []MyItem    `json:"items"`
}

// MySession is a candidate's own session. Until the results are released it carries no
// scores at all: Parts is empty.
type MySession struct {
	Session     *examSession `json:"session"`
	Released    bool         `json:"released"`
	ReleasedAt  *time.Time   `json:"released_at,omitempty"`
	ReviewUntil *time.Time   `json:"review_until,omitempty"`
	CanReview   bool         `json:"can_review"`
	Parts       []MyPart     `json:"parts"`
}

// FindMyResults lists the sessions in which the candidate has a marked attempt, newest
// first, with scores only where the results are released.
func (s *Store) FindMyResults(ctx context.Context, userID int64) ([]*MySession, error) {
	var ids []int64
	err := s.db.NewSelect().Model((*PartResult)(nil)).Distinct().Column("session_id").
		Where("user_id = ?", userID).Order("session_id").Scan(ctx, &ids)
	if err != nil {
		return nil, err
	}
	out := []*MySession{}
	for i := len(ids) - 1; i >= 0; i-- {
		ms, err := s.mySession(ctx, userID, ids[i])
		if err != nil {
			return nil, err
		}
		out = append(out, ms)
	}
	return out, nil
}

func (s *Store) mySession(ctx context.Context, userID, sessionID int64) (*MySession, error) {
	sess, err := findSession(ctx, s.db, sessionID)
	if err != nil {
		return nil, err
	}
	ms := &MySession{Session: sess, Parts: []MyPart{}}
	released, at, err := s.releaseOf(ctx, s.db, sess)
	if err != nil || !released {
		return ms, err
	}
	set, err := findSettings(ctx, s.db, sessionID)
	if err != nil {
		return nil, err
	}
	until := reviewDeadline(at, set)
	ms.Released, ms.ReleasedAt, ms.ReviewUntil, ms.CanReview = true, &at, &until, !s.now().After(until)
	return ms, s.fillMyParts(ctx, userID, ms)
}

func (s *Store) fillMyParts(ctx context.Context, userID int64, ms *MySession) error {
	var results []*PartResult
	err := s.db.NewSelect().Model(&results).Where("session_id = ? AND user_id = ?", ms.Session.ID, userID).
		Order("attempt_id").Scan(ctx)
	if err != nil {
		return err
	}
	reviews := []*ReviewRequest{}
	if err := s.db.NewSelect().Model(&reviews).Where("session_id = ? AND user_id = ?", ms.Session.ID, userID).Scan(ctx); err != nil {
		return err
	}
	for _, r := range results {
		var marks []*ItemMark
		if err := s.db.NewSelect().Model(&marks).Where("attempt_id = ?", r.AttemptID).Order("idx").Scan(ctx); err != nil {
			return err
		}
		p := MyPart{Result: r, Items: []MyItem{}}
		for _, m := range marks {
			it := MyItem{AttemptID: m.AttemptID, Idx: m.Idx, Type: m.Type, Code: m.Code, Points: m.Points, Score: m.Score}
			for _, rv := range reviews {
				if rv.AttemptID == m.AttemptID && rv.Idx == m.Idx {
					it.Review = rv
				}
			}
			p.Items = append(p.Items, it)
		}
		ms.Parts = append(ms.Parts, p)
	}
	return nil
}
