// Package training keeps training events (lectures, sharing sessions, practice days) with
// registration and sign-in, the training hours ledger (学时) fed by course completions,
// attendance and external training, and the HR reports over it.
package training

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
)

// China is the zone training years are counted in (China Standard Time has no DST).
var China = time.FixedZone("CST", 8*3600)

// YearOf is the calendar year of t in China Standard Time.
func YearOf(t time.Time) int { return t.In(China).Year() }

// Kind is the sort of event.
type Kind string

// The event kinds.
const (
	KindLecture  Kind = "lecture"  // 讲座
	KindSharing  Kind = "sharing"  // 分享会
	KindPractice Kind = "practice" // 练兵日 (practice at a simulated window)
)

// Kinds lists the kinds in display order.
var Kinds = []Kind{KindLecture, KindSharing, KindPractice}

var kindLabels = map[Kind]string{KindLecture: "讲座", KindSharing: "分享会", KindPractice: "实操练兵"}

// Label is the kind's Chinese name.
func (k Kind) Label() string { return kindLabels[k] }

// Event is a lecture, sharing session or practice day at a time and place.
type Event struct {
	bun.BaseModel `bun:"table:training_events,alias:ev"`

	ID         int64     `bun:"id,pk,autoincrement" json:"id"`
	Title      string    `bun:"title" json:"title"`
	Kind       Kind      `bun:"kind" json:"kind"`
	Summary    string    `bun:"summary" json:"summary"`
	StartsAt   time.Time `bun:"starts_at" json:"starts_at"`
	EndsAt     time.Time `bun:"ends_at" json:"ends_at"`
	Place      string    `bun:"place" json:"place"`
	Capacity   int       `bun:"capacity" json:"capacity"`
	Registered int       `bun:"registered" json:"registered"`
	Hours      float64   `bun:"hours" json:"hours"`
	OrgID      int64     `bun:"org_id" json:"org_id"`
	CourseID   *int64    `bun:"course_id" json:"course_id,omitempty"`
	CreatedBy  *int64    `bun:"created_by" json:"-"`
	CreatedAt  time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt  time.Time `bun:"updated_at" json:"updated_at"`

	Status       Status     `bun:"status" json:"status"`
	CancelReason string     `bun:"cancel_reason" json:"cancel_reason,omitempty"`
	CancelledAt  *time.Time `bun:"cancelled_at" json:"cancelled_at,omitempty"`
	CancelledBy  *int64     `bun:"cancelled_by" json:"-"`

	OrgName  string  `bun:"org_name,scanonly" json:"org_name,omitempty"`
	OrgPath  string  `bun:"org_path,scanonly" json:"-"`
	Audience []int64 `bun:"-" json:"audience"` // org units whose clerks may attend
}

// Status says whether an event still takes place.
type Status string

// The event statuses.
const (
	StatusScheduled Status = "scheduled"
	StatusCancelled Status = "cancelled" // 已取消: registrations kept, nothing more taken
)

// Cancelled reports whether the event was called off.
func (e *Event) Cancelled() bool { return e.Status == StatusCancelled }

// StatusLabel is the event's status in Chinese.
func (e *Event) StatusLabel() string {
	if e.Cancelled() {
		return "已取消"
	}
	return "正常"
}

// KindLabel is the event kind's Chinese name.
func (e *Event) KindLabel() string { return e.Kind.Label() }

// Left is how many places are still free.
func (e *Event) Left() int { return max(0, e.Capacity-e.Registered) }

// Ended reports whether the event is over at now.
func (e *Event) Ended(now time.Time) bool { return !now.Before(e.EndsAt) }

// signInWindow is how long before the start and after the end sign-in stays open.
const signInWindow = 30 * time.Minute

// SignInOpen reports whether attendance may be taken at now.
func (e *Event) SignInOpen(now time.Time) bool {
	return !e.Cancelled() && !now.Before(e.StartsAt.Add(-signInWindow)) && now.Before(e.EndsAt.Add(signInWindow))
}

// Validate checks and normalises what a trainer supplies.
func (e *Event) Validate() error {
	f := map[string]string{}
	e.Title, e.Place, e.Summary = strings.TrimSpace(e.Title), strings.TrimSpace(e.Place), strings.TrimSpace(e.Summary)
	if n := utf8.RuneCountInString(e.Title); n < 2 || n > 100 {
		f["title"] = "标题须为2至100个字"
	}
	if e.Kind.Label() == "" {
		f["kind"] = "请选择活动类型：讲座、分享会或实操练兵"
	}
	if e.Place == "" || utf8.RuneCountInString(e.Place) > 100 {
		f["place"] = "地点不能为空，且不超过100字"
	}
	if utf8.RuneCountInString(e.Summary) > 2000 {
		f["summary"] = "简介不超过2000字"
	}
	if e.StartsAt.IsZero() || !e.EndsAt.After(e.StartsAt) || e.EndsAt.Sub(e.StartsAt) > 24*time.Hour {
		f["ends_at"] = "结束时间须晚于开始时间，且活动不超过24小时"
	}
	if e.Capacity < 1 || e.Capacity > 2000 {
		f["capacity"] = "名额须为1至2000人"
	}
	if err := checkHours(e.Hours, 24); err != "" {
		f["hours"] = err
	}
	if e.OrgID == 0 {
		f["org_id"] = "请选择主办机构"
	}
	if len(e.Audience) > 50 {
		f["audience"] = "参加范围最多50个机构"
	}
	return web.Invalid(f)
}

// checkHours tests an hours figure: positive, at most limit, in tenths of an hour.
func checkHours(h float64, limit float64) string {
	if h <= 0 || h > limit || math.Abs(h*10-math.Round(h*10)) > 1e-9 {
		return "学时须大于0、不超过" + trimFloat(limit) + "，最多一位小数"
	}
	return ""
}

// Round1 rounds a sum of hours to one decimal, hiding floating-point dust.
func Round1(h float64) float64 { return math.Round(h*10) / 10 }

func trimFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// Registration is one clerk's place at an event and, once taken, their attendance.
type Registration struct {
	bun.BaseModel `bun:"table:training_registrations,alias:r"`

	EventID      int64      `bun:"event_id,pk" json:"event_id"`
	UserID       int64      `bun:"user_id,pk" json:"user_id"`
	RegisteredAt time.Time  `bun:"registered_at" json:"registered_at"`
	RegisteredBy *int64     `bun:"registered_by" json:"-"`
	AttendedAt   *time.Time `bun:"attended_at" json:"attended_at"`
	AttendedVia  string     `bun:"attended_via" json:"attended_via,omitempty"` // trainer | code
	CodeFailures int        `bun:"code_failures" json:"-"`

	Name     string `bun:"name,scanonly" json:"name"`
	Username string `bun:"username,scanonly" json:"username"`
	OrgName  string `bun:"org_name,scanonly" json:"org_name"`
}

// ViaLabel says how attendance was taken.
func (r *Registration) ViaLabel() string {
	switch r.AttendedVia {
	case viaCode:
		return "签到码"
	case viaTrainer:
		return "培训师勾选"
	}
	return ""
}

const (
	viaCode    = "code"
	viaTrainer = "trainer"
)

// eventCode is one sign-in code shown in the room.
type eventCode struct {
	bun.BaseModel `bun:"table:training_event_codes,alias:ec"`

	ID        int64      `bun:"id,pk,autoincrement"`
	EventID   int64      `bun:"event_id"`
	Code      string     `bun:"code"`
	IssuedAt  time.Time  `bun:"issued_at"`
	ExpiresAt time.Time  `bun:"expires_at"`
	UsedBy    *int64     `bun:"used_by"`
	UsedAt    *time.Time `bun:"used_at"`
}

// Code is the sign-in code a trainer projects, with when it stops being valid.
type Code struct {
	EventID   int64     `json:"event_id"`
	Open      bool      `json:"open"` // sign-in is open now
	Code      string    `json:"code,omitempty"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	Attended  int       `json:"attended"`
	Message   string    `json:"message,omitempty"`
}

// When is the event's time in China time, e.g. "2026-03-15 14:00–16:00".
func (e *Event) When() string {
	s, t := e.StartsAt.In(China), e.EndsAt.In(China)
	if s.Format("2006-01-02") == t.Format("2006-01-02") {
		return s.Format("2006-01-02 15:04") + "–" + t.Format("15:04")
	}
	return s.Format("2006-01-02 15:04") + " 至 " + t.Format("2006-01-02 15:04")
}

// CancelledText is when the event was cancelled, China time.
func (e *Event) CancelledText() string {
	if e.CancelledAt == nil {
		return ""
	}
	return e.CancelledAt.In(China).Format("2006-01-02 15:04")
}

// AttendedText is when the clerk signed in, China time.
func (r *Registration) AttendedText() string {
	if r.AttendedAt == nil {
		return ""
	}
	return r.AttendedAt.In(China).Format("01-02 15:04")
}
