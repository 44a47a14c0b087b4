package session

import (
	"context"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/rbac"
)

// Standard returns the standard in force and its version id.
func (s *Store) Standard(ctx context.Context) (*exams.Standard, int64, error) {
	v, err := s.standards.CurrentStandard(ctx)
	if err != nil {
		return nil, 0, err
	}
	return v.Definition, v.ID, nil
}

// CreateSession schedules a session under the standard in force.
func (s *Store) CreateSession(ctx context.Context, actor int64, in *Input) (*Session, error) {
	std, vid, err := s.Standard(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(std); err != nil {
		return nil, err
	}
	now := s.now()
	ss := &Session{Name: in.Name, Level: in.Level, StandardVersionID: vid, OrgID: in.OrgID, OpensAt: in.OpensAt.UTC(),
		ClosesAt: in.ClosesAt.UTC(), Rooms: in.Rooms, ResultsHeld: in.ResultsHeld == nil || *in.ResultsHeld,
		Status: StatusScheduled, CreatedAt: now, UpdatedAt: now}
	if actor != 0 {
		ss.CreatedBy = &actor
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(ss).Exec(ctx); err != nil {
			return err
		}
		return insertParts(ctx, tx, ss.ID, in.Parts)
	})
	if err != nil {
		return nil, err
	}
	return s.FindSessionByID(ctx, ss.ID)
}

func insertParts(ctx context.Context, tx bun.IDB, sessionID int64, parts []PartInput) error {
	for _, p := range parts {
		row := &Part{SessionID: sessionID, Kind: p.Kind, DurationMinutes: p.DurationMinutes}
		if p.Source.BlueprintID != 0 {
			row.BlueprintID = &p.Source.BlueprintID
		}
		if p.Source.PaperID != 0 {
			row.PaperID = &p.Source.PaperID
		}
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// UpdateSession replaces a session's settings. Parts may change only before anyone has
// started; a level change is refused once attempts exist.
func (s *Store) UpdateSession(ctx context.Context, id int64, in *Input) (*Session, error) {
	std, _, err := s.Standard(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(std); err != nil {
		return nil, err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		started, err := tx.NewSelect().Model((*Attempt)(nil)).Where("session_id = ?", id).Exists(ctx)
		if err != nil {
			return err
		}
		row := &Session{ID: id, Name: in.Name, Level: in.Level, OrgID: in.OrgID, OpensAt: in.OpensAt.UTC(), ClosesAt: in.ClosesAt.UTC(),
			Rooms: in.Rooms, ResultsHeld: in.ResultsHeld == nil || *in.ResultsHeld, UpdatedAt: s.now()}
		cols := []string{"name", "org_id", "opens_at", "closes_at", "rooms", "results_held", "updated_at"}
		if !started {
			cols = append(cols, "level")
		}
		_, err = tx.NewUpdate().Model(row).Column(cols...).WherePK().Exec(ctx)
		if err != nil || started {
			return err
		}
		if _, err := tx.NewDelete().Model((*Part)(nil)).Where("session_id = ?", id).Exec(ctx); err != nil {
			return err
		}
		return insertParts(ctx, tx, id, in.Parts)
	})
	if err != nil {
		return nil, err
	}
	return s.FindSessionByID(ctx, id)
}

// FindSessionByID returns a session with its parts and owning unit.
func (s *Store) FindSessionByID(ctx context.Context, id int64) (*Session, error) {
	ss := new(Session)
	err := s.db.NewSelect().Model(ss).Relation("Parts", orderParts).Where("es.id = ?", id).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "考试场次")
	}
	return ss, s.nameOrgs(ctx, []*Session{ss})
}

func orderParts(q *bun.SelectQuery) *bun.SelectQuery { return q.Order("sp.id") }

// FindSessions lists the sessions owned by units in scope, latest first.
func (s *Store) FindSessions(ctx context.Context, scope rbac.Scope) ([]*Session, error) {
	var list []*Session
	q := s.db.NewSelect().Model(&list).Relation("Parts", orderParts).
		Join("JOIN org_units AS o ON o.id = es.org_id")
	err := scope.Where(q, "o.path").OrderExpr("es.opens_at DESC, es.id DESC").Limit(500).Scan(ctx)
	if err != nil {
		return nil, err
	}
	return list, s.nameOrgs(ctx, list)
}

func (s *Store) nameOrgs(ctx context.Context, list []*Session) error {
	ids := map[int64]bool{}
	for _, ss := range list {
		ids[ss.OrgID] = true
	}
	if len(ids) == 0 {
		return nil
	}
	var units []*rbac.OrgUnit
	keys := make([]int64, 0, len(ids))
	for id := range ids {
		keys = append(keys, id)
	}
	if err := s.db.NewSelect().Model(&units).Where("id IN (?)", bun.In(keys)).Scan(ctx); err != nil {
		return err
	}
	byID := map[int64]*rbac.OrgUnit{}
	for _, u := range units {
		byID[u.ID] = u
	}
	for _, ss := range list {
		if u := byID[ss.OrgID]; u != nil {
			ss.OrgName, ss.OrgPath = u.Name, u.Path
		}
	}
	return nil
}

// OrgPath returns the path of an org unit, not found when there is none.
func (s *Store) OrgPath(ctx context.Context, orgID int64) (string, error) {
	m, err := s.people.OrgPathByID(ctx, orgID)
	if err != nil {
		return "", err
	}
	if p, ok := m[orgID]; ok {
		return p, nil
	}
	return "", web.Invalid(map[string]string{"org_id": "主办机构不存在"})
}
