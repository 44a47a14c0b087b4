package marking

import (
	"context"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/exams"
	"clerkskill/rbac"
)

// SessionRow is a session in a list, with how far its marking has got.
type SessionRow struct {
	examSession `bun:",extend"`

	Results    int        `bun:"results,scanonly" json:"results"`
	Pending    int        `bun:"pending,scanonly" json:"pending"`
	ReleasedAt *time.Time `bun:"released_at,scanonly" json:"released_at"`
}

func sessionRows(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr(sessionColumns).ColumnExpr("o.path AS org_path, o.name AS org_name").
		ColumnExpr("(SELECT COUNT(*) FROM part_results AS pr WHERE pr.session_id = es.id) AS results").
		ColumnExpr("(SELECT COUNT(*) FROM item_marks AS im WHERE im.session_id = es.id AND im.status IN (?, ?)) AS pending", StatusPending, StatusArbitration).
		ColumnExpr("(SELECT r.released_at FROM result_releases AS r WHERE r.session_id = es.id) AS released_at").
		Join("JOIN org_units AS o ON o.id = es.org_id").OrderExpr("es.opens_at DESC, es.id DESC").Limit(200)
}

// FindResultSessions lists the sessions held by units in scope, newest first.
func (s *Store) FindResultSessions(ctx context.Context, scope rbac.Scope) ([]*SessionRow, error) {
	out := []*SessionRow{}
	q := sessionRows(s.db.NewSelect().Model(&out))
	err := scope.Where(q, "o.path").Scan(ctx)
	return out, err
}

// FindMarkerSessions lists the sessions the caller assesses, newest first.
func (s *Store) FindMarkerSessions(ctx context.Context, actor int64) ([]*SessionRow, error) {
	out := []*SessionRow{}
	err := sessionRows(s.db.NewSelect().Model(&out)).
		Where("es.id IN (SELECT session_id FROM session_staff WHERE user_id = ? AND role = ?)", actor, "assessor").Scan(ctx)
	return out, err
}

// FindSession returns a session with its unit's path, for scope checks.
func (s *Store) FindSession(ctx context.Context, id int64) (*SessionRow, error) {
	row := &SessionRow{}
	err := sessionRows(s.db.NewSelect().Model(row)).Where("es.id = ?", id).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "考试场次")
	}
	return row, nil
}

// PartSummary is how one part of a session went: counts, mean and the distribution of
// complete scores in ten bands of ten (the last band includes 100).
type PartSummary struct {
	Part       string  `json:"part"`
	PassMark   int     `json:"pass_mark"`
	Candidates int     `json:"candidates"`
	Complete   int     `json:"complete"`
	Passed     int     `json:"passed"`
	Mean       float64 `json:"mean"`
	Bands      [10]int `json:"bands"`
}

// Label names the part in Chinese.
func (p *PartSummary) Label() string { return partLabel(p.Part) }

// CandidateRow is one candidate's results, one per part in the order of Parts.
type CandidateRow struct {
	UserID  int64         `json:"user_id"`
	Name    string        `json:"name"`
	Results []*PartResult `json:"results"`
}

// SessionResults is the whole picture of a session's results for trainers.
type SessionResults struct {
	Session    *SessionRow      `json:"session"`
	Released   bool             `json:"released"`
	ReleasedAt *time.Time       `json:"released_at"`
	Settings   *Settings        `json:"settings"`
	Parts      []*PartSummary   `json:"parts"`
	Rows       []*CandidateRow  `json:"candidates"`
	Reviews    []*ReviewRequest `json:"reviews"`
}

// FindSessionResults returns a session's results, distribution and review requests.
func (s *Store) FindSessionResults(ctx context.Context, sess *SessionRow) (*SessionResults, error) {
	out := &SessionResults{Session: sess, Parts: []*PartSummary{}, Rows: []*CandidateRow{}, Reviews: []*ReviewRequest{}}
	released, at, err := s.releaseOf(ctx, s.db, &sess.examSession)
	if err != nil {
		return nil, err
	}
	if released {
		out.Released, out.ReleasedAt = true, &at
	}
	if out.Settings, err = findSettings(ctx, s.db, sess.ID); err != nil {
		return nil, err
	}
	var results []*PartResult
	err = s.db.NewSelect().Model(&results).ColumnExpr("pr.*").ColumnExpr("u.display_name AS user_name").
		Join("JOIN users AS u ON u.id = pr.user_id").Where("pr.session_id = ?", sess.ID).
		OrderExpr("u.display_name, pr.user_id").Scan(ctx)
	if err != nil {
		return nil, err
	}
	out.Parts, out.Rows = summarise(results)
	err = s.db.NewSelect().Model(&out.Reviews).ColumnExpr("rq.*").ColumnExpr("u.display_name AS user_name").
		Join("JOIN users AS u ON u.id = rq.user_id").Where("rq.session_id = ?", sess.ID).Order("rq.id").Scan(ctx)
	return out, err
}

// summarise groups part results into per-part summaries and per-candidate rows.
func summarise(results []*PartResult) ([]*PartSummary, []*CandidateRow) {
	parts := []*PartSummary{}
	byPart := map[string]*PartSummary{}
	for _, r := range results {
		p := byPart[r.Part]
		if p == nil {
			p = &PartSummary{Part: r.Part, PassMark: r.PassMark}
			byPart[r.Part] = p
			parts = append(parts, p)
		}
		p.Candidates++
		if r.Complete {
			p.Complete++
			p.Mean += r.Score
			p.Bands[min(9, int(r.Score/10))]++
		}
		if r.Passed {
			p.Passed++
		}
	}
	slices.SortFunc(parts, func(a, b *PartSummary) int {
		return slices.Index(exams.PartKinds, a.Part) - slices.Index(exams.PartKinds, b.Part)
	})
	for _, p := range parts {
		if p.Complete > 0 {
			p.Mean = round2(p.Mean / float64(p.Complete))
		}
	}
	rows := []*CandidateRow{}
	byUser := map[int64]*CandidateRow{}
	for _, r := range results {
		row := byUser[r.UserID]
		if row == nil {
			row = &CandidateRow{UserID: r.UserID, Name: r.UserName, Results: make([]*PartResult, len(parts))}
			byUser[r.UserID] = row
			rows = append(rows, row)
		}
		for i, p := range parts {
			if p.Part == r.Part {
				row.Results[i] = r
			}
		}
	}
	return parts, rows
}

// FindAudit lists every score change in a session, oldest first.
func (s *Store) FindAudit(ctx context.Context, sessionID int64) ([]*AuditEntry, error) {
	out := []*AuditEntry{}
	err := s.db.NewSelect().Model(&out).ColumnExpr("sa.*").ColumnExpr("u.display_name AS actor_name").
		Join("LEFT JOIN users AS u ON u.id = sa.actor_id").Where("sa.session_id = ?", sessionID).
		Order("sa.id").Scan(ctx)
	return out, err
}
