package competency

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/rbac"
)

// resultRow is one released, complete part result as mastery reads it.
type resultRow struct {
	AttemptID         int64           `bun:"attempt_id"`
	SessionID         int64           `bun:"session_id"`
	SessionName       string          `bun:"session_name"`
	StaffID           int64           `bun:"staff_id"`
	Part              string          `bun:"part"`
	StandardVersionID int64           `bun:"standard_version_id"`
	TakenAt           time.Time       `bun:"taken_at"`
	Branches          json.RawMessage `bun:"branches"`
}

// branchMark is a part result's marks in one top branch (exams/marking writes them).
type branchMark struct {
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	Earned   float64 `json:"earned"`
	Possible float64 `json:"possible"`
	Percent  float64 `json:"percent"`
}

// feedQuery selects the released, complete part results of people sitting in the
// subtree at path (or of one member of staff), with the columns mastery reads. The date
// is when the attempt was handed in.
func (s *Store) feedQuery(path string, staffID int64) *bun.SelectQuery {
	return s.releasedResults(path, staffID).
		ColumnExpr("pr.attempt_id, pr.session_id, es.name AS session_name, u.staff_id, pr.part, pr.standard_version_id").
		ColumnExpr("COALESCE(a.submitted_at, es.closes_at) AS taken_at, pr.branches").
		Join("JOIN attempts AS a ON a.id = pr.attempt_id")
}

// releasedResults is the part results that count: complete, and released by a trainer
// or, for a session whose results are not held, closed. No columns are chosen.
func (s *Store) releasedResults(path string, staffID int64) *bun.SelectQuery {
	q := s.db.NewSelect().TableExpr("part_results AS pr").
		Join("JOIN users AS u ON u.id = pr.user_id").
		Join("JOIN exam_sessions AS es ON es.id = pr.session_id").
		Where("pr.complete = ?", true).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("EXISTS (SELECT 1 FROM result_releases AS rr WHERE rr.session_id = pr.session_id)").
				WhereOr("es.results_held = ? AND es.closes_at <= ?", false, s.now())
		})
	if staffID > 0 {
		return q.Where("u.staff_id = ?", staffID)
	}
	return q.Join("JOIN staff AS st ON st.id = u.staff_id").Join("JOIN org_units AS o ON o.id = st.org_id").
		Where("o.path >= ? AND o.path < ?", path, pathUpper(path))
}

// evidenceBy reads the feed and sorts its branch marks by member of staff and branch.
func (s *Store) evidenceBy(ctx context.Context, q *bun.SelectQuery) (map[int64]map[string][]Evidence, map[string]string, error) {
	var rows []resultRow
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, nil, fmt.Errorf("read results: %w", err)
	}
	out := map[int64]map[string][]Evidence{}
	names := map[string]string{}
	var marks []branchMark
	for _, r := range rows {
		marks = marks[:0]
		if err := json.Unmarshal(r.Branches, &marks); err != nil {
			return nil, nil, fmt.Errorf("branches of attempt %d: %w", r.AttemptID, err)
		}
		byCode := out[r.StaffID]
		if byCode == nil {
			byCode = map[string][]Evidence{}
			out[r.StaffID] = byCode
		}
		for _, m := range marks {
			if m.Possible <= 0 {
				continue
			}
			names[m.Code] = m.Name
			byCode[m.Code] = append(byCode[m.Code], Evidence{SessionID: r.SessionID, SessionName: r.SessionName, AttemptID: r.AttemptID,
				Part: r.Part, StandardVersionID: r.StandardVersionID, TakenAt: r.TakenAt, Earned: m.Earned, Possible: m.Possible, Percent: m.Percent})
		}
	}
	return out, names, nil
}

// unit is an org unit as the matrix needs it.
func (s *Store) unit(ctx context.Context, id int64) (*rbac.OrgUnit, error) {
	o := new(rbac.OrgUnit)
	err := s.db.NewSelect().Model(o).Where("o.id = ?", id).Scan(ctx)
	if db.IsNoRows(err) {
		return nil, web.Errorf(web.ENOTFOUND, "机构不存在")
	}
	return o, err
}

// pathUpper is the least string above every path that starts with p (p ends in '/').
func pathUpper(p string) string { return p[:len(p)-1] + "0" }

func (s *Store) unitName(ctx context.Context, id int64) (string, error) {
	o, err := s.unit(ctx, id)
	if err != nil {
		return "", err
	}
	return o.Name, nil
}
