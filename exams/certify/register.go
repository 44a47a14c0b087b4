package certify

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/rbac"
)

var certStatusLabels = map[string]string{CertValid: "有效", CertRevoked: "已撤销", CertSuperseded: "已被更高等级取代"}

// CertStatuses lists the register's statuses in the order filters show them.
var CertStatuses = []string{CertValid, CertSuperseded, CertRevoked}

// CertStatusLabel is the Chinese name of a status.
func CertStatusLabel(status string) string { return certStatusLabels[status] }

// StatusLabel names the certificate's status, saying so when a valid one has run out.
func (c *Certificate) StatusLabel(now time.Time) string {
	if c.Status == CertValid && c.ValidUntil != nil && certDay(now.In(certZone)).After(c.ValidUntil.Time) {
		return "已过期"
	}
	return CertStatusLabel(c.Status)
}

// CertRow is a register entry with the names its pages show and the paths access rests on.
type CertRow struct {
	Certificate `bun:",extend"`

	IssuerName string `bun:"issuer_name,scanonly" json:"issuer_name"`
	StaffOrg   string `bun:"staff_org,scanonly" json:"staff_org"`
	IssuerPath string `bun:"issuer_path,scanonly" json:"-"`
	StaffPath  string `bun:"staff_path,scanonly" json:"-"`
	// StateText names the status on the day it was read (已过期 for a lapsed one).
	StateText string `bun:"-" json:"state_text"`
}

// labelled sets each row's status text as of now.
func labelled(rows []*CertRow, now time.Time) []*CertRow {
	for _, r := range rows {
		r.StateText = r.StatusLabel(now)
	}
	return rows
}

// Paths are the units a certificate belongs to: its issuer and the holder's unit. HR of
// either may see it.
func (r *CertRow) Paths() []string { return []string{r.IssuerPath, r.StaffPath} }

func certRows(tx bun.IDB, rows any) *bun.SelectQuery {
	return tx.NewSelect().Model(rows).
		ColumnExpr("ct.*, io.name AS issuer_name, io.path AS issuer_path, so.name AS staff_org, so.path AS staff_path").
		Join("JOIN org_units AS io ON io.id = ct.issuing_org_id").
		Join("JOIN staff AS s ON s.id = ct.staff_id").
		Join("JOIN org_units AS so ON so.id = s.org_id")
}

// FindCertificateByID returns one register entry.
func (s *Store) FindCertificateByID(ctx context.Context, id int64) (*CertRow, error) {
	r, err := findCertRow(ctx, s.db, "ct.id = ?", id)
	if err != nil {
		return nil, err
	}
	return labelled([]*CertRow{r}, s.now())[0], nil
}

func findCertRow(ctx context.Context, tx bun.IDB, where string, arg any) (*CertRow, error) {
	r := new(CertRow)
	err := certRows(tx, r).Where(where, arg).Scan(ctx)
	if db.IsNoRows(err) {
		return nil, web.Errorf(web.ENOTFOUND, "证书不存在")
	}
	return r, err
}

// RegisterFilter narrows the register. Scope limits it to certificates issued, or held
// by people, inside the caller's units; OrgPath to holders in one unit's subtree.
type RegisterFilter struct {
	Scope     rbac.Scope
	Level     int
	Status    string
	OrgPath   string
	Year      int
	SessionID int64
	Page      rbac.Page
}

// FindCertificates lists the register, newest first, with the count of all matches.
func (s *Store) FindCertificates(ctx context.Context, f RegisterFilter) ([]*CertRow, int, error) {
	var rows []*CertRow
	q := f.apply(inScope(certRows(s.db, &rows), f.Scope))
	page := f.Page
	if page.Limit <= 0 || page.Limit > 200 {
		page.Limit = 50
	}
	n, err := q.OrderExpr("ct.issued_on DESC, ct.id DESC").Limit(int64(page.Limit)).Offset(int64(max(page.Offset, 0))).ScanAndCount(ctx)
	return labelled(rows, s.now()), int(n), err
}

// inScope keeps certificates issued by, or held by people of, the scope's units.
func inScope(q *bun.SelectQuery, scope rbac.Scope) *bun.SelectQuery {
	if scope.Empty() {
		return q.Where("1 = 0")
	}
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		for _, p := range scope {
			up := p[:len(p)-1] + "0" // the least string above every path under p
			q = q.WhereOr("io.path >= ? AND io.path < ?", p, up).WhereOr("so.path >= ? AND so.path < ?", p, up)
		}
		return q
	})
}

func (f RegisterFilter) apply(q *bun.SelectQuery) *bun.SelectQuery {
	if f.Level > 0 {
		q = q.Where("ct.level = ?", f.Level)
	}
	if f.Status != "" {
		q = q.Where("ct.status = ?", f.Status)
	}
	if f.OrgPath != "" {
		q = rbac.Scope{f.OrgPath}.Where(q, "so.path")
	}
	if f.Year > 0 {
		q = q.Where("ct.issued_on >= ? AND ct.issued_on < ?", fmt.Sprintf("%04d-01-01", f.Year), fmt.Sprintf("%04d-01-01", f.Year+1))
	}
	if f.SessionID > 0 {
		q = q.Where("ct.session_id = ?", f.SessionID)
	}
	return q
}

// Revocation classes: the public verification page shows the class, never the reason.
var RevokeClasses = []string{"考试违纪", "申报材料不实", "发证信息有误", "其他原因"}

// RevokeInput is a revocation: a class from RevokeClasses and a reason for the record.
type RevokeInput struct {
	Class  string `json:"class" form:"class"`
	Reason string `json:"reason" form:"reason"`
}

// Validate requires a known class and a stated reason.
func (in *RevokeInput) Validate() error {
	f := map[string]string{}
	in.Reason = strings.TrimSpace(in.Reason)
	if !containsString(RevokeClasses, in.Class) {
		f["class"] = "请选择撤销类别：" + strings.Join(RevokeClasses, "、")
	}
	if n := utf8.RuneCountInString(in.Reason); n < 4 || n > 500 {
		f["reason"] = "请写明撤销原因（4至500字）"
	}
	return web.Invalid(f)
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Revoke withdraws a certificate with its reason (audited). Lower certificates it had
// superseded become valid again, since the higher award no longer stands.
func (s *Store) Revoke(ctx context.Context, actor, id int64, in RevokeInput) (*CertRow, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := findCertRow(ctx, tx, "ct.id = ?", id)
		if err != nil {
			return err
		}
		if c.Status == CertRevoked {
			return web.Errorf(web.ECONFLICT, "证书已撤销")
		}
		now := s.now()
		_, err = tx.NewUpdate().Model((*Certificate)(nil)).Set("status = ?", CertRevoked).Set("status_reason = ?", in.Reason).
			Set("revoke_class = ?", in.Class).Set("revoked_by = ?", actor).Set("revoked_at = ?", now).Set("updated_at = ?", now).
			Where("id = ?", id).Exec(ctx)
		if err == nil {
			_, err = tx.NewUpdate().Model((*Certificate)(nil)).Set("status = ?", CertValid).Set("superseded_by = NULL").
				Set("updated_at = ?", now).Where("superseded_by = ? AND status = ?", id, CertSuperseded).Exec(ctx)
		}
		if err != nil {
			return fmt.Errorf("revoke certificate %d: %w", id, err)
		}
		return s.auditCert(ctx, tx, actor, "certificate.revoke", id, c.IssuingOrgID,
			map[string]any{"number": c.Number, "class": in.Class, "reason": in.Reason, "was": c.Status})
	})
	if err != nil {
		return nil, err
	}
	return s.FindCertificateByID(ctx, id)
}

// MaskedIDNumber is the holder's national ID with the middle hidden.
func (c *Certificate) MaskedIDNumber() string { return rbac.MaskID(c.IDNumber) }
