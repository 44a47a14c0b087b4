package paper

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
)

// FindBlueprints lists blueprints with their owning unit, newest first within level and
// part.
func (s *Store) FindBlueprints(ctx context.Context, f Filter) ([]*Blueprint, error) {
	var out []*Blueprint
	err := f.apply(ownedBy(s.db.NewSelect().Model(&out), "b"), "b").Scan(ctx)
	return out, err
}

// FindBlueprintByID returns one blueprint with its owning unit.
func (s *Store) FindBlueprintByID(ctx context.Context, id int64) (*Blueprint, error) {
	b := new(Blueprint)
	err := ownedBy(s.db.NewSelect().Model(b), "b").Where("b.id = ?", id).Scan(ctx)
	return b, notFound(err, "组卷方案")
}

// FindBlueprintFor returns the most recently saved blueprint of a level and part, for
// setting up a session without choosing one (the demo sessions use it).
func (s *Store) FindBlueprintFor(ctx context.Context, level int, part string) (*Blueprint, error) {
	b := new(Blueprint)
	err := ownedBy(s.db.NewSelect().Model(b), "b").Where("b.level = ? AND b.part = ?", level, part).
		OrderExpr("b.updated_at DESC, b.id DESC").Limit(1).Scan(ctx)
	return b, notFound(err, "该等级和考核部分的组卷方案")
}

// CreateBlueprint validates b against the standard in force and stores it.
func (s *Store) CreateBlueprint(ctx context.Context, actor int64, b *Blueprint) error {
	sv, err := s.Standard(ctx)
	if err != nil {
		return err
	}
	if err := b.Validate(sv.Definition); err != nil {
		return err
	}
	if err := checkOwned(b.OwnerOrgID); err != nil {
		return err
	}
	b.ID, b.StandardVersionID, b.Revision = 0, sv.ID, 1
	b.CreatedAt, b.UpdatedAt = s.now(), s.now()
	if actor != 0 {
		b.CreatedBy = &actor
	}
	if _, err := s.db.NewInsert().Model(b).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("insert blueprint: %w", err)
	}
	return nil
}

// UpdateBlueprint replaces blueprint id with b, which must be based on its current
// revision (b.Revision). The owner stays. Papers already drawn keep their items.
func (s *Store) UpdateBlueprint(ctx context.Context, id int64, b *Blueprint) error {
	sv, err := s.Standard(ctx)
	if err != nil {
		return err
	}
	if err := b.Validate(sv.Definition); err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		prev := new(Blueprint)
		if err := tx.NewSelect().Model(prev).Where("b.id = ?", id).Scan(ctx); err != nil {
			return notFound(err, "组卷方案")
		}
		if b.Revision != prev.Revision {
			return staleEdit("组卷方案")
		}
		b.ID, b.OwnerOrgID, b.CreatedBy, b.CreatedAt = id, prev.OwnerOrgID, prev.CreatedBy, prev.CreatedAt
		b.StandardVersionID, b.Revision, b.UpdatedAt = sv.ID, prev.Revision+1, s.now()
		res, err := tx.NewUpdate().Model(b).ExcludeColumn("id", "owner_org_id", "created_by", "created_at").
			Where("id = ? AND revision = ?", id, prev.Revision).Exec(ctx)
		if err != nil {
			return fmt.Errorf("update blueprint: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return staleEdit("组卷方案")
		}
		return nil
	})
}

// checkOwned refuses a blueprint or paper without an owning unit.
func checkOwned(orgID int64) error {
	if orgID <= 0 {
		return web.Invalid(map[string]string{"owner_org_id": "请选择所属单位"})
	}
	return nil
}
