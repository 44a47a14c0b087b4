// Package marktest writes exam sessions and closed attempts straight into the committed
// exam-session schema, so marking can be tested and measured without the session engine.
package marktest

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/exams/bank"
)

// Session describes a session to insert. Zero times mean it opened two hours ago and
// closed an hour ago.
type Session struct {
	Name        string
	Level       int
	OrgID       int64
	ResultsHeld bool
	OpensAt     time.Time
	ClosesAt    time.Time
	Parts       []string // part kinds, e.g. "theory", "skill"
	Assessors   []int64
}

// Item is one question of an attempt with its points and the saved answer (nil: none).
type Item struct {
	QuestionID int64
	Points     float64
	Response   *bank.Response
}

type sessionRow struct {
	bun.BaseModel `bun:"table:exam_sessions"`

	ID                int64     `bun:"id,pk,autoincrement"`
	Name              string    `bun:"name"`
	Level             int       `bun:"level"`
	StandardVersionID int64     `bun:"standard_version_id"`
	OrgID             int64     `bun:"org_id"`
	OpensAt           time.Time `bun:"opens_at"`
	ClosesAt          time.Time `bun:"closes_at"`
	ResultsHeld       bool      `bun:"results_held"`
	Status            string    `bun:"status"`
	CreatedAt         time.Time `bun:"created_at"`
	UpdatedAt         time.Time `bun:"updated_at"`
}

type partRow struct {
	bun.BaseModel `bun:"table:session_parts"`

	ID              int64  `bun:"id,pk,autoincrement"`
	SessionID       int64  `bun:"session_id"`
	Part            string `bun:"part"`
	DurationMinutes int    `bun:"duration_minutes"`
}

// NewSession inserts a session on the newest standard version, its parts and assessors,
// and returns its id and the part ids by kind.
func NewSession(ctx context.Context, d bun.IDB, s Session) (int64, map[string]int64, error) {
	now := time.Now().UTC()
	if s.ClosesAt.IsZero() {
		s.OpensAt, s.ClosesAt = now.Add(-2*time.Hour), now.Add(-time.Hour)
	}
	row := &sessionRow{Name: s.Name, Level: s.Level, OrgID: s.OrgID, OpensAt: s.OpensAt, ClosesAt: s.ClosesAt,
		ResultsHeld: s.ResultsHeld, Status: "closed", CreatedAt: now, UpdatedAt: now}
	err := d.NewSelect().Table("standard_versions").Column("id").OrderExpr("version_no DESC").Limit(1).Scan(ctx, &row.StandardVersionID)
	if err != nil {
		return 0, nil, fmt.Errorf("standard version: %w", err)
	}
	if _, err := d.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return 0, nil, fmt.Errorf("insert session: %w", err)
	}
	parts := map[string]int64{}
	for _, kind := range s.Parts {
		p := &partRow{SessionID: row.ID, Part: kind, DurationMinutes: 90}
		if _, err := d.NewInsert().Model(p).Returning("id").Exec(ctx); err != nil {
			return 0, nil, fmt.Errorf("insert part: %w", err)
		}
		parts[kind] = p.ID
	}
	for _, uid := range s.Assessors {
		if err := AddStaff(ctx, d, row.ID, uid, "assessor"); err != nil {
			return 0, nil, err
		}
	}
	return row.ID, parts, nil
}

// AddStaff adds a member of staff (role "assessor" or "invigilator") to a session.
func AddStaff(ctx context.Context, d bun.IDB, sessionID, userID int64, role string) error {
	_, err := d.NewInsert().Table("session_staff").
		Model(&map[string]any{"session_id": sessionID, "user_id": userID, "role": role, "room": ""}).Exec(ctx)
	if err != nil {
		return fmt.Errorf("insert session staff: %w", err)
	}
	return nil
}

type attemptRow struct {
	bun.BaseModel `bun:"table:attempts"`

	ID          int64      `bun:"id,pk,autoincrement"`
	SessionID   int64      `bun:"session_id"`
	PartID      int64      `bun:"part_id"`
	UserID      int64      `bun:"user_id"`
	Seed        int64      `bun:"seed"`
	Status      string     `bun:"status"`
	StartedAt   time.Time  `bun:"started_at"`
	Deadline    time.Time  `bun:"deadline"`
	SubmittedAt *time.Time `bun:"submitted_at"`
	ClosedBy    string     `bun:"closed_by"`
}

type itemRow struct {
	bun.BaseModel `bun:"table:attempt_items"`

	AttemptID  int64   `bun:"attempt_id"`
	Idx        int     `bun:"idx"`
	QuestionID int64   `bun:"question_id"`
	Points     float64 `bun:"points"`
	Perm       []int   `bun:"perm"`
}

type answerRow struct {
	bun.BaseModel `bun:"table:attempt_answers"`

	AttemptID int64         `bun:"attempt_id"`
	Idx       int           `bun:"idx"`
	Response  bank.Response `bun:"response"`
	Seq       int64         `bun:"seq"`
	SavedAt   time.Time     `bun:"saved_at"`
}

// NewAttempt inserts a candidate's attempt at a part with status ("closed" or "open"),
// its items in order and the saved answers, adding the candidate to the session.
func NewAttempt(ctx context.Context, d bun.IDB, sessionID, partID, userID int64, status string, items []Item) (int64, error) {
	now := time.Now().UTC()
	_, err := d.NewInsert().Table("session_candidates").On("CONFLICT DO NOTHING").
		Model(&map[string]any{"session_id": sessionID, "user_id": userID, "room": "", "seat": "", "added_at": now}).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("insert candidate: %w", err)
	}
	a := &attemptRow{SessionID: sessionID, PartID: partID, UserID: userID, Seed: 1, Status: status,
		StartedAt: now.Add(-time.Hour), Deadline: now, ClosedBy: "candidate"}
	if status != "open" {
		a.SubmittedAt = &now
	}
	if _, err := d.NewInsert().Model(a).Returning("id").Exec(ctx); err != nil {
		return 0, fmt.Errorf("insert attempt: %w", err)
	}
	rows := make([]itemRow, len(items))
	var answers []answerRow
	for i, it := range items {
		rows[i] = itemRow{AttemptID: a.ID, Idx: i, QuestionID: it.QuestionID, Points: it.Points}
		if it.Response != nil {
			answers = append(answers, answerRow{AttemptID: a.ID, Idx: i, Response: *it.Response, Seq: 1, SavedAt: now})
		}
	}
	if len(rows) > 0 {
		if _, err := d.NewInsert().Model(&rows).Exec(ctx); err != nil {
			return 0, fmt.Errorf("insert items: %w", err)
		}
	}
	if len(answers) > 0 {
		if _, err := d.NewInsert().Model(&answers).Exec(ctx); err != nil {
			return 0, fmt.Errorf("insert answers: %w", err)
		}
	}
	return a.ID, nil
}
