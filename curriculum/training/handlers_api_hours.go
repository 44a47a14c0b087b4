package training

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

func (h *Handler) apiListHours(c *fiber.Ctx) error {
	f, p, err := h.entryFilter(c)
	if err != nil {
		return err
	}
	if uid := web.QueryInt(c, "user_id", 0); uid != 0 && p.User == "" {
		f.UserID = int64(uid)
	}
	f.Page = pageQuery(c)
	list, n, err := h.store.FindEntries(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(listOf(list, n, f.Page))
}

type externalIn struct {
	UserID   int64   `json:"user_id" form:"user_id"`
	Title    string  `json:"title" form:"title"`
	Provider string  `json:"provider" form:"provider"`
	Hours    float64 `json:"hours" form:"hours"`
	Date     string  `json:"date" form:"date"`
	Note     string  `json:"note" form:"note"`
}

// apiCreateExternal takes JSON (evidence as a note) or multipart with an evidence file.
func (h *Handler) apiCreateExternal(c *fiber.Ctx) error {
	var in externalIn
	var err error
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
		err = web.BindForm(c, &in)
	} else {
		err = web.DecodeJSON(c, &in)
	}
	if err != nil {
		return err
	}
	x := &External{UserID: in.UserID, Title: in.Title, Provider: in.Provider, Hours: in.Hours, Date: in.Date, Note: in.Note}
	if err := h.checkClerk(c, in.UserID); err != nil {
		return err
	}
	if fh, err := c.FormFile("evidence"); err == nil {
		if x.File, err = readUpload(fh); err != nil {
			return err
		}
	}
	e, err := h.store.AddExternal(c.UserContext(), userID(c), x)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

// checkClerk refuses a clerk outside the units the caller may write hours for.
func (h *Handler) checkClerk(c *fiber.Ctx, uid int64) error {
	if uid <= 0 {
		return web.Invalid(map[string]string{"user": "请指明参训人员（user_id）"})
	}
	m, err := findMember(c.UserContext(), h.store.db, uid)
	if err != nil || !h.guards.Can(c, m.OrgPath, "hours", "write") {
		return web.Invalid(map[string]string{"user": "参训人员不在您管理的花名册中"})
	}
	return nil
}

type voidIn struct {
	Reason string `json:"reason"`
}

func (h *Handler) apiVoid(c *fiber.Ctx) error {
	e, err := h.entryParam(c, "write")
	if err != nil {
		return err
	}
	var in voidIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	e, err = h.store.VoidEntry(c.UserContext(), userID(c), e.ID, in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(e)
}

type myHoursOut struct {
	Year    int         `json:"year"`
	Hours   float64     `json:"hours"`
	Years   []YearTotal `json:"years"`
	Entries []*Entry    `json:"entries"`
	Total   int         `json:"total"`
}

func (h *Handler) apiMyHours(c *fiber.Ctx) error {
	ctx := c.UserContext()
	out := myHoursOut{Year: web.QueryInt(c, "year", YearOf(h.store.now()))}
	var err error
	if out.Years, err = h.store.YearTotals(ctx, userID(c)); err != nil {
		return err
	}
	f := EntryFilter{UserID: userID(c), Year: out.Year, Page: pageQuery(c)}
	if out.Entries, out.Total, err = h.store.FindEntries(ctx, f); err != nil {
		return err
	}
	if out.Years == nil {
		out.Years = []YearTotal{}
	}
	if out.Entries == nil {
		out.Entries = []*Entry{}
	}
	out.Hours, err = h.store.HoursFor(ctx, userID(c), out.Year)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// apiTotals answers one figure: a clerk's hours (user_id) or a unit's (org_id) in a year.
func (h *Handler) apiTotals(c *fiber.Ctx) error {
	ctx := c.UserContext()
	year := web.QueryInt(c, "year", YearOf(h.store.now()))
	if uid := int64(web.QueryInt(c, "user_id", 0)); uid != 0 {
		m, err := findMember(ctx, h.store.db, uid)
		if err != nil || !h.guards.Can(c, m.OrgPath, "hours", "read") {
			return web.Errorf(web.ENOTFOUND, "人员不存在")
		}
		hours, err := h.store.HoursFor(ctx, uid, year)
		return totalsOut(c, err, fiber.Map{"user_id": uid, "year": year, "hours": hours})
	}
	org := int64(web.QueryInt(c, "org_id", 0))
	if org == 0 {
		return web.Invalid(map[string]string{"user_id": "请指明 user_id 或 org_id"})
	}
	if err := h.checkOrg(c, org, "hours", "read"); err != nil {
		return err
	}
	hours, err := h.store.OrgHours(ctx, org, year)
	return totalsOut(c, err, fiber.Map{"org_id": org, "year": year, "hours": hours})
}

func totalsOut(c *fiber.Ctx, err error, body fiber.Map) error {
	if err != nil {
		return err
	}
	return c.JSON(body)
}

type unitsOut struct {
	listOut[UnitRow]
	Summary UnitRow `json:"summary"`
}

func (h *Handler) apiReportUnits(c *fiber.Ctx) error {
	f, err := h.reportFilter(c)
	if err != nil {
		return err
	}
	rows, n, total, err := h.store.ByUnit(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(unitsOut{listOut: listOf(rows, n, f.Page), Summary: total})
}

func (h *Handler) apiReportCourses(c *fiber.Ctx) error {
	f, err := h.reportFilter(c)
	if err != nil {
		return err
	}
	rows, n, err := h.store.ByCourse(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(listOf(rows, n, f.Page))
}

func (h *Handler) apiReportPeople(c *fiber.Ctx) error {
	f, err := h.reportFilter(c)
	if err != nil {
		return err
	}
	rows, n, err := h.store.ByPerson(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(listOf(rows, n, f.Page))
}
