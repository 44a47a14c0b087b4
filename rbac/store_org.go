package rbac

import (
	"context"
	"strconv"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// OrgFilter narrows FindOrgs. Scope is required: callers only ever list what they may see.
type OrgFilter struct {
	Scope      Scope
	Tier       Tier
	Query      string
	ActiveOnly bool
	WithCounts bool
}

// FindOrgByID returns one unit.
func (s *Store) FindOrgByID(ctx context.Context, id int64) (*OrgUnit, error) {
	return findOrg(ctx, s.db, id)
}

func findOrg(ctx context.Context, tx bun.IDB, id int64) (*OrgUnit, error) {
	o := new(OrgUnit)
	err := tx.NewSelect().Model(o).Where("o.id = ?", id).Scan(ctx)
	return o, notFound(err, "机构")
}

// FindOrgByCode returns one unit by its code.
func (s *Store) FindOrgByCode(ctx context.Context, code string) (*OrgUnit, error) {
	o := new(OrgUnit)
	err := s.db.NewSelect().Model(o).Where("o.code = ?", code).Scan(ctx)
	return o, notFound(err, "机构")
}

// FindOrgs lists units in tree order (by path) within the filter's scope.
func (s *Store) FindOrgs(ctx context.Context, f OrgFilter) ([]*OrgUnit, error) {
	var out []*OrgUnit
	q := s.db.NewSelect().Model(&out)
	q = f.Scope.Where(q, "o.path")
	if f.Tier != "" {
		q = q.Where("o.tier = ?", f.Tier)
	}
	if f.Query != "" {
		q = q.Where("(o.name LIKE ? OR o.code LIKE ?)", "%"+f.Query+"%", f.Query+"%")
	}
	if f.ActiveOnly {
		q = q.Where("o.active = ?", true)
	}
	if f.WithCounts {
		q = q.ColumnExpr("o.*").ColumnExpr("(SELECT COUNT(*) FROM staff s WHERE s.org_id = o.id AND s.active = ?) AS staff_count", true)
	}
	err := q.OrderExpr("o.path").Scan(ctx)
	return out, err
}

// CreateOrg inserts a unit under its parent (none for a root, which only an admin makes).
func (s *Store) CreateOrg(ctx context.Context, actor int64, o *OrgUnit) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return s.createOrg(ctx, tx, actor, o)
	})
}

func (s *Store) createOrg(ctx context.Context, tx bun.IDB, actor int64, o *OrgUnit) error {
	parentPath := "/"
	o.Depth = 0
	if o.ParentID != nil {
		parent, err := findOrg(ctx, tx, *o.ParentID)
		if err != nil {
			return err
		}
		if err := o.validateParent(parent); err != nil {
			return err
		}
		parentPath, o.Depth = parent.Path, parent.Depth+1
	}
	o.Active = true
	o.CreatedAt, o.UpdatedAt = s.now(), s.now()
	o.Path = parentPath + "new-" + o.Code + "/" // placeholder until the id is known
	if _, err := tx.NewInsert().Model(o).Returning("id").Exec(ctx); err != nil {
		return orgConflict(err, o.Code)
	}
	o.Path = pathOf(parentPath, o.ID)
	if _, err := tx.NewUpdate().Model(o).Column("path").WherePK().Exec(ctx); err != nil {
		return err
	}
	return s.audit(ctx, tx, actor, "org.create", "org", o.ID, &o.ID, o)
}

func orgConflict(err error, code string) error {
	if db.IsUniqueViolation(err) {
		return web.Errorf(web.ECONFLICT, "机构代码 %s 已存在", code)
	}
	return err
}

// OrgUpdate holds the fields a PATCH may change; nil means unchanged.
type OrgUpdate struct {
	Name   *string `json:"name"`
	Code   *string `json:"code"`
	Active *bool   `json:"active"`
}

// UpdateOrg changes a unit's name, code or active flag. Tier and place in the tree are fixed.
func (s *Store) UpdateOrg(ctx context.Context, actor, id int64, upd OrgUpdate) (*OrgUnit, error) {
	var o *OrgUnit
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if o, err = findOrg(ctx, tx, id); err != nil {
			return err
		}
		applyOrgUpdate(o, upd)
		if err := o.Validate(); err != nil {
			return err
		}
		if upd.Active != nil && !*upd.Active {
			if err := refuseIfBusy(ctx, tx, o, "停用", true); err != nil {
				return err
			}
		}
		o.UpdatedAt = s.now()
		if _, err := tx.NewUpdate().Model(o).Column("name", "code", "active", "updated_at").WherePK().Exec(ctx); err != nil {
			return orgConflict(err, o.Code)
		}
		return s.audit(ctx, tx, actor, "org.update", "org", o.ID, &o.ID, upd)
	})
	return o, err
}

func applyOrgUpdate(o *OrgUnit, upd OrgUpdate) {
	if upd.Name != nil {
		o.Name = *upd.Name
	}
	if upd.Code != nil {
		o.Code = *upd.Code
	}
	if upd.Active != nil {
		o.Active = *upd.Active
	}
}

// DeleteOrg removes a unit that has no sub-units, no staff and no grants.
func (s *Store) DeleteOrg(ctx context.Context, actor, id int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		o, err := findOrg(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := refuseIfBusy(ctx, tx, o, "删除", false); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model(o).WherePK().Exec(ctx); err != nil {
			if db.IsForeignKeyViolation(err) {
				return web.Errorf(web.ECONFLICT, "机构“%s”仍被其他记录引用，不能删除", o.Name)
			}
			return err
		}
		return s.audit(ctx, tx, actor, "org.delete", "org", o.ID, nil, o)
	})
}

// refuseIfBusy refuses to remove (or, with onlyActive, deactivate) a unit that still has
// sub-units or staff; deletion counts inactive ones too, since their records stay.
func refuseIfBusy(ctx context.Context, tx bun.IDB, o *OrgUnit, verb string, onlyActive bool) error {
	count := func(table, col string) (int, error) {
		q := tx.NewSelect().Table(table).Where("? = ?", bun.Ident(col), o.ID)
		if onlyActive {
			q = q.Where("active = ?", true)
		}
		n, err := q.Count(ctx)
		return int(n), err
	}
	children, err := count("org_units", "parent_id")
	if err != nil {
		return err
	}
	if children > 0 {
		return web.Errorf(web.ECONFLICT, "机构“%s”下还有%d个下级机构，不能%s", o.Name, children, verb)
	}
	staff, err := count("staff", "org_id")
	if err != nil {
		return err
	}
	if staff > 0 {
		return web.Errorf(web.ECONFLICT, "机构“%s”还有%d名人员，请先调出后再%s", o.Name, staff, verb)
	}
	return nil
}

// OrgPathByID resolves paths for many ids at once.
func (s *Store) OrgPathByID(ctx context.Context, ids ...int64) (map[int64]string, error) {
	var rows []OrgUnit
	if len(ids) == 0 {
		return map[int64]string{}, nil
	}
	if err := s.db.NewSelect().Model(&rows).Column("id", "path").Where("id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Path
	}
	return out, nil
}

// ParseID parses a path or form id, with a clear error.
func ParseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, web.Errorf(web.ENOTFOUND, "编号“%s”无效", s)
	}
	return id, nil
}
