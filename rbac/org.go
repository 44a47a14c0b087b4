// Package rbac owns people and places: the org tree, staff, accounts, role grants, sessions
// and the casbin enforcement that scopes every request to a subtree of the org tree.
package rbac

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
)

// Tier is the level of an org unit in the three-tier system and the offices above it.
type Tier string

// The tiers, from the top of the tree down.
const (
	TierProvince Tier = "province"
	TierCity     Tier = "city"
	TierCounty   Tier = "county"
	TierTownship Tier = "township"
	TierVillage  Tier = "village"
)

// Tiers lists every tier from the top down.
var Tiers = []Tier{TierProvince, TierCity, TierCounty, TierTownship, TierVillage}

var tierLabels = map[Tier]string{
	TierProvince: "省级政务服务管理机构",
	TierCity:     "市级政务服务管理机构",
	TierCounty:   "县级政务服务中心",
	TierTownship: "乡镇（街道）便民服务中心",
	TierVillage:  "村（社区）便民服务站",
}

// Label is the tier's name as users see it.
func (t Tier) Label() string { return tierLabels[t] }

// Rank orders tiers: 1 for province, 5 for village; 0 for an unknown tier.
func (t Tier) Rank() int {
	for i, x := range Tiers {
		if x == t {
			return i + 1
		}
	}
	return 0
}

// OrgUnit is one office in the tree. Path lists the ids from the root, as "/1/7/42/", so a
// subtree is one index range scan.
type OrgUnit struct {
	bun.BaseModel `bun:"table:org_units,alias:o"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	ParentID  *int64    `bun:"parent_id" json:"parent_id"`
	Tier      Tier      `bun:"tier" json:"tier"`
	Code      string    `bun:"code" json:"code"`
	Name      string    `bun:"name" json:"name"`
	Path      string    `bun:"path" json:"path"`
	Depth     int       `bun:"depth" json:"depth"`
	Active    bool      `bun:"active" json:"active"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt time.Time `bun:"updated_at" json:"updated_at"`

	// StaffCount is filled by listings that ask for it.
	StaffCount int `bun:"staff_count,scanonly" json:"staff_count,omitempty"`
}

// TierLabel is the tier's display name.
func (o *OrgUnit) TierLabel() string { return o.Tier.Label() }

// Validate checks the fields a user supplies.
func (o *OrgUnit) Validate() error {
	f := map[string]string{}
	o.Name = strings.TrimSpace(o.Name)
	o.Code = strings.TrimSpace(o.Code)
	if o.Name == "" || utf8.RuneCountInString(o.Name) > 100 {
		f["name"] = "名称不能为空，且不超过100字"
	}
	if o.Code == "" || len(o.Code) > 40 || strings.ContainsAny(o.Code, " /\t") {
		f["code"] = "机构代码不能为空，不超过40个字符，且不含空格或斜杠"
	}
	if o.Tier.Rank() == 0 {
		f["tier"] = "层级无效"
	}
	return web.Invalid(f)
}

// validateParent checks that o may sit under parent (nil for a root).
func (o *OrgUnit) validateParent(parent *OrgUnit) error {
	if parent == nil {
		return nil
	}
	if o.Tier.Rank() <= parent.Tier.Rank() {
		return web.Invalid(map[string]string{"tier": "下级机构的层级必须低于上级机构（" + parent.Tier.Label() + "）"})
	}
	return nil
}

// pathOf builds the path of a unit with id under parentPath ("/" for a root).
func pathOf(parentPath string, id int64) string {
	return parentPath + strconv.FormatInt(id, 10) + "/"
}

// Scope is the set of subtrees, by path, that a grant covers.
type Scope []string

// Covers reports whether path lies in one of the subtrees.
func (s Scope) Covers(path string) bool {
	for _, p := range s {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// Empty reports whether the scope covers nothing.
func (s Scope) Empty() bool { return len(s) == 0 }

// TopID is the id of the unit at the head of the first subtree (a path ends in its
// unit's id), 0 for an empty scope.
func (s Scope) TopID() int64 {
	if s.Empty() {
		return 0
	}
	parts := strings.Split(strings.Trim(s[0], "/"), "/")
	id, _ := strconv.ParseInt(parts[len(parts)-1], 10, 64)
	return id
}

// minimal drops subtrees already inside another subtree of the scope.
func (s Scope) minimal() Scope {
	var out Scope
	for _, p := range s {
		if !Scope(out).Covers(p) {
			out = append(out.without(p), p)
		}
	}
	return out
}

func (s Scope) without(ancestor string) Scope {
	out := s[:0:0]
	for _, p := range s {
		if !strings.HasPrefix(p, ancestor) {
			out = append(out, p)
		}
	}
	return out
}

// Where limits q to rows whose org path (column col) lies in the scope. An empty scope
// matches nothing.
func (s Scope) Where(q *bun.SelectQuery, col string) *bun.SelectQuery {
	if s.Empty() {
		return q.Where("1 = 0")
	}
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		for _, p := range s {
			q = q.WhereOr("? >= ? AND ? < ?", bun.Ident(col), p, bun.Ident(col), pathUpper(p))
		}
		return q
	})
}

// pathUpper is the least string above every path that starts with p (p ends in '/').
func pathUpper(p string) string { return p[:len(p)-1] + "0" }

// ancestors lists path and every ancestor path, nearest first.
func ancestors(path string) []string {
	var out []string
	for p := path; len(p) > 1; {
		out = append(out, p)
		i := strings.LastIndexByte(p[:len(p)-1], '/')
		p = p[:i+1]
	}
	return out
}
