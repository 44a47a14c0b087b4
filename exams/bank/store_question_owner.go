package bank

import (
	"context"

	"github.com/uptrace/bun"

	"clerkskill/rbac"
)

// withOwner adds the owning unit's path and name and the author's name to a select of
// questions. Every question has an owner; the author may be gone or never set (imports).
func withOwner(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("q.*").
		ColumnExpr("ou.path AS owner_path").ColumnExpr("ou.name AS owner_name").
		ColumnExpr("COALESCE(au.display_name, '') AS created_by_name").
		Join("JOIN org_units AS ou ON ou.id = q.owner_org_id").
		Join("LEFT JOIN users AS au ON au.id = q.created_by")
}

// FindQuestionWithOwner returns one version with its owner's org path and name, for the
// object-level rule, and its author's name.
func (s *Store) FindQuestionWithOwner(ctx context.Context, id int64) (*Question, error) {
	q := new(Question)
	err := withOwner(s.db.NewSelect().Model(q)).Where("q.id = ?", id).Scan(ctx)
	return q, notFound(err)
}

// FindHistory lists every version of a question, newest first, with owner and author.
func (s *Store) FindHistory(ctx context.Context, familyID int64) ([]*Question, error) {
	var out []*Question
	err := withOwner(s.db.NewSelect().Model(&out)).Where("q.family_id = ?", familyID).
		OrderExpr("q.version DESC").Scan(ctx)
	return out, err
}

// FillOwners sets the owning unit's path and name on listed questions in one query.
func (s *Store) FillOwners(ctx context.Context, list []*Question) error {
	ids := map[int64]bool{}
	for _, q := range list {
		ids[q.OwnerOrgID] = true
	}
	if len(ids) == 0 {
		return nil
	}
	var units []rbac.OrgUnit
	err := s.db.NewSelect().Model(&units).Column("id", "path", "name").Where("id IN (?)", bun.In(int64Keys(ids))).Scan(ctx)
	if err != nil {
		return err
	}
	byID := make(map[int64]rbac.OrgUnit, len(units))
	for _, u := range units {
		byID[u.ID] = u
	}
	for _, q := range list {
		q.OwnerPath, q.OwnerName = byID[q.OwnerOrgID].Path, byID[q.OwnerOrgID].Name
	}
	return nil
}

func int64Keys(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// FindOwnerUnits lists the active units within scope, in tree order: where a question may
// be placed by someone whose question:write scope that is.
func (s *Store) FindOwnerUnits(ctx context.Context, scope rbac.Scope) ([]*rbac.OrgUnit, error) {
	var out []*rbac.OrgUnit
	q := scope.Where(s.db.NewSelect().Model(&out), "o.path").Where("o.active = ?", true)
	err := q.OrderExpr("o.path").Scan(ctx)
	return out, err
}

// FindOwnerUnit returns one unit, for checking where a new question is placed.
func (s *Store) FindOwnerUnit(ctx context.Context, id int64) (*rbac.OrgUnit, error) {
	o := new(rbac.OrgUnit)
	err := s.db.NewSelect().Model(o).Where("o.id = ?", id).Scan(ctx)
	return o, err
}
