// Package certify turns exam results into careers: applications for a level checked
// against the standard's 申报条件, 综合评审 panel scores, level decisions signed off by
// HR, the certificate register with public verification, each person's level history
// and 定岗晋级 records.
//
// A person is a staff record (bound by national ID); exam results are kept per user
// account, joined through users.staff_id.
package certify

import (
	"encoding/json"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/rbac"
)

// Qualification is what 申报条件 need beyond the roster (staff holds hire date and
// education level).
type Qualification struct {
	bun.BaseModel `bun:"table:qualifications,alias:q"`

	StaffID            int64      `bun:"staff_id,pk" json:"staff_id"`
	PriorServiceMonths int        `bun:"prior_service_months" json:"prior_service_months"`
	EducationDetail    string     `bun:"education_detail" json:"education_detail"`
	EducationDate      *rbac.Date `bun:"education_date,type:date" json:"education_date"`
	Title              string     `bun:"title" json:"title"`
	TitleDate          *rbac.Date `bun:"title_date,type:date" json:"title_date"`
	UpdatedBy          *int64     `bun:"updated_by" json:"updated_by,omitempty"`
	UpdatedAt          time.Time  `bun:"updated_at" json:"updated_at"`
}

// Application status: submitted → approved (eligible, or by an exception) → placed in a
// session; or rejected, or withdrawn by the applicant.
const (
	AppSubmitted = "submitted"
	AppApproved  = "approved"
	AppPlaced    = "placed"
	AppRejected  = "rejected"
	AppWithdrawn = "withdrawn"
)

// Application is one 申报 for a level.
type Application struct {
	bun.BaseModel `bun:"table:cert_applications,alias:ca"`

	ID                int64           `bun:"id,pk,autoincrement" json:"id"`
	StaffID           int64           `bun:"staff_id" json:"staff_id"`
	OrgID             int64           `bun:"org_id" json:"org_id"`
	Level             int             `bun:"level" json:"level"`
	StandardVersionID int64           `bun:"standard_version_id" json:"standard_version_id"`
	Status            string          `bun:"status" json:"status"`
	Eligible          bool            `bun:"eligible" json:"eligible"`
	Evaluation        json.RawMessage `bun:"evaluation,type:jsonb" json:"evaluation"`
	ExceptionReason   string          `bun:"exception_reason" json:"exception_reason,omitempty"`
	DecisionNote      string          `bun:"decision_note" json:"decision_note,omitempty"`
	SessionID         *int64          `bun:"session_id" json:"session_id,omitempty"`
	CreatedBy         *int64          `bun:"created_by" json:"created_by,omitempty"`
	DecidedBy         *int64          `bun:"decided_by" json:"decided_by,omitempty"`
	DecidedAt         *time.Time      `bun:"decided_at" json:"decided_at,omitempty"`
	CreatedAt         time.Time       `bun:"created_at" json:"created_at"`
	UpdatedAt         time.Time       `bun:"updated_at" json:"updated_at"`
}

// ReviewMember is one 综合评审 panel member's mark.
type ReviewMember struct {
	UserID int64   `json:"user_id"`
	Mark   float64 `json:"mark"`
}

// ReviewScore is a panel's 综合评审 result for one candidate of a session.
type ReviewScore struct {
	bun.BaseModel `bun:"table:review_scores,alias:rs"`

	SessionID  int64          `bun:"session_id,pk" json:"session_id"`
	UserID     int64          `bun:"user_id,pk" json:"user_id"`
	Members    []ReviewMember `bun:"members,type:jsonb" json:"members"`
	Score      float64        `bun:"score" json:"score"`
	PassMark   int            `bun:"pass_mark" json:"pass_mark"`
	Passed     bool           `bun:"passed" json:"passed"`
	RecordedBy *int64         `bun:"recorded_by" json:"recorded_by,omitempty"`
	RecordedAt time.Time      `bun:"recorded_at" json:"recorded_at"`
}

// Certificate status in the register.
const (
	CertValid      = "valid"
	CertRevoked    = "revoked"
	CertSuperseded = "superseded"
)

// PartScore is one required part's result as the decision saw it.
type PartScore struct {
	Part     string  `json:"part"`
	Score    float64 `json:"score"`
	PassMark int     `json:"pass_mark"`
	Passed   bool    `json:"passed"`
}

// Certificate is one award in the register.
type Certificate struct {
	bun.BaseModel `bun:"table:certificates,alias:ct"`

	ID                int64       `bun:"id,pk,autoincrement" json:"id"`
	Number            string      `bun:"number" json:"number"`
	StaffID           int64       `bun:"staff_id" json:"staff_id"`
	IDNumber          string      `bun:"id_number" json:"id_number"`
	Name              string      `bun:"name" json:"name"`
	Level             int         `bun:"level" json:"level"`
	Occupation        string      `bun:"occupation" json:"occupation"`
	StandardVersionID int64       `bun:"standard_version_id" json:"standard_version_id"`
	IssuingOrgID      int64       `bun:"issuing_org_id" json:"issuing_org_id"`
	SessionID         *int64      `bun:"session_id" json:"session_id,omitempty"`
	ApplicationID     *int64      `bun:"application_id" json:"application_id,omitempty"`
	Parts             []PartScore `bun:"parts,type:jsonb" json:"parts"`
	IssuedOn          rbac.Date   `bun:"issued_on,type:date" json:"issued_on"`
	ValidUntil        *rbac.Date  `bun:"valid_until,type:date" json:"valid_until,omitempty"`
	Status            string      `bun:"status" json:"status"`
	StatusReason      string      `bun:"status_reason" json:"status_reason,omitempty"`
	RevokeClass       string      `bun:"revoke_class" json:"revoke_class,omitempty"`
	RevokedBy         *int64      `bun:"revoked_by" json:"revoked_by,omitempty"`
	RevokedAt         *time.Time  `bun:"revoked_at" json:"revoked_at,omitempty"`
	SupersededBy      *int64      `bun:"superseded_by" json:"superseded_by,omitempty"`
	SignedBy          *int64      `bun:"signed_by" json:"signed_by,omitempty"`
	CreatedAt         time.Time   `bun:"created_at" json:"created_at"`
	UpdatedAt         time.Time   `bun:"updated_at" json:"updated_at"`
}

// PostChange is a 定岗晋级 record: a post or grade change resting on an award.
type PostChange struct {
	bun.BaseModel `bun:"table:post_changes,alias:pc"`

	ID            int64     `bun:"id,pk,autoincrement" json:"id"`
	StaffID       int64     `bun:"staff_id" json:"staff_id"`
	CertificateID *int64    `bun:"certificate_id" json:"certificate_id,omitempty"`
	FromPost      string    `bun:"from_post" json:"from_post"`
	ToPost        string    `bun:"to_post" json:"to_post"`
	FromGrade     string    `bun:"from_grade" json:"from_grade"`
	ToGrade       string    `bun:"to_grade" json:"to_grade"`
	EffectiveOn   rbac.Date `bun:"effective_on,type:date" json:"effective_on"`
	Note          string    `bun:"note" json:"note"`
	RecordedBy    *int64    `bun:"recorded_by" json:"recorded_by,omitempty"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`
}
