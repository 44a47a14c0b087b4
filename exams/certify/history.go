package certify

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/rbac"
)

// Person is the holder a level history is about.
type Person struct {
	ID       int64   `bun:"id" json:"id"`
	Name     string  `bun:"name" json:"name"`
	EmpNo    string  `bun:"emp_no" json:"emp_no"`
	Position string  `bun:"position" json:"position"`
	IDNumber *string `bun:"id_number" json:"-"`
	OrgName  string  `bun:"org_name" json:"org_name"`
	OrgPath  string  `bun:"org_path" json:"-"`
}

// History is a person's level history: every certificate with its status, and the
// 定岗晋级 records resting on them.
type History struct {
	Person       *Person       `json:"person"`
	Certificates []*CertRow    `json:"certificates"`
	Posts        []*PostChange `json:"posts"`
}

// FindPerson loads a person on the roster with their unit.
func (s *Store) FindPerson(ctx context.Context, staffID int64) (*Person, error) {
	p := new(Person)
	err := s.db.NewSelect().TableExpr("staff AS s").
		ColumnExpr("s.id, s.name, s.emp_no, s.position, s.id_number, o.name AS org_name, o.path AS org_path").
		Join("JOIN org_units AS o ON o.id = s.org_id").Where("s.id = ?", staffID).Scan(ctx, p)
	if db.IsNoRows(err) {
		return nil, web.Errorf(web.ENOTFOUND, "人员不存在")
	}
	return p, err
}

// FindHistory returns a person's certificates (highest level first) and post changes.
func (s *Store) FindHistory(ctx context.Context, staffID int64) (*History, error) {
	p, err := s.FindPerson(ctx, staffID)
	if err != nil {
		return nil, err
	}
	h := &History{Person: p}
	err = certRows(s.db, &h.Certificates).Where("ct.staff_id = ?", staffID).OrderExpr("ct.issued_on DESC, ct.level, ct.id DESC").Scan(ctx)
	if err != nil {
		return nil, err
	}
	labelled(h.Certificates, s.now())
	err = s.db.NewSelect().Model(&h.Posts).Where("staff_id = ?", staffID).OrderExpr("effective_on DESC, id DESC").Scan(ctx)
	return h, err
}

// Validate checks a post change: the new post and the effective day are required.
func (pc *PostChange) Validate() error {
	f := map[string]string{}
	pc.FromPost, pc.ToPost = strings.TrimSpace(pc.FromPost), strings.TrimSpace(pc.ToPost)
	pc.FromGrade, pc.ToGrade, pc.Note = strings.TrimSpace(pc.FromGrade), strings.TrimSpace(pc.ToGrade), strings.TrimSpace(pc.Note)
	if pc.ToPost == "" || utf8.RuneCountInString(pc.ToPost) > 50 {
		f["to_post"] = "请填写新岗位（不超过50字）"
	}
	if utf8.RuneCountInString(pc.FromPost) > 50 || utf8.RuneCountInString(pc.FromGrade) > 30 || utf8.RuneCountInString(pc.ToGrade) > 30 {
		f["from_post"] = "岗位不超过50字，岗级不超过30字"
	}
	if pc.EffectiveOn.IsZero() {
		f["effective_on"] = "请填写生效日期"
	}
	if utf8.RuneCountInString(pc.Note) > 500 {
		f["note"] = "说明不超过500字"
	}
	return web.Invalid(f)
}

// RecordPostChange writes a 定岗晋级 record for a person. The award it rests on, when
// named, must be the person's own and not revoked.
func (s *Store) RecordPostChange(ctx context.Context, actor int64, pc *PostChange) error {
	if err := pc.Validate(); err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if pc.CertificateID != nil {
			c, err := findCertRow(ctx, tx, "ct.id = ?", *pc.CertificateID)
			if err != nil || c.StaffID != pc.StaffID {
				return web.Invalid(map[string]string{"certificate_id": "所依据的证书不是本人的"})
			}
			if c.Status == CertRevoked {
				return web.Invalid(map[string]string{"certificate_id": "所依据的证书已撤销"})
			}
		}
		pc.RecordedBy, pc.CreatedAt = &actor, s.now()
		if _, err := tx.NewInsert().Model(pc).Exec(ctx); err != nil {
			return fmt.Errorf("insert post change: %w", err)
		}
		return nil
	})
}

// PostLine describes a post change in one line, e.g. "综合受理岗 → 综合受理岗（组长）".
func (pc *PostChange) PostLine() string {
	from := pc.FromPost
	if pc.FromGrade != "" {
		from += "（" + pc.FromGrade + "）"
	}
	to := pc.ToPost
	if pc.ToGrade != "" {
		to += "（" + pc.ToGrade + "）"
	}
	if from == "" {
		return to
	}
	return from + " → " + to
}

// MaskedIDNumber is the person's national ID as HR pages show it.
func (p *Person) MaskedIDNumber() string {
	if p.IDNumber == nil {
		return "（未登记）"
	}
	return rbac.MaskID(*p.IDNumber)
}
