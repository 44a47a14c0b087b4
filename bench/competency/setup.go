package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/uptrace/bun"
)

// The county under measure is org unit 1; its townships are 2–21; a sibling county (22)
// with one township (23) holds 500 clerks the matrix must leave out.
const (
	countyID   = 1
	countyPath = "/1/"
	townships  = 20
	sibling    = 500
)

type orgRow struct {
	bun.BaseModel `bun:"table:org_units"`
	ID            int64     `bun:"id,pk"`
	ParentID      *int64    `bun:"parent_id"`
	Tier          string    `bun:"tier"`
	Code          string    `bun:"code"`
	Name          string    `bun:"name"`
	Path          string    `bun:"path"`
	Depth         int       `bun:"depth"`
	Active        bool      `bun:"active"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

type staffRow struct {
	bun.BaseModel  `bun:"table:staff"`
	ID             int64     `bun:"id,pk"`
	EmpNo          string    `bun:"emp_no"`
	Name           string    `bun:"name"`
	OrgID          int64     `bun:"org_id"`
	EmploymentType string    `bun:"employment_type"`
	Active         bool      `bun:"active"`
	CreatedAt      time.Time `bun:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at"`
}

type userRow struct {
	bun.BaseModel `bun:"table:users"`
	ID            int64     `bun:"id,pk"`
	Username      string    `bun:"username"`
	DisplayName   string    `bun:"display_name"`
	PasswordHash  string    `bun:"password_hash"`
	StaffID       int64     `bun:"staff_id"`
	Active        bool      `bun:"active"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

type sessionRow struct {
	bun.BaseModel     `bun:"table:exam_sessions"`
	ID                int64     `bun:"id,pk"`
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
	bun.BaseModel   `bun:"table:session_parts"`
	ID              int64  `bun:"id,pk"`
	SessionID       int64  `bun:"session_id"`
	Part            string `bun:"part"`
	DurationMinutes int    `bun:"duration_minutes"`
}

type attemptRow struct {
	bun.BaseModel `bun:"table:attempts"`
	ID            int64     `bun:"id,pk"`
	SessionID     int64     `bun:"session_id"`
	PartID        int64     `bun:"part_id"`
	UserID        int64     `bun:"user_id"`
	Seed          int64     `bun:"seed"`
	Status        string    `bun:"status"`
	StartedAt     time.Time `bun:"started_at"`
	Deadline      time.Time `bun:"deadline"`
	SubmittedAt   time.Time `bun:"submitted_at"`
	ClosedBy      string    `bun:"closed_by"`
}

type resultRow struct {
	bun.BaseModel     `bun:"table:part_results"`
	AttemptID         int64           `bun:"attempt_id,pk"`
	SessionID         int64           `bun:"session_id"`
	UserID            int64           `bun:"user_id"`
	Part              string          `bun:"part"`
	StandardVersionID int64           `bun:"standard_version_id"`
	Earned            float64         `bun:"earned"`
	Possible          float64         `bun:"possible"`
	Score             float64         `bun:"score"`
	PassMark          int             `bun:"pass_mark"`
	Passed            bool            `bun:"passed"`
	Complete          bool            `bun:"complete"`
	Branches          json.RawMessage `bun:"branches,type:jsonb"`
	ComputedAt        time.Time       `bun:"computed_at"`
}

type branchMark struct {
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	Earned   float64 `json:"earned"`
	Possible float64 `json:"possible"`
	Percent  float64 `json:"percent"`
}

// setup writes units, people, sessions and results, and returns how many results.
func setup(ctx context.Context, d *bun.DB, version int64, o options) (int, error) {
	now := time.Now().UTC().Truncate(time.Second)
	people := o.clerks + sibling
	if err := insertAll(ctx, d, units(now)); err != nil {
		return 0, err
	}
	st, us := roster(people, o.clerks, now)
	if err := insertAll(ctx, d, st); err != nil {
		return 0, err
	}
	if err := insertAll(ctx, d, us); err != nil {
		return 0, err
	}
	ss, ps := sessions(version, now)
	if err := insertAll(ctx, d, ss); err != nil {
		return 0, err
	}
	if err := insertAll(ctx, d, ps); err != nil {
		return 0, err
	}
	for _, id := range []int64{1, 2, 3} { // the fourth session is held
		rel := map[string]any{"session_id": id, "released_at": now}
		if _, err := d.NewInsert().Model(&rel).Table("result_releases").Exec(ctx); err != nil {
			return 0, err
		}
	}
	as, rs := results(people, version, o.branches, ss)
	if err := insertAll(ctx, d, as); err != nil {
		return 0, err
	}
	if err := insertAll(ctx, d, rs); err != nil {
		return 0, err
	}
	if d.Dialect().Name().String() == "pg" {
		_, err := d.ExecContext(ctx, "ANALYZE")
		return len(rs), err
	}
	return len(rs), nil
}

// insertAll writes rows in batches of 500.
func insertAll[T any](ctx context.Context, d *bun.DB, rows []T) error {
	for i := 0; i < len(rows); i += 500 {
		part := rows[i:min(len(rows), i+500)]
		if _, err := d.NewInsert().Model(&part).Exec(ctx); err != nil {
			return fmt.Errorf("insert %T: %w", rows[0], err)
		}
	}
	return nil
}

func units(now time.Time) []orgRow {
	one, sib := int64(countyID), int64(22)
	out := []orgRow{{ID: 1, Tier: "county", Code: "B", Name: "测试县政务服务中心", Path: countyPath}}
	for i := int64(2); i <= townships+1; i++ {
		out = append(out, orgRow{ID: i, ParentID: &one, Tier: "township", Code: "B-" + strconv.FormatInt(i, 10),
			Name: "第" + strconv.FormatInt(i-1, 10) + "乡镇便民服务中心", Path: "/1/" + strconv.FormatInt(i, 10) + "/", Depth: 1})
	}
	out = append(out, orgRow{ID: 22, Tier: "county", Code: "S", Name: "邻县政务服务中心", Path: "/22/"},
		orgRow{ID: 23, ParentID: &sib, Tier: "township", Code: "S-1", Name: "邻县乡镇", Path: "/22/23/", Depth: 1})
	for i := range out {
		out[i].Active, out[i].CreatedAt, out[i].UpdatedAt = true, now, now
	}
	return out
}

// roster puts the county's clerks in its townships (a tenth in the county centre) and
// the rest in the sibling county.
func roster(people, county int, now time.Time) ([]staffRow, []userRow) {
	st, us := make([]staffRow, people), make([]userRow, people)
	for i := range people {
		id := int64(i + 1)
		org := int64(23)
		if i < county {
			org = int64(1 + i%(townships+1)) // 1 is the county centre itself
		}
		name := "测试人员" + strconv.Itoa(i+1)
		st[i] = staffRow{ID: id, EmpNo: fmt.Sprintf("E%06d", id), Name: name, OrgID: org, EmploymentType: "编外", Active: true, CreatedAt: now, UpdatedAt: now}
		us[i] = userRow{ID: id, Username: fmt.Sprintf("c%06d", id), DisplayName: name, PasswordHash: "x", StaffID: id, Active: true, CreatedAt: now, UpdatedAt: now}
	}
	return st, us
}

// sessions are three released ones (300, 200 and 60 days ago) and a held one yesterday.
func sessions(version int64, now time.Time) ([]sessionRow, []partRow) {
	ago := []int{300, 200, 60, 1}
	ss, ps := make([]sessionRow, len(ago)), make([]partRow, len(ago))
	for i, d := range ago {
		at := now.AddDate(0, 0, -d)
		ss[i] = sessionRow{ID: int64(i + 1), Name: fmt.Sprintf("测试场次%d", i+1), Level: 5, StandardVersionID: version, OrgID: countyID,
			OpensAt: at, ClosesAt: at.Add(2 * time.Hour), ResultsHeld: true, Status: "closed", CreatedAt: at, UpdatedAt: at}
		ps[i] = partRow{ID: int64(i + 1), SessionID: int64(i + 1), Part: "theory", DurationMinutes: 90}
	}
	return ss, ps
}

// results: every person sits the held session and two or three released ones, with marks
// in every branch drawn around an ability of their own.
func results(people int, version int64, branches int, ss []sessionRow) ([]attemptRow, []resultRow) {
	rng := rand.New(rand.NewPCG(1, 2))
	var as []attemptRow
	var rs []resultRow
	for u := 1; u <= people; u++ {
		ability := 0.45 + rng.Float64()*0.5
		for i, s := range ss {
			if i == 0 && u%3 != 0 {
				continue
			}
			id := int64(len(as) + 1)
			done := s.OpensAt.Add(80 * time.Minute)
			as = append(as, attemptRow{ID: id, SessionID: s.ID, PartID: s.ID, UserID: int64(u), Seed: id, Status: "closed",
				StartedAt: s.OpensAt, Deadline: s.ClosesAt, SubmittedAt: done, ClosedBy: "candidate"})
			rs = append(rs, result(id, s, int64(u), version, branches, ability, rng))
		}
	}
	return as, rs
}

func result(attempt int64, s sessionRow, user, version int64, branches int, ability float64, rng *rand.Rand) resultRow {
	marks := make([]branchMark, branches)
	var earned, possible float64
	for b := range marks {
		p := float64(2 + rng.IntN(4))
		e := float64(int(p*min(1, max(0, ability+rng.NormFloat64()*0.2))*2)) / 2
		marks[b] = branchMark{Code: "B" + strconv.Itoa(b+1), Name: "分支" + strconv.Itoa(b+1), Earned: e, Possible: p, Percent: float64(int(e/p*1000)) / 10}
		earned, possible = earned+e, possible+p
	}
	body, _ := json.Marshal(marks)
	score := float64(int(earned/possible*1000)) / 10
	return resultRow{AttemptID: attempt, SessionID: s.ID, UserID: user, Part: "theory", StandardVersionID: version, Earned: earned,
		Possible: possible, Score: score, PassMark: 60, Passed: score >= 60, Complete: true, Branches: body, ComputedAt: s.ClosesAt}
}
