package rbac

import (
	"context"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
	"github.com/uptrace/bun"
)

//go:embed model.conf
var modelText string

//go:embed policy.csv
var policyText string

// Enforcer answers "may user U do act on obj at org path P" with casbin RBAC with domains.
// Grants are casbin grouping rules (user, role, org path) loaded from the grants table by
// grantAdapter; role permissions come from the embedded policy.csv.
//
// Beside casbin it keeps each user's grants by user id, so a check consults only the
// caller's own grants (one casbin call per grant that covers the target) instead of
// scanning every grant in the system.
type Enforcer struct {
	e *casbin.SyncedEnforcer

	// reloading serialises reloads, each reading the database and then applying: the
	// last to finish began after the last change it was told of, so it is never stale.
	reloading sync.Mutex

	mu     sync.RWMutex
	grants map[int64][]grantRule
}

// grantRule is one grant as casbin holds it: a role at an org path.
type grantRule struct{ role, path string }

func newEnforcer(db *bun.DB) (*Enforcer, error) {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("casbin model: %w", err)
	}
	e, err := casbin.NewSyncedEnforcer(m, &grantAdapter{db: db})
	if err != nil {
		return nil, fmt.Errorf("casbin enforcer: %w", err)
	}
	e.EnableAutoSave(false) // grants are written by Store inside its transactions
	en := &Enforcer{e: e}
	return en, en.index()
}

// index rebuilds the per-user grant index from the rules casbin holds.
func (en *Enforcer) index() error {
	rules, err := en.e.GetGroupingPolicy()
	if err != nil {
		return err
	}
	idx := make(map[int64][]grantRule, len(rules))
	for _, r := range rules {
		id, err := strconv.ParseInt(strings.TrimPrefix(r[0], "u:"), 10, 64)
		if err != nil {
			return fmt.Errorf("grant subject %q: %w", r[0], err)
		}
		idx[id] = append(idx[id], grantRule{r[1], r[2]})
	}
	en.mu.Lock()
	en.grants = idx
	en.mu.Unlock()
	return nil
}

func subject(userID int64) string { return "u:" + strconv.FormatInt(userID, 10) }

// Allowed reports whether the user may do act on obj for something at orgPath: true when a
// grant at orgPath or any ancestor carries a role with that permission.
func (en *Enforcer) Allowed(userID int64, orgPath, obj, act string) bool {
	sub := subject(userID)
	for _, g := range en.grantsOf(userID) {
		if !strings.HasPrefix(orgPath, g.path) {
			continue
		}
		if ok, err := en.e.Enforce(sub, g.path, obj, act); err == nil && ok {
			return true
		}
	}
	return false
}

// Scope returns the subtrees in which the user may do act on obj.
func (en *Enforcer) Scope(userID int64, obj, act string) Scope {
	var s Scope
	for _, g := range en.grantsOf(userID) {
		if ok, _ := en.e.Enforce(subject(userID), g.path, obj, act); ok {
			s = append(s, g.path)
		}
	}
	return s.minimal()
}

// Roles returns the distinct roles the user holds anywhere.
func (en *Enforcer) Roles(userID int64) []string {
	var out []string
	for _, g := range en.grantsOf(userID) {
		if !contains(out, g.role) {
			out = append(out, g.role)
		}
	}
	return out
}

func (en *Enforcer) grantsOf(userID int64) []grantRule {
	en.mu.RLock()
	defer en.mu.RUnlock()
	return en.grants[userID]
}

// reloadUser replaces the user's grouping rules with the grants now in the database,
// touching only that user's rules in casbin.
func (en *Enforcer) reloadUser(ctx context.Context, db bun.IDB, userID int64) error {
	en.reloading.Lock()
	defer en.reloading.Unlock()
	rules, err := loadGrantRules(ctx, db, &userID)
	if err != nil {
		return err
	}
	en.mu.Lock()
	defer en.mu.Unlock()
	if old := en.grants[userID]; len(old) > 0 {
		if _, err := en.e.RemoveGroupingPolicies(asRules(userID, old)); err != nil {
			return err
		}
	}
	fresh := make([]grantRule, len(rules))
	for i, r := range rules {
		fresh[i] = grantRule{r[1], r[2]}
	}
	if len(rules) > 0 {
		if _, err := en.e.AddGroupingPolicies(rules); err != nil {
			return err
		}
	}
	en.grants[userID] = fresh
	return nil
}

func asRules(userID int64, gs []grantRule) [][]string {
	out := make([][]string, len(gs))
	for i, g := range gs {
		out[i] = []string{subject(userID), g.role, g.path}
	}
	return out
}

// Reload reads every grant again, e.g. after another instance changed them.
func (en *Enforcer) Reload() error {
	en.reloading.Lock()
	defer en.reloading.Unlock()
	if err := en.e.LoadPolicy(); err != nil {
		return err
	}
	return en.index()
}

func loadGrantRules(ctx context.Context, db bun.IDB, userID *int64) ([][]string, error) {
	var rows []struct {
		UserID int64  `bun:"user_id"`
		Role   string `bun:"role"`
		Path   string `bun:"path"`
	}
	q := db.NewSelect().TableExpr("grants AS g").Join("JOIN org_units AS o ON o.id = g.org_id").
		Column("g.user_id", "g.role").ColumnExpr("o.path").
		Join("JOIN users AS u ON u.id = g.user_id").Where("u.active = ?", true)
	if userID != nil {
		q = q.Where("g.user_id = ?", *userID)
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("load grants: %w", err)
	}
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{subject(r.UserID), r.Role, r.Path}
	}
	return out, nil
}

// grantAdapter is our small bun adapter: policy lines from policy.csv, grouping lines from
// the grants table. It only loads; grants are written by Store in the same transaction as
// the change that needs them, then the enforcer is updated with reloadUser.
type grantAdapter struct{ db *bun.DB }

func (a *grantAdapter) LoadPolicy(m model.Model) error {
	for _, line := range strings.Split(policyText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := persist.LoadPolicyLine(line, m); err != nil {
			return err
		}
	}
	rules, err := loadGrantRules(context.Background(), a.db, nil)
	if err != nil {
		return err
	}
	for _, r := range rules {
		if err := persist.LoadPolicyArray(append([]string{"g"}, r...), m); err != nil {
			return err
		}
	}
	return nil
}

var errReadOnly = fmt.Errorf("grants are written through rbac.Store, not the casbin adapter")

func (a *grantAdapter) SavePolicy(model.Model) error                              { return errReadOnly }
func (a *grantAdapter) AddPolicy(string, string, []string) error                  { return errReadOnly }
func (a *grantAdapter) RemovePolicy(string, string, []string) error               { return errReadOnly }
func (a *grantAdapter) RemoveFilteredPolicy(string, string, int, ...string) error { return errReadOnly }
