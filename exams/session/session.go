// Package session runs exam day: sessions (考试场次) with their parts, candidates and
// staff; attempts whose time and state the server owns; the exam page; integrity events
// and the invigilator's live view.
package session

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/exams/paper"
)

// Session statuses. Whether a scheduled session is upcoming, open or over follows from
// its window and the clock.
const (
	StatusScheduled = "scheduled"
	StatusCancelled = "cancelled"
)

// Staff roles in a session.
const (
	RoleInvigilator = "invigilator" // 监考
	RoleAssessor    = "assessor"    // 考评员
)

// Session is one exam session (考试场次) at one level, owned by an org unit.
type Session struct {
	bun.BaseModel `bun:"table:exam_sessions,alias:es"`

	ID                int64     `bun:"id,pk,autoincrement" json:"id"`
	Name              string    `bun:"name" json:"name"`
	Level             int       `bun:"level" json:"level"`
	StandardVersionID int64     `bun:"standard_version_id" json:"standard_version_id"`
	OrgID             int64     `bun:"org_id" json:"org_id"`
	OpensAt           time.Time `bun:"opens_at" json:"opens_at"`
	ClosesAt          time.Time `bun:"closes_at" json:"closes_at"`
	Rooms             []string  `bun:"rooms" json:"rooms"`
	ResultsHeld       bool      `bun:"results_held" json:"results_held"`
	Status            string    `bun:"status" json:"status"`
	CreatedBy         *int64    `bun:"created_by" json:"created_by,omitempty"`
	CreatedAt         time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt         time.Time `bun:"updated_at" json:"updated_at"`

	Parts   []*Part `bun:"rel:has-many,join:id=session_id" json:"parts"`
	OrgName string  `bun:"-" json:"org_name"`
	OrgPath string  `bun:"-" json:"-"`
}

// Part is one paper of a session with its duration and the source of its questions.
type Part struct {
	bun.BaseModel `bun:"table:session_parts,alias:sp"`

	ID              int64  `bun:"id,pk,autoincrement" json:"id"`
	SessionID       int64  `bun:"session_id" json:"session_id"`
	Kind            string `bun:"part" json:"part"`
	DurationMinutes int    `bun:"duration_minutes" json:"duration_minutes"`
	BlueprintID     *int64 `bun:"blueprint_id" json:"blueprint_id,omitempty"`
	PaperID         *int64 `bun:"paper_id" json:"paper_id,omitempty"`
	PaperRevision   int    `bun:"-" json:"-"` // the fixed paper's revision, where a start read it
}

// Label is the part's Chinese name.
func (p *Part) Label() string { return exams.PartLabel(p.Kind) }

// Source is where the part's questions come from.
func (p *Part) Source() paper.Source {
	var s paper.Source
	if p.BlueprintID != nil {
		s.BlueprintID = *p.BlueprintID
	}
	if p.PaperID != nil {
		s.PaperID, s.Revision = *p.PaperID, p.PaperRevision
	}
	return s
}

// Candidate is one person sitting a session.
type Candidate struct {
	bun.BaseModel `bun:"table:session_candidates,alias:sc"`

	SessionID int64     `bun:"session_id,pk" json:"session_id"`
	UserID    int64     `bun:"user_id,pk" json:"user_id"`
	Room      string    `bun:"room" json:"room"`
	Seat      string    `bun:"seat" json:"seat"`
	AddedAt   time.Time `bun:"added_at" json:"added_at"`
	Name      string    `bun:"name,scanonly" json:"name"`
	Username  string    `bun:"username,scanonly" json:"username"`
}

// StaffMember is an invigilator or assessor of a session.
type StaffMember struct {
	bun.BaseModel `bun:"table:session_staff,alias:ss2"`

	SessionID int64  `bun:"session_id,pk" json:"session_id"`
	UserID    int64  `bun:"user_id,pk" json:"user_id"`
	Role      string `bun:"role,pk" json:"role"`
	Room      string `bun:"room" json:"room"`
	Name      string `bun:"name,scanonly" json:"name"`
	Username  string `bun:"username,scanonly" json:"username"`
}

// RoleLabel is the staff role's Chinese name.
func (m *StaffMember) RoleLabel() string {
	if m.Role == RoleAssessor {
		return "考评员"
	}
	return "监考员"
}

// LevelName is the session level's national name.
func (s *Session) LevelName() string { return exams.LevelName(s.Level) }

// Phase says where the session stands at now: 未开始, 进行中, 已结束 or 已取消.
func (s *Session) Phase(now time.Time) string {
	switch {
	case s.Status == StatusCancelled:
		return "已取消"
	case now.Before(s.OpensAt):
		return "未开始"
	case now.Before(s.ClosesAt):
		return "进行中"
	}
	return "已结束"
}

// IsOpen reports whether candidates may start at now.
func (s *Session) IsOpen(now time.Time) bool {
	return s.Status == StatusScheduled && !now.Before(s.OpensAt) && now.Before(s.ClosesAt)
}

// Part returns the session's part with id, nil when it has none.
func (s *Session) Part(id int64) *Part {
	for _, p := range s.Parts {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// PartInput is one part as a trainer schedules it.
type PartInput struct {
	Kind            string       `json:"part"`
	DurationMinutes int          `json:"duration_minutes"`
	Source          paper.Source `json:"source"`
}

// Input is what a trainer fills in to create or edit a session.
type Input struct {
	Name        string      `json:"name"`
	Level       int         `json:"level"`
	OrgID       int64       `json:"org_id"`
	OpensAt     time.Time   `json:"opens_at"`
	ClosesAt    time.Time   `json:"closes_at"`
	Rooms       []string    `json:"rooms"`
	ResultsHeld *bool       `json:"results_held"`
	Parts       []PartInput `json:"parts"`
}

// Validate checks the input against the standard in force: a known level, parts that
// level has, a duration and exactly one source per part, a window that ends after it opens.
func (in *Input) Validate(std *exams.Standard) error {
	in.Name = strings.TrimSpace(in.Name)
	f := map[string]string{}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 100 {
		f["name"] = "请填写场次名称（不超过100字）"
	}
	lv := std.Level(in.Level)
	if lv == nil {
		f["level"] = "请选择五级至一级中的一个等级"
	}
	if in.OrgID == 0 {
		f["org_id"] = "请选择主办机构"
	}
	if in.OpensAt.IsZero() || in.ClosesAt.IsZero() || !in.ClosesAt.After(in.OpensAt) {
		f["window"] = "请填写开考和截止时间，截止须晚于开考"
	}
	in.Rooms = cleanRooms(in.Rooms)
	if len(in.Parts) == 0 {
		f["parts"] = "至少安排一个科目"
	}
	if lv != nil {
		checkParts(in.Parts, lv, f)
	}
	return web.Invalid(f)
}

func checkParts(parts []PartInput, lv *exams.Level, f map[string]string) {
	seen := map[string]bool{}
	for _, p := range parts {
		key := "part_" + p.Kind
		switch {
		case lv.Part(p.Kind) == nil:
			f[key] = exams.LevelName(lv.Code) + "没有科目“" + exams.PartLabel(p.Kind) + "”"
		case seen[p.Kind]:
			f[key] = "科目“" + exams.PartLabel(p.Kind) + "”重复"
		case p.DurationMinutes < 1 || p.DurationMinutes > 600:
			f[key] = exams.PartLabel(p.Kind) + "：时长须在1至600分钟之间"
		case (p.Source.BlueprintID == 0) == (p.Source.PaperID == 0):
			f[key] = exams.PartLabel(p.Kind) + "：请指定一个组卷方案或一份固定试卷（二者选一）"
		}
		seen[p.Kind] = true
	}
}

func cleanRooms(rooms []string) []string {
	out := []string{}
	for _, r := range rooms {
		if r = strings.TrimSpace(r); r != "" && !contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
