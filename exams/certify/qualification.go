package certify

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/rbac"
)

// maxPriorServiceMonths is the most prior service a record may claim (50 years).
const maxPriorServiceMonths = 600

// Validate checks and normalises what HR enters; dates may not lie after today.
func (q *Qualification) Validate(today time.Time) error {
	f := map[string]string{}
	q.EducationDetail, q.Title = strings.TrimSpace(q.EducationDetail), strings.TrimSpace(q.Title)
	if q.PriorServiceMonths < 0 || q.PriorServiceMonths > maxPriorServiceMonths {
		f["prior_service_months"] = fmt.Sprintf("此前从业月数须在 0 至 %d 之间", maxPriorServiceMonths)
	}
	if utf8.RuneCountInString(q.EducationDetail) > 200 {
		f["education_detail"] = "学历详情不超过200字"
	}
	if q.Title != "" && !slices.Contains(TitleLevels, q.Title) {
		f["title"] = "职称须为：" + strings.Join(TitleLevels, "、")
	}
	if q.Title == "" && q.TitleDate != nil {
		f["title"] = "填写了取得职称的日期，请选择职称"
	}
	today = dateOf(today)
	if q.EducationDate != nil && q.EducationDate.After(today) {
		f["education_date"] = "毕业日期不能晚于今天"
	}
	if q.TitleDate != nil && q.TitleDate.After(today) {
		f["title_date"] = "取得职称的日期不能晚于今天"
	}
	return web.Invalid(f)
}

// Empty reports whether HR has recorded nothing beyond the roster.
func (q *Qualification) Empty() bool {
	return q.PriorServiceMonths == 0 && q.EducationDetail == "" && q.EducationDate == nil && q.Title == "" && q.TitleDate == nil
}

// FindQualification returns the person's record; a person without one gets an empty
// record (nothing beyond the roster).
func (s *Store) FindQualification(ctx context.Context, staffID int64) (*Qualification, error) {
	return findQualification(ctx, s.db, staffID)
}

func findQualification(ctx context.Context, tx bun.IDB, staffID int64) (*Qualification, error) {
	q := &Qualification{StaffID: staffID}
	err := tx.NewSelect().Model(q).WherePK().Scan(ctx)
	if db.IsNoRows(err) {
		return &Qualification{StaffID: staffID}, nil
	}
	return q, err
}

// SaveQualification validates and stores the person's record, audited.
func (s *Store) SaveQualification(ctx context.Context, actor int64, q *Qualification) error {
	if err := q.Validate(s.now()); err != nil {
		return err
	}
	q.UpdatedAt = s.now()
	q.UpdatedBy = nil
	if actor != 0 {
		q.UpdatedBy = &actor
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, err := findApplicant(ctx, tx, q.StaffID)
		if err != nil {
			return err
		}
		_, err = tx.NewInsert().Model(q).On("CONFLICT (staff_id) DO UPDATE").
			Set("prior_service_months = EXCLUDED.prior_service_months, education_detail = EXCLUDED.education_detail").
			Set("education_date = EXCLUDED.education_date, title = EXCLUDED.title, title_date = EXCLUDED.title_date").
			Set("updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at").Exec(ctx)
		if err != nil {
			return fmt.Errorf("save qualification: %w", err)
		}
		return s.auditApply(ctx, tx, actor, "qualification.save", "staff", q.StaffID, p.OrgID, q)
	})
}

// Applicant is someone who may apply: the roster record, its unit and login.
type Applicant struct {
	StaffID   int64      `bun:"staff_id" json:"staff_id"`
	Name      string     `bun:"name" json:"name"`
	EmpNo     string     `bun:"emp_no" json:"emp_no"`
	OrgID     int64      `bun:"org_id" json:"org_id"`
	OrgName   string     `bun:"org_name" json:"org_name"`
	OrgPath   string     `bun:"org_path" json:"-"`
	HireDate  *rbac.Date `bun:"hire_date" json:"hire_date"`
	Education string     `bun:"education" json:"education"`
	Active    bool       `bun:"active" json:"active"`
	UserID    *int64     `bun:"user_id" json:"user_id,omitempty"`
	Username  *string    `bun:"username" json:"username,omitempty"`
}

func applicantQuery(tx bun.IDB) *bun.SelectQuery {
	return tx.NewSelect().TableExpr("staff AS s").
		ColumnExpr("s.id AS staff_id, s.name, s.emp_no, s.org_id, o.name AS org_name, o.path AS org_path").
		ColumnExpr("s.hire_date, s.education, s.active, u.id AS user_id, u.username").
		Join("JOIN org_units AS o ON o.id = s.org_id").Join("LEFT JOIN users AS u ON u.staff_id = s.id")
}

// findApplicant returns the staff record with the given id, not found when there is none.
func findApplicant(ctx context.Context, tx bun.IDB, staffID int64) (*Applicant, error) {
	p := new(Applicant)
	err := applicantQuery(tx).Where("s.id = ?", staffID).Scan(ctx, p)
	if db.IsNoRows(err) {
		return nil, web.Errorf(web.ENOTFOUND, "人员不存在")
	}
	return p, err
}

// FindApplicant returns a person by staff id.
func (s *Store) FindApplicant(ctx context.Context, staffID int64) (*Applicant, error) {
	return findApplicant(ctx, s.db, staffID)
}

// FindApplicantByUser returns the person a login belongs to; accounts without a roster
// record are not found.
func (s *Store) FindApplicantByUser(ctx context.Context, userID int64) (*Applicant, error) {
	p := new(Applicant)
	err := applicantQuery(s.db).Where("u.id = ?", userID).Scan(ctx, p)
	if db.IsNoRows(err) {
		return nil, web.Errorf(web.ENOTFOUND, "您的账号没有对应的花名册记录，请联系人事部门")
	}
	return p, err
}

// FindApplicantByName returns the person with a login name or 工号, for forms.
func (s *Store) FindApplicantByName(ctx context.Context, name string) (*Applicant, error) {
	name = strings.TrimSpace(name)
	p := new(Applicant)
	err := applicantQuery(s.db).Where("u.username = ? OR s.emp_no = ?", strings.ToLower(name), name).Limit(1).Scan(ctx, p)
	if db.IsNoRows(err) {
		return nil, web.Invalid(map[string]string{"person": "没有这个用户名或工号的在册人员：" + name})
	}
	return p, err
}

// auditApply writes one audit_log entry inside the caller's transaction.
func (s *Store) auditApply(ctx context.Context, tx bun.IDB, actor int64, action, objType string, objID, orgID int64, detail any) error {
	e := &rbac.AuditEntry{At: s.now(), Action: action, ObjectType: objType, ObjectID: objID, OrgID: &orgID}
	b, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	e.Detail = b
	if actor != 0 {
		e.ActorID = &actor
	}
	_, err = tx.NewInsert().Model(e).Exec(ctx)
	return err
}
