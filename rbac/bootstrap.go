package rbac

import (
	"context"

	"github.com/uptrace/bun"
)

// Bootstrap makes a store usable on first start: when there is no account at all it
// creates the root unit (if missing) and an admin granted there. It returns the password
// to print, "" when nothing was created.
func (s *Store) Bootstrap(ctx context.Context, rootName, password string) (string, error) {
	n, err := s.db.NewSelect().Model((*User)(nil)).Count(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	generated := password == ""
	if generated {
		password = RandomPassword()
	}
	if err := ValidatePassword(password); err != nil {
		return "", err
	}
	hash, err := HashPassword(ctx, password)
	if err != nil {
		return "", err
	}
	u := &User{Username: "admin", DisplayName: "系统管理员", PasswordHash: hash, Active: true, MustChangePassword: generated}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		root, err := s.ensureRoot(ctx, tx, rootName)
		if err != nil {
			return err
		}
		if err := s.insertUser(ctx, tx, u); err != nil {
			return err
		}
		if err := s.insertGrant(ctx, tx, 0, &Grant{UserID: u.ID, Role: RoleAdmin, OrgID: root.ID}); err != nil {
			return err
		}
		return grantsChanged(ctx, tx, u.ID)
	})
	if err != nil {
		return "", err
	}
	return password, s.enf.reloadUser(ctx, s.db, u.ID)
}

func (s *Store) ensureRoot(ctx context.Context, tx bun.IDB, name string) (*OrgUnit, error) {
	root := new(OrgUnit)
	err := tx.NewSelect().Model(root).Where("o.parent_id IS NULL").OrderExpr("o.id").Limit(1).Scan(ctx)
	if err == nil {
		return root, nil
	}
	root = &OrgUnit{Tier: TierCounty, Code: "ROOT", Name: name}
	if err := root.Validate(); err != nil {
		return nil, err
	}
	return root, s.createOrg(ctx, tx, 0, root)
}
