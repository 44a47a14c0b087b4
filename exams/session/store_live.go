package session

import (
	"context"
	"time"
)

// LiveRow is one candidate's part as the invigilator sees it.
type LiveRow struct {
	UserID       int64    `json:"user_id"`
	Name         string   `json:"name"`
	Username     string   `json:"username"`
	Room         string   `json:"room"`
	PartID       int64    `json:"part_id"`
	PartLabel    string   `json:"part_label"`
	AttemptID    int64    `json:"attempt_id,omitempty"`
	State        string   `json:"state"` // 未开始, 作答中, 已交卷, 到时收卷
	Answered     int      `json:"answered"`
	Total        int      `json:"total"`
	SecondsLeft  int      `json:"seconds_left"`
	ExtraMinutes int      `json:"extra_minutes"`
	Warnings     int      `json:"warnings"`
	Recent       []string `json:"recent,omitempty"` // the latest warnings, newest first
}

// Live returns every candidate's progress per part, for the invigilator's view.
func (s *Store) Live(ctx context.Context, ss *Session) ([]*LiveRow, error) {
	cands, err := s.FindCandidates(ctx, ss.ID)
	if err != nil {
		return nil, err
	}
	var atts []*Attempt
	if err := s.db.NewSelect().Model(&atts).Where("session_id = ?", ss.ID).Scan(ctx); err != nil {
		return nil, err
	}
	byKey := map[[2]int64]*Attempt{}
	for _, a := range atts {
		byKey[[2]int64{a.UserID, a.PartID}] = a
	}
	totals, answered, err := s.progress(ctx, ss.ID)
	if err != nil {
		return nil, err
	}
	events, err := s.warnings(ctx, ss.ID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var rows []*LiveRow
	for _, c := range cands {
		for _, p := range ss.Parts {
			r := &LiveRow{UserID: c.UserID, Name: c.Name, Username: c.Username, Room: c.Room, PartID: p.ID, PartLabel: p.Label(), State: "未开始"}
			if a := byKey[[2]int64{c.UserID, p.ID}]; a != nil {
				r.AttemptID, r.State, r.SecondsLeft, r.ExtraMinutes = a.ID, attemptState(a), a.SecondsLeft(now), a.ExtraMinutes
				r.Total, r.Answered = totals[a.ID], answered[a.ID]
				r.Warnings, r.Recent = len(events[a.ID]), firstN(events[a.ID], 3)
			}
			rows = append(rows, r)
		}
	}
	return rows, nil
}

func attemptState(a *Attempt) string {
	switch {
	case a.Open():
		return "作答中"
	case a.ClosedBy == ClosedByDeadline:
		return "到时收卷"
	}
	return "已交卷"
}

func firstN(list []string, n int) []string {
	if len(list) > n {
		return list[:n]
	}
	return list
}

type countRow struct {
	AttemptID int64 `bun:"attempt_id"`
	N         int   `bun:"n"`
}

// progress counts, per attempt of the session, its items and its answered items.
func (s *Store) progress(ctx context.Context, sessionID int64) (map[int64]int, map[int64]int, error) {
	inSession := s.db.NewSelect().Model((*Attempt)(nil)).Column("id").Where("session_id = ?", sessionID)
	var totals, answered []countRow
	err := s.db.NewSelect().Model((*Item)(nil)).ColumnExpr("attempt_id, COUNT(*) AS n").
		Where("attempt_id IN (?)", inSession).Group("attempt_id").Scan(ctx, &totals)
	if err != nil {
		return nil, nil, err
	}
	err = s.db.NewSelect().Model((*Answer)(nil)).ColumnExpr("attempt_id, COUNT(*) AS n").
		Where("attempt_id IN (?)", inSession).Where("CAST(response AS TEXT) <> '{}'").Group("attempt_id").Scan(ctx, &answered)
	return countMap(totals), countMap(answered), err
}

func countMap(rows []countRow) map[int64]int {
	m := map[int64]int{}
	for _, r := range rows {
		m[r.AttemptID] = r.N
	}
	return m
}

// warnings lists, per attempt of the session, its integrity events newest first, as text.
func (s *Store) warnings(ctx context.Context, sessionID int64) (map[int64][]string, error) {
	var evs []*Event
	err := s.db.NewSelect().Model(&evs).Where("kind <> ?", EventExtend).
		Where("attempt_id IN (?)", s.db.NewSelect().Model((*Attempt)(nil)).Column("id").Where("session_id = ?", sessionID)).
		OrderExpr("at DESC, id DESC").Limit(5000).Scan(ctx)
	out := map[int64][]string{}
	for _, e := range evs {
		out[e.AttemptID] = append(out[e.AttemptID], e.At.Local().Format("15:04:05")+" "+e.Label())
	}
	return out, err
}

// FindEvents lists an attempt's events, oldest first.
func (s *Store) FindEvents(ctx context.Context, attemptID int64) ([]*Event, error) {
	var evs []*Event
	err := s.db.NewSelect().Model(&evs).Where("attempt_id = ?", attemptID).OrderExpr("at, id").Scan(ctx)
	return evs, err
}

// MyPart is one part of a session a candidate sits, with their attempt if started.
type MyPart struct {
	*Part
	Attempt *Attempt `json:"attempt,omitempty"`
}

// MySession is a session a candidate sits, as their home shows it.
type MySession struct {
	*Session
	Phase string    `json:"phase"`
	Mine  []*MyPart `json:"my_parts"`
	Room  string    `json:"room"`
	Seat  string    `json:"seat"`
}

// CanStart reports whether a part may be started or resumed now.
func (m *MySession) CanStart(p *MyPart, now time.Time) bool {
	if p.Attempt != nil {
		return p.Attempt.Open()
	}
	return m.IsOpen(now)
}

// FindMySessions lists the sessions the candidate sits, soonest first.
func (s *Store) FindMySessions(ctx context.Context, userID int64) ([]*MySession, error) {
	var cands []*Candidate
	if err := s.db.NewSelect().Model(&cands).Where("user_id = ?", userID).Scan(ctx); err != nil {
		return nil, err
	}
	var out []*MySession
	now := s.now()
	for _, c := range cands {
		ss, err := s.FindSessionByID(ctx, c.SessionID)
		if err != nil {
			return nil, err
		}
		m := &MySession{Session: ss, Phase: ss.Phase(now), Room: c.Room, Seat: c.Seat}
		for _, p := range ss.Parts {
			mp := &MyPart{Part: p}
			if a, err := s.findAttemptOf(ctx, p.ID, userID); err == nil {
				mp.Attempt = a
			}
			m.Mine = append(m.Mine, mp)
		}
		out = append(out, m)
	}
	sortByOpening(out)
	return out, nil
}

func sortByOpening(list []*MySession) {
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && list[j].OpensAt.Before(list[j-1].OpensAt); j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
}
