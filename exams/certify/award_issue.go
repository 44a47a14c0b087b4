package certify

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/rbac"
)

// certZone is the calendar certificates are dated in.
var certZone = time.FixedZone("CST", 8*3600)

// maxValidYears bounds the stated validity of a certificate.
const maxValidYears = 20

// AwardInput is HR's sign-off on a session: the candidates to award (by account), or
// every candidate who passed; and an optional validity in whole years (0: 长期有效).
type AwardInput struct {
	UserIDs    []int64 `json:"user_ids"`
	All        bool    `json:"all"`
	ValidYears int     `json:"valid_years"`
}

// Validate checks the sign-off names someone and states a sane validity.
func (in *AwardInput) Validate() error {
	f := map[string]string{}
	if !in.All && len(in.UserIDs) == 0 {
		f["user_ids"] = "请选择要认定的考生，或选择“认定全部合格考生”"
	}
	if in.ValidYears < 0 || in.ValidYears > maxValidYears {
		f["valid_years"] = fmt.Sprintf("有效期须为0（长期有效）至%d年", maxValidYears)
	}
	return web.Invalid(f)
}

// Award signs off a session's level for the candidates named (or all who passed) and
// writes their certificates. Each candidate is re-checked inside the transaction: a
// named candidate whose parts do not all pass, or who has no national ID, refuses the
// whole sign-off with the reason. Awarding again returns the certificate already issued.
func (s *Store) Award(ctx context.Context, actor, sessionID int64, in AwardInput) ([]*Certificate, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out []*Certificate
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		sess, err := findAwardSession(ctx, tx, sessionID, true)
		if err != nil {
			return err
		}
		d, err := s.decide(ctx, tx, sess)
		if err != nil {
			return err
		}
		if d.ReleasedAt == nil {
			return web.Errorf(web.ECONFLICT, "本场次成绩尚未发布，发布后才能认定等级")
		}
		targets, err := d.targets(in)
		if err != nil {
			return err
		}
		out, err = s.issueAll(ctx, tx, actor, d, targets, in.ValidYears)
		return err
	})
	return out, err
}

// targets picks the candidates a sign-off covers and refuses any who may not be awarded.
func (d *Decisions) targets(in AwardInput) ([]*Candidate, error) {
	var out []*Candidate
	if in.All {
		for _, c := range d.Candidates {
			if c.Proposal == ProposeAward || c.Proposal == ProposeAwarded {
				out = append(out, c)
			}
		}
		if len(out) == 0 {
			return nil, web.Errorf(web.ECONFLICT, "本场次没有各部分均合格的考生")
		}
		return out, nil
	}
	for _, id := range in.UserIDs {
		i := slices.IndexFunc(d.Candidates, func(c *Candidate) bool { return c.UserID == id })
		if i < 0 {
			return nil, web.Errorf(web.ENOTFOUND, "考生不在本场次")
		}
		c := d.Candidates[i]
		if c.Proposal != ProposeAward && c.Proposal != ProposeAwarded {
			return nil, web.Errorf(web.ECONFLICT, "%s不能认定%s：%s", c.Name, d.Session.LevelName(), c.Reason)
		}
		out = append(out, c)
	}
	return out, nil
}

func (s *Store) issueAll(ctx context.Context, tx bun.IDB, actor int64, d *Decisions, cs []*Candidate, years int) ([]*Certificate, error) {
	out := make([]*Certificate, 0, len(cs))
	for _, c := range cs {
		if c.Certificate != nil {
			out = append(out, c.Certificate)
			continue
		}
		cert, err := s.issue(ctx, tx, actor, d, c, years)
		if err != nil {
			return nil, err
		}
		out = append(out, cert)
	}
	return out, nil
}

// issue writes one certificate: the next serial of the issuing unit, the person bound by
// national ID, the parts as decided; then lower valid certificates are superseded.
func (s *Store) issue(ctx context.Context, tx bun.IDB, actor int64, d *Decisions, c *Candidate, years int) (*Certificate, error) {
	now := s.now()
	day := now.In(certZone)
	serial, err := nextSerial(ctx, tx, d.Session.OrgID, day.Year())
	if err != nil {
		return nil, err
	}
	parts := make([]PartScore, len(c.Parts))
	for i, p := range c.Parts {
		parts[i] = p.PartScore
	}
	sid := d.Session.ID
	cert := &Certificate{Number: FormatNumber(day.Year(), d.Session.OrgID, serial), StaffID: c.StaffID, IDNumber: c.idNumber,
		Name: c.Name, Level: d.Session.Level, Occupation: d.occupation, StandardVersionID: d.Session.StandardVersionID,
		IssuingOrgID: d.Session.OrgID, SessionID: &sid, Parts: parts, IssuedOn: certDay(day),
		ValidUntil: validUntil(day, years), Status: CertValid, SignedBy: &actor, CreatedAt: now, UpdatedAt: now}
	if cert.ApplicationID, err = applicationFor(ctx, tx, c.StaffID, d.Session); err != nil {
		return nil, err
	}
	if _, err := tx.NewInsert().Model(cert).Exec(ctx); err != nil {
		return nil, fmt.Errorf("insert certificate of staff %d: %w", c.StaffID, err)
	}
	if err := supersedeLower(ctx, tx, cert, now); err != nil {
		return nil, err
	}
	return cert, s.auditCert(ctx, tx, actor, "certificate.award", cert.ID, cert.IssuingOrgID,
		map[string]any{"number": cert.Number, "level": cert.Level, "session_id": sid, "parts": parts, "valid_years": years})
}

// nextSerial takes the unit's next serial for the year. The upsert holds the counter's
// row lock until the transaction ends (PostgreSQL; SQLite has one writer), so
// concurrent awards never share a serial; a rolled-back award gives its serial back.
func nextSerial(ctx context.Context, tx bun.IDB, orgID int64, year int) (int64, error) {
	var next int64
	err := tx.NewRaw(`INSERT INTO cert_counters (org_id, year, next_no) VALUES (?, ?, 2)
		ON CONFLICT (org_id, year) DO UPDATE SET next_no = cert_counters.next_no + 1 RETURNING next_no`, orgID, year).Scan(ctx, &next)
	if err != nil {
		return 0, fmt.Errorf("next certificate serial of unit %d: %w", orgID, err)
	}
	if next-1 > maxSerial {
		return 0, web.Errorf(web.ECONFLICT, "本单位%d年证书编号已用完", year)
	}
	return next - 1, nil
}

// applicationFor finds the applicant's application placed into this session, if any.
func applicationFor(ctx context.Context, tx bun.IDB, staffID int64, sess *AwardSession) (*int64, error) {
	var ids []int64
	err := tx.NewSelect().Table("cert_applications").Column("id").
		Where("staff_id = ? AND level = ? AND session_id = ?", staffID, sess.Level, sess.ID).
		OrderExpr("id DESC").Limit(1).Scan(ctx, &ids)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	return &ids[0], nil
}

// supersedeLower marks the person's valid certificates of lower levels (higher codes)
// as superseded by cert.
func supersedeLower(ctx context.Context, tx bun.IDB, cert *Certificate, now time.Time) error {
	_, err := tx.NewUpdate().Model((*Certificate)(nil)).
		Set("status = ?", CertSuperseded).Set("superseded_by = ?", cert.ID).Set("updated_at = ?", now).
		Where("staff_id = ? AND status = ? AND level > ?", cert.StaffID, CertValid, cert.Level).Exec(ctx)
	return err
}

func certDay(t time.Time) rbac.Date {
	return rbac.Date{Time: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)}
}

// validUntil is the last valid day of a certificate issued on day for years; nil: 长期有效.
func validUntil(day time.Time, years int) *rbac.Date {
	if years <= 0 {
		return nil
	}
	d := certDay(day.AddDate(years, 0, -1))
	return &d
}

// auditCert writes one entry of the shared audit trail inside tx.
func (s *Store) auditCert(ctx context.Context, tx bun.IDB, actor int64, action string, objID, orgID int64, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	e := &rbac.AuditEntry{At: s.now(), Action: action, ObjectType: "certificate", ObjectID: objID, OrgID: &orgID, Detail: b}
	if actor != 0 {
		e.ActorID = &actor
	}
	_, err = tx.NewInsert().Model(e).Exec(ctx)
	return err
}

// LevelName names the certificate's level (五级 …).
func (c *Certificate) LevelName() string { return exams.LevelName(c.Level) }

// LevelTitle is the traditional title of the level (初级工 …).
func (c *Certificate) LevelTitle() string { return exams.LevelTitle(c.Level) }

// Validity states how long the certificate holds and what renewing it takes.
func (c *Certificate) Validity() string {
	if c.ValidUntil == nil {
		return "长期有效"
	}
	return "有效期至" + chineseDate(c.ValidUntil.Time) + "；到期前须重新通过本等级认定（各部分考核均合格）方可续期，逾期不再作为有效等级"
}

func chineseDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
}

// PartsLine is the parts as one line, for exports and the audit trail.
func (c *Certificate) PartsLine() string {
	var b strings.Builder
	for i, p := range c.Parts {
		if i > 0 {
			b.WriteString("；")
		}
		fmt.Fprintf(&b, "%s %.1f分", exams.PartLabel(p.Part), p.Score)
	}
	return b.String()
}
