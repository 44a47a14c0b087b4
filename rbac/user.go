package rbac

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
)

// Role names. A role is granted at an org unit and covers its whole subtree.
const (
	RoleTrainee = "trainee"
	RoleTrainer = "trainer"
	RoleHR      = "hr"
	RoleAdmin   = "admin"
)

// Roles lists every role in display order.
var Roles = []string{RoleTrainee, RoleTrainer, RoleHR, RoleAdmin}

var roleLabels = map[string]string{
	RoleTrainee: "综窗人员", RoleTrainer: "培训师", RoleHR: "人事管理", RoleAdmin: "系统管理员",
}

// RoleLabel is a role's display name.
func RoleLabel(role string) string { return roleLabels[role] }

// User is a login account, usually bound to a staff record.
type User struct {
	bun.BaseModel `bun:"table:users,alias:u"`

	ID                 int64      `bun:"id,pk,autoincrement" json:"id"`
	Username           string     `bun:"username" json:"username"`
	DisplayName        string     `bun:"display_name" json:"display_name"`
	PasswordHash       string     `bun:"password_hash" json:"-"`
	StaffID            *int64     `bun:"staff_id" json:"staff_id"`
	Active             bool       `bun:"active" json:"active"`
	MustChangePassword bool       `bun:"must_change_password" json:"must_change_password"`
	LastLoginAt        *time.Time `bun:"last_login_at" json:"last_login_at"`
	CreatedAt          time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt          time.Time  `bun:"updated_at" json:"updated_at"`
}

var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// Validate checks and normalises the account fields.
func (u *User) Validate() error {
	f := map[string]string{}
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	if !usernameRe.MatchString(u.Username) {
		f["username"] = "用户名须为2至32位小写字母、数字、点、连字符或下划线"
	}
	if n := utf8.RuneCountInString(u.DisplayName); n < 1 || n > 50 {
		f["display_name"] = "显示名称须为1至50个字"
	}
	return web.Invalid(f)
}

// Grant gives a user a role at an org unit and so over its subtree.
type Grant struct {
	bun.BaseModel `bun:"table:grants,alias:g"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	UserID    int64     `bun:"user_id" json:"user_id"`
	Role      string    `bun:"role" json:"role"`
	OrgID     int64     `bun:"org_id" json:"org_id"`
	GrantedBy *int64    `bun:"granted_by" json:"granted_by,omitempty"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`

	OrgName string `bun:"org_name,scanonly" json:"org_name,omitempty"`
	OrgPath string `bun:"org_path,scanonly" json:"-"`
}

// RoleLabel is the granted role's display name.
func (g *Grant) RoleLabel() string { return RoleLabel(g.Role) }

// Validate checks the role name.
func (g *Grant) Validate() error {
	if RoleLabel(g.Role) == "" {
		return web.Invalid(map[string]string{"role": "角色须为 trainee、trainer、hr 或 admin"})
	}
	if g.UserID <= 0 || g.OrgID <= 0 {
		return web.Invalid(map[string]string{"org_id": "请指定授权的账户和机构"})
	}
	return nil
}
