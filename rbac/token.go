package rbac

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
)

const apiTokenPrefix = "ck_"

// APIToken is a long-lived bearer credential for an integration, bound to an account.
type APIToken struct {
	bun.BaseModel `bun:"table:api_tokens,alias:t"`

	ID         int64      `bun:"id,pk,autoincrement" json:"id"`
	UserID     int64      `bun:"user_id" json:"user_id"`
	Name       string     `bun:"name" json:"name"`
	TokenHash  string     `bun:"token_hash" json:"-"`
	CreatedAt  time.Time  `bun:"created_at" json:"created_at"`
	LastUsedAt *time.Time `bun:"last_used_at" json:"last_used_at"`
	ExpiresAt  *time.Time `bun:"expires_at" json:"expires_at"`
	RevokedAt  *time.Time `bun:"revoked_at" json:"revoked_at"`
}

// CreateAPIToken issues a token for an account; the clear text is returned once.
func (s *Store) CreateAPIToken(ctx context.Context, actor, userID int64, name string, ttl time.Duration) (string, error) {
	if name == "" {
		return "", web.Invalid(map[string]string{"name": "请为令牌命名"})
	}
	token := apiTokenPrefix + randomToken(32)
	t := &APIToken{UserID: userID, Name: name, TokenHash: hashToken(token), CreatedAt: s.now()}
	if ttl > 0 {
		exp := s.now().Add(ttl)
		t.ExpiresAt = &exp
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(t).Returning("id").Exec(ctx); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "token.create", "user", userID, nil, map[string]string{"name": name})
	})
	return token, err
}

// RevokeAPIToken ends a token at once.
func (s *Store) RevokeAPIToken(ctx context.Context, actor, id int64) error {
	res, err := s.db.NewUpdate().Model((*APIToken)(nil)).Set("revoked_at = ?", s.now()).
		Where("id = ? AND revoked_at IS NULL", id).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return web.Errorf(web.ENOTFOUND, "令牌不存在或已撤销")
	}
	return nil
}

// endAccess ends every session of the account and revokes its live API tokens inside tx,
// auditing how many tokens went, and returns that count. A password change, a reset and a
// deactivation all call it: whatever was issued on the strength of the old password or
// the old standing stops working. Tokens are read from the database on every request;
// sessions kept by an instance (session_cache.go) are dropped here at once and on the
// other instances when the notice sent at commit reaches them.
func (s *Store) endAccess(ctx context.Context, tx bun.IDB, actor, userID int64, reason string) (int, error) {
	s.sessions.dropUser(userID)
	if _, err := tx.NewDelete().Model((*Session)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
		return 0, err
	}
	if err := grantsChanged(ctx, tx, userID); err != nil { // other instances drop the sessions they keep
		return 0, err
	}
	now := s.now()
	res, err := tx.NewUpdate().Model((*APIToken)(nil)).Set("revoked_at = ?", now).
		Where("user_id = ? AND revoked_at IS NULL", userID).
		Where("expires_at IS NULL OR expires_at > ?", now).Exec(ctx)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return 0, err
	}
	return int(n), s.audit(ctx, tx, actor, "token.revoke", "user", userID, nil,
		map[string]any{"count": n, "reason": reason})
}

func (s *Store) authenticateAPIToken(ctx context.Context, token string) (*Principal, error) {
	t := new(APIToken)
	err := s.db.NewSelect().Model(t).Where("token_hash = ? AND revoked_at IS NULL", hashToken(token)).Scan(ctx)
	if err != nil {
		return nil, unauthorized(err)
	}
	now := s.now()
	if t.ExpiresAt != nil && now.After(*t.ExpiresAt) {
		return nil, web.Errorf(web.EUNAUTH, "令牌已过期")
	}
	u, err := s.FindUserByID(ctx, t.UserID)
	if err != nil || !u.Active {
		return nil, web.Errorf(web.EUNAUTH, "账户已停用")
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		_, _ = s.db.NewUpdate().Model(t).Set("last_used_at = ?", now).WherePK().Exec(ctx)
	}
	return &Principal{User: u, Roles: s.enf.Roles(u.ID)}, nil
}
