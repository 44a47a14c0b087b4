package sheets

import (
	"context"
	"database/sql"
	"io"

	"github.com/uptrace/bun"

	"clerkskill/exports"
	"clerkskill/rbac"
)

// Roster workbook layout: one sheet 花名册, one person per row. The import template is
// the same sheet, so an export can be edited and uploaded again.
const SheetRoster = "花名册"

// Roster columns, in order.
const (
	rcEmpNo = iota
	rcName
	rcIDNumber
	rcPhone
	rcOrgCode
	rcOrgName
	rcPosition
	rcEmployment
	rcHireDate
	rcEducation
	rcActive
)

// RosterColumns is the roster's header with column widths.
var RosterColumns = []exports.Column{
	{Header: "工号", Width: 12}, {Header: "姓名", Width: 10}, {Header: "身份证号", Width: 21},
	{Header: "电话", Width: 14}, {Header: "机构代码", Width: 12}, {Header: "所属机构", Width: 26},
	{Header: "岗位", Width: 16}, {Header: "用工性质", Width: 10}, {Header: "入职日期", Width: 12},
	{Header: "学历", Width: 12}, {Header: "在岗", Width: 6},
}

// Person is one roster row with the unit's code, name and path.
type Person struct {
	ID             int64               `bun:"id"`
	EmpNo          string              `bun:"emp_no"`
	Name           string              `bun:"name"`
	IDNumber       sql.NullString      `bun:"id_number"`
	Phone          string              `bun:"phone"`
	Position       string              `bun:"position"`
	EmploymentType rbac.EmploymentType `bun:"employment_type"`
	HireDate       *rbac.Date          `bun:"hire_date"`
	Education      string              `bun:"education"`
	Active         bool                `bun:"active"`
	OrgID          int64               `bun:"org_id"`
	OrgCode        string              `bun:"org_code"`
	OrgName        string              `bun:"org_name"`
	OrgPath        string              `bun:"org_path"`
	UserID         sql.NullInt64       `bun:"user_id"`
}

// personQuery selects people with their unit and account within scope, by unit and 工号.
func (s *Store) personQuery(scope rbac.Scope) *bun.SelectQuery {
	q := s.db.NewSelect().TableExpr("staff AS s").Join("JOIN org_units AS o ON o.id = s.org_id").
		Join("LEFT JOIN users AS u ON u.staff_id = s.id").
		ColumnExpr("s.id, s.emp_no, s.name, s.id_number, s.phone, s.position, s.employment_type, s.hire_date").
		ColumnExpr("s.education, s.active, s.org_id, o.code AS org_code, o.name AS org_name, o.path AS org_path").
		ColumnExpr("u.id AS user_id").OrderExpr("o.path, s.emp_no")
	return scope.Where(q, "o.path")
}

// CountPeople counts the roster rows within scope.
func (s *Store) CountPeople(ctx context.Context, scope rbac.Scope) (int, error) {
	q := s.db.NewSelect().TableExpr("staff AS s").Join("JOIN org_units AS o ON o.id = s.org_id")
	n, err := scope.Where(q, "o.path").Count(ctx)
	return int(n), err
}

// EachPerson streams the roster within scope to fn, row by row, never holding it whole.
func (s *Store) EachPerson(ctx context.Context, scope rbac.Scope, fn func(*Person) error) error {
	rows, err := s.personQuery(scope).Rows(ctx)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		p := new(Person)
		if err := s.db.ScanRow(ctx, rows, p); err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Progress is told how many rows of how many are written.
type Progress func(done, total int)

func (p Progress) report(done, total int) {
	if p != nil && (done%500 == 0 || done == total) {
		p(done, total)
	}
}

// WriteRoster writes the roster within scope to w, IDs shown as ids allows.
func (s *Store) WriteRoster(ctx context.Context, w io.Writer, scope rbac.Scope, ids exports.IDView, progress Progress) (int, error) {
	total, err := s.CountPeople(ctx, scope)
	if err != nil {
		return 0, err
	}
	b, sh, err := newSheetBook(SheetRoster, RosterColumns, exports.Layout{Landscape: true})
	if err != nil {
		return 0, err
	}
	defer b.Close()
	err = s.EachPerson(ctx, scope, func(p *Person) error {
		progress.report(sh.Rows()+1, total)
		return sh.Row(rosterRow(p, ids)...)
	})
	if err != nil {
		return 0, err
	}
	return sh.Rows(), b.Write(w)
}

func rosterRow(p *Person, ids exports.IDView) []any {
	active := "是"
	if !p.Active {
		active = "否"
	}
	return []any{p.EmpNo, p.Name, ids.Show(p.OrgPath, p.IDNumber.String), p.Phone, p.OrgCode, p.OrgName,
		p.Position, p.EmploymentType.Label(), dateCell(p.HireDate), p.Education, active}
}

func dateCell(d *rbac.Date) any {
	if d == nil {
		return nil
	}
	return d.String()
}

// newSheetBook starts a workbook with one sheet.
func newSheetBook(name string, cols []exports.Column, lay exports.Layout) (*exports.Book, *exports.Sheet, error) {
	b, err := exports.NewBook()
	if err != nil {
		return nil, nil, err
	}
	sh, err := b.Sheet(name, cols, lay)
	if err != nil {
		b.Close()
		return nil, nil, err
	}
	return b, sh, nil
}

// WriteRosterTemplate writes the empty import template with a 填写说明 sheet.
func WriteRosterTemplate(w io.Writer) error {
	b, _, err := newSheetBook(SheetRoster, RosterColumns, exports.Layout{Landscape: true})
	if err != nil {
		return err
	}
	defer b.Close()
	g, err := b.Sheet("填写说明", []exports.Column{{Header: "列名", Width: 12}, {Header: "填写说明", Width: 80}}, exports.Layout{})
	if err != nil {
		return err
	}
	for _, r := range rosterGuide {
		if err := g.Row(r[0], r[1]); err != nil {
			return err
		}
	}
	return b.Write(w)
}

var rosterGuide = [][2]string{
	{"工号", "必填，1至32位字母、数字、连字符或下划线。系统中已有的工号更新该人员，没有的新增人员并开通账号（账号为工号的小写）"},
	{"姓名", "必填，2至30个字"},
	{"身份证号", "18位，校验位须正确；更新时留空或保留导出的打码号码表示不改"},
	{"电话", "可留空"},
	{"机构代码", "必填，本单位或下级单位的代码（见机构页面）"},
	{"所属机构", "仅供阅读，导入时以机构代码为准"},
	{"岗位", "可留空，不超过50字"},
	{"用工性质", "编内、编外、派驻、劳务派遣之一"},
	{"入职日期", "可写 2021-03-15、2021/3/15、2021年3月15日，或 Excel 日期"},
	{"学历", "初中及以下、高中/中专、大专、本科、硕士研究生、博士研究生之一，可留空"},
	{"在岗", "是 或 否；留空为是"},
	{"注意", "第1行表头不可修改；一行一人，不要合并单元格；每次最多5000行。导入是整体进行的：任何一行有错误，所有人员都不会导入，下载错误报告按“错误说明”修改后可直接重新上传。"},
}
