package training

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

type eventListPage struct {
	Events   []*Event
	Year     int
	Kind     Kind
	OrgID    int64
	Kinds    []Kind
	Years    []int
	Orgs     []OrgOption
	Pager    web.Pager
	CanWrite bool
}

type eventForm struct {
	Title    string `form:"title"`
	Kind     string `form:"kind"`
	Summary  string `form:"summary"`
	StartsAt string `form:"starts_at"`
	EndsAt   string `form:"ends_at"`
	Place    string `form:"place"`
	Capacity string `form:"capacity"`
	Hours    string `form:"hours"`
	OrgID    string `form:"org_id"`
	CourseID string `form:"course_id"`
}

type eventFormPage struct {
	Form     eventForm
	Audience map[int64]bool
	Orgs     []OrgOption
	Kinds    []Kind
	Errors   map[string]string

	Event      *Event // the event being changed; nil for a new one
	TimesFixed string // why the times can no longer change
	HoursFixed string // why the hours can no longer change
}

type eventShowPage struct {
	Event         *Event
	Registrations []*Registration
	Attended      int
	SignInOpen    bool
	CanWrite      bool
	Errors        map[string]string
}

type eventCodePage struct {
	Event *Event
	Code  *Code
}

// yearChoices offers this year, four before and one after.
func yearChoices(now time.Time) []int {
	y := YearOf(now)
	return []int{y + 1, y, y - 1, y - 2, y - 3, y - 4}
}

func (h *Handler) listEvents(c *fiber.Ctx) error {
	scope := rbac.ScopeOf(c, "event", "read")
	f := EventFilter{Scope: scope, Year: web.QueryInt(c, "year", 0), Kind: Kind(strings.Clone(c.Query("kind"))),
		OrgID: int64(web.QueryInt(c, "org", 0)), Page: Page{Offset: web.QueryInt(c, "offset", 0)}}
	list, n, err := h.store.FindEvents(c.UserContext(), f)
	if err != nil {
		return err
	}
	orgs, err := h.store.OrgOptions(c.UserContext(), scope)
	if err != nil {
		return err
	}
	q := url.Values{}
	setNonZero(q, "year", f.Year)
	setNonZero(q, "org", int(f.OrgID))
	if f.Kind != "" {
		q.Set("kind", string(f.Kind))
	}
	return h.render(c, "event_list", "培训活动", eventListPage{Events: list, Year: f.Year, Kind: f.Kind, OrgID: f.OrgID,
		Kinds: Kinds, Years: yearChoices(h.store.now()), Orgs: orgs, CanWrite: h.canWriteAny(c),
		Pager: web.Pager{Offset: f.Offset, Limit: f.Normalize().Limit, Total: n, Query: q.Encode()}})
}

func setNonZero(q url.Values, name string, v int) {
	if v != 0 {
		q.Set(name, strconv.Itoa(v))
	}
}

// canWriteAny reports whether the caller may create events somewhere.
func (h *Handler) canWriteAny(c *fiber.Ctx) bool {
	for _, p := range rbac.ScopeOf(c, "event", "read") {
		if h.guards.Can(c, p, "event", "write") {
			return true
		}
	}
	return false
}

func (h *Handler) newEvent(c *fiber.Ctx) error {
	start := h.store.now().In(China).AddDate(0, 0, 7).Truncate(time.Hour)
	f := eventForm{Kind: string(KindLecture), StartsAt: start.Format(formTime), EndsAt: start.Add(2 * time.Hour).Format(formTime),
		Capacity: "50", Hours: "2"}
	return h.eventForm(c, fiber.StatusOK, f, nil, nil)
}

func (h *Handler) eventForm(c *fiber.Ctx, status int, f eventForm, audience []int64, errs map[string]string) error {
	p, err := h.formPage(c, f, audience, errs)
	if err != nil {
		return err
	}
	return h.renderStatus(c, status, "event_form", "新建培训活动", p)
}

// formPage offers the units the caller may hold events for, with the audience ticked.
func (h *Handler) formPage(c *fiber.Ctx, f eventForm, audience []int64, errs map[string]string) (eventFormPage, error) {
	orgs, err := h.store.OrgOptions(c.UserContext(), rbac.ScopeOf(c, "event", "write"))
	aud := map[int64]bool{}
	for _, id := range audience {
		aud[id] = true
	}
	return eventFormPage{Form: f, Audience: aud, Orgs: orgs, Kinds: Kinds, Errors: errs}, err
}

// formTime is the layout of datetime-local inputs, read in China time.
const formTime = "2006-01-02T15:04"

// event turns the form into an event, collecting every problem.
func (f eventForm) event(audience []int64) (*Event, map[string]string) {
	errs := map[string]string{}
	e := &Event{Title: f.Title, Kind: Kind(f.Kind), Summary: f.Summary, Place: f.Place, Audience: audience}
	var err error
	if e.StartsAt, err = time.ParseInLocation(formTime, strings.TrimSpace(f.StartsAt), China); err != nil {
		errs["starts_at"] = "请填写开始时间"
	}
	if e.EndsAt, err = time.ParseInLocation(formTime, strings.TrimSpace(f.EndsAt), China); err != nil {
		errs["ends_at"] = "请填写结束时间"
	}
	e.StartsAt, e.EndsAt = e.StartsAt.UTC(), e.EndsAt.UTC()
	if e.Capacity, err = strconv.Atoi(strings.TrimSpace(f.Capacity)); err != nil {
		errs["capacity"] = "名额须为整数"
	}
	if e.Hours, err = strconv.ParseFloat(strings.TrimSpace(f.Hours), 64); err != nil {
		errs["hours"] = "学时须为数字，如 2 或 1.5"
	}
	e.OrgID, _ = strconv.ParseInt(f.OrgID, 10, 64)
	if v := strings.TrimSpace(f.CourseID); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			errs["course_id"] = "关联课程编号须为正整数"
		}
		e.CourseID = &id
	}
	return e, errs
}

func (h *Handler) createEvent(c *fiber.Ctx) error {
	var f eventForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	audience, err := formIDs(c, "audience")
	if err != nil {
		return err
	}
	e, errs := f.event(audience)
	if verr, ok := e.Validate().(*web.Error); ok {
		for k, v := range verr.Fields {
			if errs[k] == "" {
				errs[k] = v
			}
		}
	}
	if len(errs) == 0 {
		err = h.createEventChecked(c, e)
		if errs, err = formErrors(err); err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return h.eventForm(c, fiber.StatusBadRequest, f, audience, errs)
	}
	return c.Redirect("/events/"+strconv.FormatInt(e.ID, 10)+"?flash="+url.QueryEscape("活动已创建"), fiber.StatusSeeOther)
}

// createEventChecked creates the event when the caller may write at its owner unit and
// at every unit of its audience.
func (h *Handler) createEventChecked(c *fiber.Ctx, e *Event) error {
	if e.OrgID != 0 {
		if err := h.checkOrg(c, e.OrgID, "event", "write"); err != nil {
			return web.Invalid(map[string]string{"org_id": "您不能在该机构主办活动"})
		}
	}
	for _, id := range e.Audience {
		if err := h.checkOrg(c, id, "event", "write"); err != nil {
			return web.Invalid(map[string]string{"audience": "参加范围超出了您的管理范围"})
		}
	}
	return h.store.CreateEvent(c.UserContext(), userID(c), e)
}

// formErrors returns the per-field messages of an invalid or conflicting input, to show in
// a form; any other error is returned as is.
func formErrors(err error) (map[string]string, error) {
	if e, ok := err.(*web.Error); ok && (e.Code == web.EINVALID || e.Code == web.ECONFLICT) {
		if e.Fields != nil {
			return e.Fields, nil
		}
		return map[string]string{"_": e.Message}, nil
	}
	return nil, err
}

func (h *Handler) showEvent(c *fiber.Ctx) error {
	e, err := h.eventParam(c, "read")
	if err != nil {
		return err
	}
	return h.renderEvent(c, fiber.StatusOK, e, nil)
}

func (h *Handler) renderEvent(c *fiber.Ctx, status int, e *Event, errs map[string]string) error {
	regs, err := h.store.FindRegistrations(c.UserContext(), e.ID)
	if err != nil {
		return err
	}
	p := eventShowPage{Event: e, Registrations: regs, SignInOpen: e.SignInOpen(h.store.now()),
		CanWrite: h.guards.Can(c, e.OrgPath, "event", "write"), Errors: errs}
	for _, r := range regs {
		if r.AttendedAt != nil {
			p.Attended++
		}
	}
	return h.renderStatus(c, status, "event_show", e.Title, p)
}

func (h *Handler) markAttendance(c *fiber.Ctx) error {
	e, err := h.eventParam(c, "write")
	if err != nil {
		return err
	}
	ids, err := formIDs(c, "user_id")
	if err != nil {
		return err
	}
	for _, name := range strings.FieldsFunc(c.FormValue("usernames"), func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '\n' || r == '\r' }) {
		uid, _, err := h.store.FindMemberByUsername(c.UserContext(), name)
		if err != nil {
			return h.renderEvent(c, fiber.StatusBadRequest, e, map[string]string{"usernames": "没有这个用户名的在册人员：" + name})
		}
		ids = append(ids, uid)
	}
	n, err := h.store.MarkAttended(c.UserContext(), userID(c), e.ID, ids)
	if errs, err := formErrors(err); err != nil || errs != nil {
		if err != nil {
			return err
		}
		return h.renderEvent(c, fiber.StatusBadRequest, e, errs)
	}
	return c.Redirect("/events/"+strconv.FormatInt(e.ID, 10)+"?flash="+url.QueryEscape("已签到 "+strconv.Itoa(n)+" 人"), fiber.StatusSeeOther)
}

func (h *Handler) showCode(c *fiber.Ctx) error {
	e, err := h.eventParam(c, "write")
	if err != nil {
		return err
	}
	code, err := h.store.CurrentCode(c.UserContext(), e.ID)
	if err != nil {
		return err
	}
	return h.render(c, "event_code", "签到码 · "+e.Title, eventCodePage{Event: e, Code: code})
}
