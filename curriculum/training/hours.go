package training

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
)

// Source is where an entry of hours comes from.
type Source string

// The sources of training hours.
const (
	SourceCourse   Source = "course"   // a completed course
	SourceEvent    Source = "event"    // attendance at an event
	SourceExternal Source = "external" // external training HR entered with evidence
)

// Sources lists the sources in display order.
var Sources = []Source{SourceCourse, SourceEvent, SourceExternal}

var sourceLabels = map[Source]string{SourceCourse: "课程学习", SourceEvent: "活动参加", SourceExternal: "外部培训"}

// Label is the source's Chinese name.
func (s Source) Label() string { return sourceLabels[s] }

// Entry is one line of the training hours ledger (学时). Entries are never deleted; HR
// voids a wrong one with a reason and it stops counting.
type Entry struct {
	bun.BaseModel `bun:"table:training_hours,alias:h"`

	ID             int64      `bun:"id,pk,autoincrement" json:"id"`
	UserID         int64      `bun:"user_id" json:"user_id"`
	OrgID          *int64     `bun:"org_id" json:"org_id"`
	Source         Source     `bun:"source" json:"source"`
	SourceKey      *string    `bun:"source_key" json:"-"`
	CourseID       *int64     `bun:"course_id" json:"course_id,omitempty"`
	CourseRevision *int       `bun:"course_revision" json:"course_revision,omitempty"`
	EventID        *int64     `bun:"event_id" json:"event_id,omitempty"`
	Title          string     `bun:"title" json:"title"`
	Provider       string     `bun:"provider" json:"provider,omitempty"`
	Hours          float64    `bun:"hours" json:"hours"`
	EarnedAt       time.Time  `bun:"earned_at" json:"earned_at"`
	Year           int        `bun:"year" json:"year"`
	Note           string     `bun:"note" json:"note,omitempty"`
	EvidenceName   string     `bun:"evidence_name" json:"evidence_name,omitempty"`
	EvidenceFile   string     `bun:"evidence_file" json:"-"`
	EvidenceType   string     `bun:"evidence_type" json:"evidence_type,omitempty"`
	EvidenceSize   int        `bun:"evidence_size" json:"evidence_size,omitempty"`
	CreatedBy      *int64     `bun:"created_by" json:"-"`
	CreatedAt      time.Time  `bun:"created_at" json:"created_at"`
	VoidedAt       *time.Time `bun:"voided_at" json:"voided_at,omitempty"`
	VoidedBy       *int64     `bun:"voided_by" json:"-"`
	VoidReason     string     `bun:"void_reason" json:"void_reason,omitempty"`

	Name     string `bun:"name,scanonly" json:"name,omitempty"`
	Username string `bun:"username,scanonly" json:"username,omitempty"`
	OrgName  string `bun:"org_name,scanonly" json:"org_name,omitempty"`
	OrgPath  string `bun:"org_path,scanonly" json:"-"`
}

// SourceLabel is the entry source's Chinese name.
func (e *Entry) SourceLabel() string { return e.Source.Label() }

// Voided reports whether HR has voided the entry.
func (e *Entry) Voided() bool { return e.VoidedAt != nil }

// HasEvidence reports whether a file backs the entry.
func (e *Entry) HasEvidence() bool { return e.EvidenceFile != "" }

// External is what HR enters for training taken elsewhere.
type External struct {
	UserID   int64     `json:"user_id"`
	Title    string    `json:"title"`
	Provider string    `json:"provider"`
	Hours    float64   `json:"hours"`
	Date     string    `json:"date"` // 2006-01-02, in China time
	Note     string    `json:"note"`
	File     *Evidence `json:"-"`
	earnedAt time.Time
}

// Evidence is an uploaded file backing an external entry.
type Evidence struct {
	Name string // as the uploader called it
	Data []byte
}

// maxExternalHours is the most one external entry may carry.
const maxExternalHours = 200

// Validate checks and normalises an external entry; evidence is a file or a note.
func (x *External) Validate(now time.Time) error {
	f := map[string]string{}
	x.Title, x.Provider, x.Note = strings.TrimSpace(x.Title), strings.TrimSpace(x.Provider), strings.TrimSpace(x.Note)
	if x.UserID == 0 {
		f["user"] = "请填写参训人员的用户名"
	}
	if n := utf8.RuneCountInString(x.Title); n < 2 || n > 100 {
		f["title"] = "培训名称须为2至100个字"
	}
	if utf8.RuneCountInString(x.Provider) > 100 {
		f["provider"] = "培训机构不超过100字"
	}
	if msg := checkHours(x.Hours, maxExternalHours); msg != "" {
		f["hours"] = msg
	}
	d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(x.Date), China)
	switch {
	case err != nil:
		f["date"] = "日期格式应为 2026-03-15"
	case d.After(now):
		f["date"] = "培训日期不能晚于今天"
	default:
		x.earnedAt = d
	}
	if utf8.RuneCountInString(x.Note) > 1000 {
		f["note"] = "说明不超过1000字"
	}
	if x.Note == "" && (x.File == nil || len(x.File.Data) == 0) {
		f["evidence"] = "请上传证明材料（PDF或图片），或填写说明"
	}
	return web.Invalid(f)
}

// EarnedOn is the day the hours were earned, China time.
func (e *Entry) EarnedOn() string { return e.EarnedAt.In(China).Format("2006-01-02") }

// VoidedOn is the day the entry was voided, China time.
func (e *Entry) VoidedOn() string {
	if e.VoidedAt == nil {
		return ""
	}
	return e.VoidedAt.In(China).Format("2006-01-02")
}
