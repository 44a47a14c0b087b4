package pay

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
)

// CreatePolicy stores p as the next version of its unit's policy from its day on, and
// audits it. Earlier versions stay, so a past period can be recomputed as it stood.
func (s *Store) CreatePolicy(ctx context.Context, actor int64, p *Policy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if _, err := s.FindUnit(ctx, p.OrgID); err != nil {
		return web.Invalid(map[string]string{"org_id": "机构不存在"})
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var last sql.NullInt64
		err := tx.NewSelect().Table("pay_policies").ColumnExpr("MAX(version)").
			Where("org_id = ? AND effective_from = ?", p.OrgID, p.EffectiveFrom).Scan(ctx, &last)
		if err != nil {
			return err
		}
		p.ID, p.Version, p.CreatedAt = 0, int(last.Int64)+1, s.now()
		if actor != 0 {
			p.CreatedBy = &actor
		}
		if _, err := tx.NewInsert().Model(p).Exec(ctx); err != nil {
			return err
		}
		detail := map[string]any{"effective_from": p.EffectiveFrom.String(), "version": p.Version, "rules": p.Rules, "note": p.Note}
		return s.audit(ctx, tx, actor, "pay.policy.create", "pay_policy", p.ID, p.OrgID, detail)
	})
}

// FindPolicies lists every version of the unit's own policies, newest first.
func (s *Store) FindPolicies(ctx context.Context, orgID int64) ([]*Policy, error) {
	var list []*Policy
	err := s.policyQuery(&list).Where("p.org_id = ?", orgID).
		OrderExpr("p.effective_from DESC, p.version DESC").Limit(200).Scan(ctx)
	return list, err
}

func (s *Store) policyQuery(dst any) *bun.SelectQuery {
	return s.db.NewSelect().Model(dst).ColumnExpr("p.*").
		ColumnExpr("o.name AS org_name, o.path AS org_path").Join("JOIN org_units AS o ON o.id = p.org_id")
}

// Resolver answers the policy in force on one day for any unit: the unit's own latest
// version on or before the day, else its nearest ancestor's.
type Resolver struct {
	byPath map[string]*Policy
	cache  map[string]*Policy
}

// PolicyResolver loads the policies in force on day (the latest version of each unit).
func (s *Store) PolicyResolver(ctx context.Context, day time.Time) (*Resolver, error) {
	var list []*Policy
	err := s.policyQuery(&list).Where("p.effective_from <= ?", day.Format(time.DateOnly)).
		OrderExpr("p.effective_from, p.version").Scan(ctx)
	r := &Resolver{byPath: map[string]*Policy{}, cache: map[string]*Policy{}}
	for _, p := range list {
		r.byPath[p.OrgPath] = p // later rows win: the newest day, then the newest version
	}
	return r, err
}

// For returns the policy in force for the unit with path, nil when no unit on the way
// to the root has one.
func (r *Resolver) For(path string) *Policy {
	if p, ok := r.cache[path]; ok {
		return p
	}
	var found *Policy
	for end := len(path); end > 0; end = strings.LastIndex(path[:end-1], "/") + 1 {
		if p := r.byPath[path[:end]]; p != nil {
			found = p
			break
		}
	}
	r.cache[path] = found
	return found
}

// PolicyInForce returns the policy that governs the unit with path on day.
func (s *Store) PolicyInForce(ctx context.Context, path string, day time.Time) (*Policy, error) {
	r, err := s.PolicyResolver(ctx, day)
	if err != nil {
		return nil, err
	}
	return r.For(path), nil
}
