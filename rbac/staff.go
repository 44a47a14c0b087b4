package rbac

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
)

// EmploymentType is how a clerk is employed; many are not civil servants.
type EmploymentType string

// The employment types HR records.
const (
	EmployEstablished    EmploymentType = "established"     // 编内
	EmployNonEstablished EmploymentType = "non_established" // 编外
	EmploySeconded       EmploymentType = "seconded"        // 派驻
	EmployDispatched     EmploymentType = "dispatched"      // 劳务派遣
)

// EmploymentTypes lists the types in display order.
var EmploymentTypes = []EmploymentType{EmployEstablished, EmployNonEstablished, EmploySeconded, EmployDispatched}

var employmentLabels = map[EmploymentType]string{
	EmployEstablished: "编内", EmployNonEstablished: "编外", EmploySeconded: "派驻", EmployDispatched: "劳务派遣",
}

// Label is the type's name as users see it.
func (t EmploymentType) Label() string { return employmentLabels[t] }

// EducationLevels are the choices offered for 学历; free text is refused.
var EducationLevels = []string{"初中及以下", "高中/中专", "大专", "本科", "硕士研究生", "博士研究生"}

// Staff is a person on an org unit's roster.
type Staff struct {
	bun.BaseModel `bun:"table:staff,alias:s"`

	ID             int64          `bun:"id,pk,autoincrement" json:"id"`
	EmpNo          string         `bun:"emp_no" json:"emp_no"`
	Name           string         `bun:"name" json:"name"`
	IDNumber       *string        `bun:"id_number" json:"id_number"`
	Phone          string         `bun:"phone" json:"phone"`
	OrgID          int64          `bun:"org_id" json:"org_id"`
	Position       string         `bun:"position" json:"position"`
	EmploymentType EmploymentType `bun:"employment_type" json:"employment_type"`
	HireDate       *Date          `bun:"hire_date,type:date" json:"hire_date"`
	Education      string         `bun:"education" json:"education"`
	Active         bool           `bun:"active" json:"active"`
	CreatedAt      time.Time      `bun:"created_at" json:"created_at"`
	UpdatedAt      time.Time      `bun:"updated_at" json:"updated_at"`

	Org *OrgUnit `bun:"rel:belongs-to,join:org_id=id" json:"org,omitempty"`
}

var (
	empNoRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)
	phoneRe = regexp.MustCompile(`^[0-9+][0-9-]{6,19}$`)
)

// Validate checks and normalises the fields HR supplies.
func (s *Staff) Validate() error {
	f := map[string]string{}
	s.EmpNo, s.Name, s.Phone = strings.TrimSpace(s.EmpNo), strings.TrimSpace(s.Name), strings.TrimSpace(s.Phone)
	s.Position = strings.TrimSpace(s.Position)
	if !empNoRe.MatchString(s.EmpNo) {
		f["emp_no"] = "工号须为1至32位字母、数字、连字符或下划线"
	}
	if n := utf8.RuneCountInString(s.Name); n < 2 || n > 30 {
		f["name"] = "姓名须为2至30个字"
	}
	s.validateIDNumber(f)
	if s.Phone != "" && !phoneRe.MatchString(s.Phone) {
		f["phone"] = "电话号码格式不正确"
	}
	if s.OrgID <= 0 {
		f["org_id"] = "请选择所属机构"
	}
	if s.EmploymentType.Label() == "" {
		f["employment_type"] = "请选择用工性质（编内、编外、派驻、劳务派遣）"
	}
	if s.Education != "" && !contains(EducationLevels, s.Education) {
		f["education"] = "学历须为：" + strings.Join(EducationLevels, "、")
	}
	if utf8.RuneCountInString(s.Position) > 50 {
		f["position"] = "岗位不超过50字"
	}
	return web.Invalid(f)
}

func (s *Staff) validateIDNumber(f map[string]string) {
	if s.IDNumber == nil {
		return
	}
	v := strings.ToUpper(strings.TrimSpace(*s.IDNumber))
	if v == "" {
		s.IDNumber = nil
		return
	}
	s.IDNumber = &v
	if !ValidIDNumber(v) {
		f["id_number"] = "身份证号码无效（须为18位，校验位正确）"
	}
}

// ValidIDNumber checks an 18-digit resident ID: digits, a real birth date and the
// GB 11643-1999 check character.
func ValidIDNumber(id string) bool {
	if len(id) != 18 {
		return false
	}
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
		sum += int(id[i]-'0') * weights[i]
	}
	if _, err := time.Parse("20060102", id[6:14]); err != nil {
		return false
	}
	return id[17] == "10X98765432"[sum%11]
}

// MaskedIDNumber shows only the first three and last four characters.
func (s *Staff) MaskedIDNumber() string {
	if s.IDNumber == nil {
		return ""
	}
	return MaskID(*s.IDNumber)
}

// MaskID masks a national ID number for display to those not allowed to see it whole.
func MaskID(v string) string {
	if len(v) < 8 {
		return strings.Repeat("*", len(v))
	}
	return v[:3] + strings.Repeat("*", len(v)-7) + v[len(v)-4:]
}

// WithMaskedID returns a copy whose ID number is masked, for viewers without the right.
func (s *Staff) WithMaskedID() *Staff {
	c := *s
	if s.IDNumber != nil {
		m := MaskID(*s.IDNumber)
		c.IDNumber = &m
	}
	return &c
}

// EmploymentLabel is the employment type's display name.
func (s *Staff) EmploymentLabel() string { return s.EmploymentType.Label() }

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
