package rbac

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// FindUserByID returns one account.
func (s *Store) FindUserByID(ctx context.Context, id int64) (*User, error) {
	u := new(User)
	err := s.db.NewSelect().Model(u).Where("u.id = ?", id).Scan(ctx)
	return u, notFound(err, "账户")
}

// FindUserByUsername returns one account by its login name.
func (s *Store) FindUserByUsername(ctx context.Context, username string) (*User, error) {
	u := new(User)
	err := s.db.NewSelect().Model(u).Where("u.username = ?", strings.ToLower(strings.TrimSpace(username))).Scan(ctx)
	return u, notFound(err, "账户")
}

// FindUserByStaffID returns the account bound to a staff record.
func (s *Store) FindUserByStaffID(ctx context.Context, staffID int64) (*User, error) {
	u := new(User)
	err := s.db.NewSelect().Model(u).Where("u.staff_id = ?", staffID).Scan(ctx)
	return u, notFound(err, "账户")
}

// CreateUser opens an account that is not bound to staff (operators, integrations).
func (s *Store) CreateUser(ctx context.Context, actor int64, u *User, password string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if err := ValidatePassword(password); err != nil {
		return err
	}
	hash, err := HashPassword(ctx, password)
	if err != nil {
		return err
	}
	u.PasswordHash, u.Active = hash, true
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.insertUser(ctx, tx, u); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "user.create", "user", u.ID, nil, map[string]string{"username": u.Username})
	})
}

func (s *Store) insertUser(ctx context.Context, tx bun.IDB, u *User) error {
	u.CreatedAt, u.UpdatedAt = s.now(), s.now()
	if _, err := tx.NewInsert().Model(u).Returning("id").Exec(ctx); err != nil {
		if db.IsUniqueViolation(err) {
			return web.Errorf(web.ECONFLICT, "用户名 %s 已被使用", u.Username)
		}
		return err
	}
	return nil
}

// SetPassword replaces an account's password. With mustChange the user must pick a new
// one at next login (a reset by HR or an operator). Every session of the account ends and
// every API token it holds is revoked; it returns how many tokens were.
func (s *Store) SetPassword(ctx context.Context, actor, userID int64, password string, mustChange bool) (int, error) {
	if err := ValidatePassword(password); err != nil {
		return 0, err
	}
	hash, err := HashPassword(ctx, password)
	if err != nil {
		return 0, err
	}
	var revoked int
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*User)(nil)).Set("password_hash = ?", hash).
			Set("must_change_password = ?", mustChange).Set("updated_at = ?", s.now()).
			Where("id = ?", userID).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return web.Errorf(web.ENOTFOUND, "账户不存在")
		}
		reason := "password.change"
		if actor != userID {
			reason = "password.reset" // by HR, an admin or the command line
		}
		if revoked, err = s.endAccess(ctx, tx, actor, userID, reason); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "user.password", "user", userID, nil,
			map[string]any{"reset": mustChange, "tokens_revoked": revoked})
	})
	return revoked, err
}

// FindGrants lists a user's grants with the unit names.
func (s *Store) FindGrants(ctx context.Context, userID int64) ([]*Grant, error) {
	var out []*Grant
	err := s.db.NewSelect().Model(&out).ColumnExpr("g.*").
		ColumnExpr("o.name AS org_name, o.path AS org_path").
		Join("JOIN org_units AS o ON o.id = g.org_id").
		Where("g.user_id = ?", userID).OrderExpr("o.path, g.role").Scan(ctx)
	return out, err
}

// FindGrantByID returns one grant with its unit's path.
func (s *Store) FindGrantByID(ctx context.Context, id int64) (*Grant, error) {
	g := new(Grant)
	err := s.db.NewSelect().Model(g).ColumnExpr("g.*").
		ColumnExpr("o.name AS org_name, o.path AS org_path").
		Join("JOIN org_units AS o ON o.id = g.org_id").Where("g.id = ?", id).Scan(ctx)
	return g, notFound(err, "授权")
}

// AddGrant gives a role at a unit. Granting what is already held is a no-op.
func (s *Store) AddGrant(ctx context.Context, actor int64, g *Grant) error {
	if err := g.Validate(); err != nil {
		return err
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := findOrg(ctx, tx, g.OrgID); err != nil {
			return err
		}
		if err := s.insertGrant(ctx, tx, actor, g); err != nil {
			return err
		}
		return grantsChanged(ctx, tx, g.UserID)
	})
	if err != nil {
		return err
	}
	return s.enf.reloadUser(ctx, s.db, g.UserID)
}

func (s *Store) insertGrant(ctx context.Context, tx bun.IDB, actor int64, g *Grant) error {
	g.CreatedAt = s.now()
	if actor != 0 {
		g.GrantedBy = &actor
	}
	_, err := tx.NewInsert().Model(g).On("CONFLICT (user_id, role, org_id) DO NOTHING").Exec(ctx)
	if err != nil {
		return err
	}
	return s.audit(ctx, tx, actor, "grant.add", "user", g.UserID, &g.OrgID, map[string]string{"role": g.Role})
}

// RemoveGrant takes a grant away.
func (s *Store) RemoveGrant(ctx context.Context, actor int64, g *Grant) error {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model(g).WherePK().Exec(ctx); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, actor, "grant.remove", "user", g.UserID, &g.OrgID, map[string]string{"role": g.Role}); err != nil {
			return err
		}
		return grantsChanged(ctx, tx, g.UserID)
	})
	if err != nil {
		return err
	}
	return s.enf.reloadUser(ctx, s.db, g.UserID)
}
