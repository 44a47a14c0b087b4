// Package curriculum is courses and learning: trainers author courses mapped to the skill
// standard (modules, Markdown lessons, attachments), publish them in revisions and assign
// them; clerks read lessons, their progress is kept per lesson and a course completes when
// every required lesson is done. Training hours are kept elsewhere, behind HoursLedger.
package curriculum

import (
	"context"
	"html/template"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/exams"
)

// HoursLedger records training hours when a course completes. app hands in the training
// package's store; nil means hours are not kept. It may be told of the same completion
// more than once (a completed learner marking a lesson again retries a call that failed),
// so RecordCompletion must be idempotent per person and course.
type HoursLedger interface {
	RecordCompletion(ctx context.Context, userID, courseID int64, revision int, hours float64, at time.Time) error
}

// Kind is what sort of course it is.
type Kind string

// The course kinds.
const (
	KindTheory   Kind = "theory"   // 理论学习
	KindPractice Kind = "practice" // 模拟窗口实操
	KindLecture  Kind = "lecture"  // 讲座、分享会（如心理辅导）
)

// Kinds lists every kind in display order.
var Kinds = []Kind{KindTheory, KindPractice, KindLecture}

var kindLabels = map[Kind]string{KindTheory: "理论学习", KindPractice: "模拟窗口实操", KindLecture: "讲座与分享"}

// Label is the kind's Chinese name.
func (k Kind) Label() string { return kindLabels[k] }

// Revision statuses.
const (
	StatusDraft      = "draft"
	StatusPublished  = "published"
	StatusSuperseded = "superseded"
)

// Course is a course's identity: code, owner, sharing and which revisions exist.
type Course struct {
	bun.BaseModel `bun:"table:courses,alias:c"`

	ID           int64     `bun:"id,pk,autoincrement" json:"id"`
	Code         string    `bun:"code" json:"code"`
	OwnerOrgID   int64     `bun:"owner_org_id" json:"owner_org_id"`
	Shared       bool      `bun:"shared" json:"shared"`
	PublishedRev int       `bun:"published_rev" json:"published_revision"` // 0: never published
	LatestRev    int       `bun:"latest_rev" json:"latest_revision"`
	CopiedFrom   *int64    `bun:"copied_from" json:"copied_from,omitempty"`
	CreatedBy    *int64    `bun:"created_by" json:"-"`
	CreatedAt    time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt    time.Time `bun:"updated_at" json:"updated_at"`

	OwnerPath string    `bun:"owner_path,scanonly" json:"-"`
	OwnerName string    `bun:"owner_name,scanonly" json:"owner_name,omitempty"`
	Rev       *Revision `bun:"-" json:"revision,omitempty"` // the revision shown
}

// Published reports whether learners can take the course.
func (c *Course) Published() bool { return c.PublishedRev > 0 }

// HasDraft reports whether the latest revision is an unpublished draft.
func (c *Course) HasDraft() bool { return c.LatestRev > c.PublishedRev }

// StatusLabel describes the course's state for authors.
func (c *Course) StatusLabel() string {
	switch {
	case c.PublishedRev == 0:
		return "草稿"
	case c.HasDraft():
		return "已发布（有未发布的修改）"
	}
	return "已发布"
}

// Revision is one version of a course's content.
type Revision struct {
	bun.BaseModel `bun:"table:course_revisions,alias:r"`

	ID          int64      `bun:"id,pk,autoincrement" json:"-"`
	CourseID    int64      `bun:"course_id" json:"-"`
	Revision    int        `bun:"revision" json:"revision"`
	Status      string     `bun:"status" json:"status"`
	Title       string     `bun:"title" json:"title"`
	Summary     string     `bun:"summary" json:"summary"`
	Kind        Kind       `bun:"kind" json:"kind"`
	Levels      []int      `bun:"levels" json:"levels"`
	Codes       []string   `bun:"codes" json:"codes"`
	ClassHours  float64    `bun:"class_hours" json:"class_hours"`
	PublishedAt *time.Time `bun:"published_at" json:"published_at,omitempty"`
	PublishedBy *int64     `bun:"published_by" json:"-"`
	CreatedAt   time.Time  `bun:"created_at" json:"created_at"`

	Modules []*Module `bun:"-" json:"modules"`
}

// KindLabel is the kind's Chinese name, for templates.
func (r *Revision) KindLabel() string { return r.Kind.Label() }

// LevelNames lists the target levels by name, e.g. "五级、四级".
func (r *Revision) LevelNames() string {
	names := make([]string, 0, len(r.Levels))
	for _, l := range r.Levels {
		names = append(names, exams.LevelName(l))
	}
	return strings.Join(names, "、")
}

// Lessons lists the revision's lessons in reading order.
func (r *Revision) Lessons() []*Lesson {
	var out []*Lesson
	for _, m := range r.Modules {
		out = append(out, m.Lessons...)
	}
	return out
}

// Meta is what an author sets on a course besides its content.
type Meta struct {
	Code       string   `json:"code" form:"code"`
	Title      string   `json:"title" form:"title"`
	Summary    string   `json:"summary" form:"summary"`
	Kind       Kind     `json:"kind" form:"kind"`
	Levels     []int    `json:"levels" form:"levels"`
	Codes      []string `json:"codes" form:"codes"`
	ClassHours float64  `json:"class_hours" form:"class_hours"`
	OwnerOrgID int64    `json:"owner_org_id" form:"owner_org_id"`
	Shared     bool     `json:"shared" form:"shared"`
}

var courseCodeRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$`)

// Validate checks the meta against the standard in force: known levels and tree codes.
func (m *Meta) Validate(std *exams.Standard) error {
	f := map[string]string{}
	m.Code, m.Title, m.Summary = strings.TrimSpace(m.Code), strings.TrimSpace(m.Title), strings.TrimSpace(m.Summary)
	if !courseCodeRe.MatchString(m.Code) {
		f["code"] = "课程代码须为1至40个字母、数字、点、横线或下划线"
	}
	if m.Title == "" || utf8.RuneCountInString(m.Title) > 100 {
		f["title"] = "课程名称不能为空，且不超过100字"
	}
	if utf8.RuneCountInString(m.Summary) > 1000 {
		f["summary"] = "简介不超过1000字"
	}
	if m.Kind.Label() == "" {
		f["kind"] = "请选择课程类型"
	}
	if m.ClassHours <= 0 || m.ClassHours > 200 {
		f["class_hours"] = "课时须大于0且不超过200"
	}
	m.checkStandard(std, f)
	return web.Invalid(f)
}

func (m *Meta) checkStandard(std *exams.Standard, f map[string]string) {
	slices.Sort(m.Levels)
	m.Levels = slices.Compact(m.Levels)
	slices.Reverse(m.Levels)
	if len(m.Levels) == 0 {
		f["levels"] = "请至少选择一个适用等级"
	}
	for _, l := range m.Levels {
		if std.Level(l) == nil {
			f["levels"] = "标准中没有等级 " + strconv.Itoa(l)
		}
	}
	var codes []string
	for _, c := range m.Codes {
		if c = strings.TrimSpace(c); c == "" || slices.Contains(codes, c) {
			continue
		}
		if std.Node(c) == nil {
			f["codes"] = "现行标准中没有这个分支代码：" + c
		}
		codes = append(codes, c)
	}
	m.Codes = codes
}

// Module is an ordered group of lessons.
type Module struct {
	bun.BaseModel `bun:"table:course_modules,alias:m"`

	ID         int64  `bun:"id,pk,autoincrement" json:"id"`
	RevisionID int64  `bun:"revision_id" json:"-"`
	Key        int64  `bun:"module_key" json:"key"`
	Position   int    `bun:"position" json:"position"`
	Title      string `bun:"title" json:"title"`

	Lessons []*Lesson `bun:"-" json:"lessons"`
}

// Lesson is one page of reading in Markdown, with attachments and an optional video.
type Lesson struct {
	bun.BaseModel `bun:"table:course_lessons,alias:l"`

	ID         int64  `bun:"id,pk,autoincrement" json:"id"`
	RevisionID int64  `bun:"revision_id" json:"-"`
	ModuleID   int64  `bun:"module_id" json:"module_id"`
	Key        int64  `bun:"lesson_key" json:"key"`
	Position   int    `bun:"position" json:"position"`
	Title      string `bun:"title" json:"title"`
	Body       string `bun:"body" json:"body"`
	Required   bool   `bun:"required" json:"required"`
	Minutes    int    `bun:"minutes" json:"minutes"`
	VideoURL   string `bun:"video_url" json:"video_url"`

	Attachments []*Attachment `bun:"-" json:"attachments"`
	Done        bool          `bun:"-" json:"done,omitempty"` // for a learner's view
	HTML        template.HTML `bun:"-" json:"-"`              // rendered body, set by the reader cache
	CourseID    int64         `bun:"course_id,scanonly" json:"-"`
	RevisionNo  int           `bun:"revision_no,scanonly" json:"-"`
}

// LessonInput is what an author writes for a lesson.
type LessonInput struct {
	Title    string `json:"title" form:"title"`
	Body     string `json:"body" form:"body"`
	Required bool   `json:"required" form:"required"`
	Minutes  int    `json:"minutes" form:"minutes"`
	VideoURL string `json:"video_url" form:"video_url"`
}

// MaxLessonBody bounds a lesson's Markdown.
const MaxLessonBody = 200_000

// Validate checks a lesson: a title, a bounded body, and a video link over http(s) only.
func (in *LessonInput) Validate() error {
	f := map[string]string{}
	in.Title, in.VideoURL = strings.TrimSpace(in.Title), strings.TrimSpace(in.VideoURL)
	if in.Title == "" || utf8.RuneCountInString(in.Title) > 100 {
		f["title"] = "课节标题不能为空，且不超过100字"
	}
	if len(in.Body) > MaxLessonBody {
		f["body"] = "正文过长（不超过20万字节）"
	}
	if in.Minutes < 0 || in.Minutes > 600 {
		f["minutes"] = "建议学习时长须在0至600分钟之间"
	}
	if in.VideoURL != "" {
		u, err := url.Parse(in.VideoURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			f["video_url"] = "视频链接须为 http 或 https 地址"
		}
	}
	return web.Invalid(f)
}

// validTitle checks a module title.
func validTitle(t string) (string, error) {
	t = strings.TrimSpace(t)
	if t == "" || utf8.RuneCountInString(t) > 100 {
		return t, web.Invalid(map[string]string{"title": "模块名称不能为空，且不超过100字"})
	}
	return t, nil
}

// Revisions lists the course's revision numbers, oldest first.
func (c *Course) Revisions() []int {
	out := make([]int, 0, c.LatestRev)
	for i := 1; i <= c.LatestRev; i++ {
		out = append(out, i)
	}
	return out
}
