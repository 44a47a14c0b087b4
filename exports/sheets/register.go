package sheets

import (
	"context"
	"database/sql"
	"io"

	"github.com/uptrace/bun"

	"clerkskill/exams"
	"clerkskill/exports"
	"clerkskill/rbac"
)

// SheetRegister is the certificate register's sheet.
const SheetRegister = "证书登记"

// RegisterColumns is the register's header with column widths.
var RegisterColumns = []exports.Column{
	{Header: "证书编号", Width: 20}, {Header: "姓名", Width: 10}, {Header: "身份证号", Width: 21},
	{Header: "工号", Width: 12}, {Header: "所在单位", Width: 26}, {Header: "等级", Width: 8},
	{Header: "职业", Width: 30}, {Header: "标准版本", Width: 14}, {Header: "发证机构", Width: 26},
	{Header: "发证日期", Width: 12}, {Header: "有效期至", Width: 12}, {Header: "状态", Width: 12},
	{Header: "状态说明", Width: 30},
}

var certStatusLabels = map[string]string{"valid": "有效", "revoked": "已撤销", "superseded": "已被更高等级取代"}

// Certificate is one register row with the holder's unit.
type Certificate struct {
	Number     string         `bun:"number"`
	Name       string         `bun:"name"`
	IDNumber   string         `bun:"id_number"`
	EmpNo      string         `bun:"emp_no"`
	OrgName    string         `bun:"org_name"`
	OrgPath    string         `bun:"org_path"`
	Level      int            `bun:"level"`
	Occupation string         `bun:"occupation"`
	Standard   string         `bun:"standard"`
	Issuer     string         `bun:"issuer"`
	IssuedOn   rbac.Date      `bun:"issued_on"`
	ValidUntil *rbac.Date     `bun:"valid_until"`
	Status     string         `bun:"status"`
	Reason     sql.NullString `bun:"status_reason"`
}

// registerQuery selects the certificates of people whose unit is in scope, by unit,
// 工号 and number.
func (s *Store) registerQuery(scope rbac.Scope) *bun.SelectQuery {
	q := s.db.NewSelect().TableExpr("certificates AS c").Join("JOIN staff AS s ON s.id = c.staff_id").
		Join("JOIN org_units AS o ON o.id = s.org_id").Join("JOIN org_units AS io ON io.id = c.issuing_org_id").
		Join("JOIN standard_versions AS sv ON sv.id = c.standard_version_id").
		ColumnExpr("c.number, c.name, c.id_number, s.emp_no, o.name AS org_name, o.path AS org_path, c.level").
		ColumnExpr("c.occupation, sv.version_label AS standard, io.name AS issuer, c.issued_on, c.valid_until").
		ColumnExpr("c.status, c.status_reason").OrderExpr("o.path, s.emp_no, c.issued_on, c.number")
	return scope.Where(q, "o.path")
}

// CountCertificates counts the register rows within scope.
func (s *Store) CountCertificates(ctx context.Context, scope rbac.Scope) (int, error) {
	q := s.db.NewSelect().TableExpr("certificates AS c").Join("JOIN staff AS s ON s.id = c.staff_id").
		Join("JOIN org_units AS o ON o.id = s.org_id")
	n, err := scope.Where(q, "o.path").Count(ctx)
	return int(n), err
}

// WriteRegister writes the certificate register within scope to w.
func (s *Store) WriteRegister(ctx context.Context, w io.Writer, scope rbac.Scope, ids exports.IDView, progress Progress) (int, error) {
	total, err := s.CountCertificates(ctx, scope)
	if err != nil {
		return 0, err
	}
	b, sh, err := newSheetBook(SheetRegister, RegisterColumns, exports.Layout{Landscape: true})
	if err != nil {
		return 0, err
	}
	defer b.Close()
	rows, err := s.registerQuery(scope).Rows(ctx)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		c := new(Certificate)
		if err := s.db.ScanRow(ctx, rows, c); err != nil {
			return 0, err
		}
		progress.report(sh.Rows()+1, total)
		if err := sh.Row(c.Number, c.Name, ids.Show(c.OrgPath, c.IDNumber), c.EmpNo, c.OrgName, exams.LevelName(c.Level),
			c.Occupation, c.Standard, c.Issuer, c.IssuedOn.String(), dateCell(c.ValidUntil), statusLabel(c.Status), c.Reason.String); err != nil {
			return 0, err
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return sh.Rows(), b.Write(w)
}

func statusLabel(s string) string {
	if l, ok := certStatusLabels[s]; ok {
		return l
	}
	return s
}
