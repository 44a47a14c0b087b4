package certify

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/exams"
	"clerkskill/rbac"
)

// DemoCertificate is an award of an earlier year for the demo register. The demo writes
// these straight into the register (there were no sessions in this system then); this
// year's awards go through decisions like any other.
type DemoCertificate struct {
	Username    string
	Level       int
	IssuerID    int64
	IssuedOn    time.Time
	ValidYears  int
	RevokeClass string
	RevokeWhy   string
}

// DemoPost is a 定岗晋级 record resting on a demo holder's best certificate.
type DemoPost struct {
	Username           string
	FromPost, ToPost   string
	FromGrade, ToGrade string
	EffectiveOn        time.Time
	Note               string
}

// SeedDemoHistory writes earlier years' certificates (in the order given, so a higher
// award supersedes the lower ones as it would have then) and 定岗晋级 records.
func (s *Store) SeedDemoHistory(ctx context.Context, actor int64, certs []DemoCertificate, posts []DemoPost) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		v, err := latestVersion(ctx, tx)
		if err != nil {
			return err
		}
		for _, d := range certs {
			if err := s.seedCertificate(ctx, tx, actor, v, d); err != nil {
				return fmt.Errorf("demo certificate of %s: %w", d.Username, err)
			}
		}
		for _, p := range posts {
			if err := seedPost(ctx, tx, actor, p, s.now()); err != nil {
				return fmt.Errorf("demo post change of %s: %w", p.Username, err)
			}
		}
		return nil
	})
}

func latestVersion(ctx context.Context, tx bun.IDB) (*exams.StandardVersion, error) {
	v := new(exams.StandardVersion)
	err := tx.NewSelect().Model(v).OrderExpr("sv.version_no DESC").Limit(1).Scan(ctx)
	return v, err
}

// demoHolder is a demo account's person.
func demoHolder(ctx context.Context, tx bun.IDB, username string) (*candidateRow, error) {
	row := new(candidateRow)
	err := tx.NewSelect().TableExpr("users AS u").ColumnExpr("u.id AS user_id, u.staff_id, s.name, s.emp_no, s.id_number").
		Join("JOIN staff AS s ON s.id = u.staff_id").Where("u.username = ?", username).Scan(ctx, row)
	return row, err
}

func (s *Store) seedCertificate(ctx context.Context, tx bun.IDB, actor int64, v *exams.StandardVersion, d DemoCertificate) error {
	p, err := demoHolder(ctx, tx, d.Username)
	if err != nil || p.IDNumber == nil {
		return fmt.Errorf("holder: %v", err)
	}
	serial, err := nextSerial(ctx, tx, d.IssuerID, d.IssuedOn.Year())
	if err != nil {
		return err
	}
	now := s.now()
	c := &Certificate{Number: FormatNumber(d.IssuedOn.Year(), d.IssuerID, serial), StaffID: *p.StaffID, IDNumber: *p.IDNumber, Name: p.Name,
		Level: d.Level, Occupation: v.Definition.Meta.Occupation, StandardVersionID: v.ID, IssuingOrgID: d.IssuerID,
		Parts: demoParts(v.Definition, d.Level), IssuedOn: certDay(d.IssuedOn), ValidUntil: validUntil(d.IssuedOn, d.ValidYears),
		Status: CertValid, SignedBy: &actor, CreatedAt: now, UpdatedAt: now}
	if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
		return err
	}
	if err := supersedeLower(ctx, tx, c, now); err != nil || d.RevokeClass == "" {
		return err
	}
	_, err = tx.NewUpdate().Model(c).Set("status = ?", CertRevoked).Set("revoke_class = ?", d.RevokeClass).
		Set("status_reason = ?", d.RevokeWhy).Set("revoked_by = ?", actor).Set("revoked_at = ?", now).WherePK().Exec(ctx)
	return err
}

// demoParts are passing scores of the level's parts, as the paper records showed.
func demoParts(std *exams.Standard, level int) []PartScore {
	var out []PartScore
	if lv := std.Level(level); lv != nil {
		for i, p := range lv.Parts {
			out = append(out, PartScore{Part: p.Kind, Score: float64(68 + 7*i + level), PassMark: p.PassMark, Passed: true})
		}
	}
	return out
}

func seedPost(ctx context.Context, tx bun.IDB, actor int64, p DemoPost, now time.Time) error {
	h, err := demoHolder(ctx, tx, p.Username)
	if err != nil {
		return err
	}
	pc := &PostChange{StaffID: *h.StaffID, FromPost: p.FromPost, ToPost: p.ToPost, FromGrade: p.FromGrade, ToGrade: p.ToGrade,
		EffectiveOn: rbac.Date{Time: certDay(p.EffectiveOn).Time}, Note: p.Note, RecordedBy: &actor, CreatedAt: now}
	var ids []int64
	err = tx.NewSelect().Table("certificates").Column("id").Where("staff_id = ? AND status = ?", pc.StaffID, CertValid).
		OrderExpr("level").Limit(1).Scan(ctx, &ids)
	if err != nil {
		return err
	}
	if len(ids) > 0 {
		pc.CertificateID = &ids[0]
	}
	if err := pc.Validate(); err != nil {
		return err
	}
	_, err = tx.NewInsert().Model(pc).Exec(ctx)
	return err
}
