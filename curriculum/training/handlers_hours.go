package training

import (
	"errors"
	"io"
	"mime/multipart"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

type hoursListPage struct {
	Entries  []*Entry
	Year     int
	Source   Source
	OrgID    int64
	User     string
	Voided   bool
	Message  string
	Orgs     []OrgOption
	Years    []int
	Sources  []Source
	Pager    web.Pager
	CanWrite bool
}

type externalForm struct {
	User     string `form:"user"`
	Title    string `form:"title"`
	Provider string `form:"provider"`
	Hours    string `form:"hours"`
	Date     string `form:"date"`
	Note     string `form:"note"`
}

type externalPage struct {
	Form   externalForm
	Errors map[string]string
	MaxMB  int
}

type myHoursPage struct {
	Totals  []YearTotal
	Year    int
	Hours   float64
	Entries []*Entry
	Pager   web.Pager
}

// entryFilter reads the ledger filters from the query; a username that names nobody in
// scope leaves the message to show and no rows.
func (h *Handler) entryFilter(c *fiber.Ctx) (EntryFilter, hoursListPage, error) {
	f := EntryFilter{Scope: rbac.ScopeOf(c, "hours", "read"), Year: web.QueryInt(c, "year", YearOf(h.store.now())),
		Source: Source(strings.Clone(c.Query("source"))), OrgID: int64(web.QueryInt(c, "org", 0)),
		Voided: c.Query("voided") == "1", Page: Page{Offset: web.QueryInt(c, "offset", 0)}}
	p := hoursListPage{Year: f.Year, Source: f.Source, OrgID: f.OrgID, Voided: f.Voided, User: strings.TrimSpace(c.Query("user"))}
	if f.OrgID != 0 {
		if err := h.checkOrg(c, f.OrgID, "hours", "read"); err != nil {
			return f, p, err
		}
	}
	if p.User != "" {
		uid, path, err := h.store.FindMemberByUsername(c.UserContext(), p.User)
		if err != nil || !f.Scope.Covers(path) {
			p.Message, f.UserID = "没有找到该用户名的在册人员", -1
			return f, p, nil
		}
		f.UserID = uid
	}
	return f, p, nil
}

func (h *Handler) listHours(c *fiber.Ctx) error {
	f, p, err := h.entryFilter(c)
	if err != nil {
		return err
	}
	if p.Entries, p.Pager.Total, err = h.store.FindEntries(c.UserContext(), f); err != nil {
		return err
	}
	if p.Orgs, err = h.store.OrgOptions(c.UserContext(), f.Scope); err != nil {
		return err
	}
	q := url.Values{"year": {strconv.Itoa(f.Year)}}
	setNonZero(q, "org", int(f.OrgID))
	for k, v := range map[string]string{"source": string(f.Source), "user": p.User} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.Voided {
		q.Set("voided", "1")
	}
	p.Pager.Offset, p.Pager.Limit, p.Pager.Query = f.Offset, f.Normalize().Limit, q.Encode()
	p.Years, p.Sources, p.CanWrite = yearChoices(h.store.now()), Sources, !rbac.ScopeOf(c, "hours", "read").Empty() && h.canWriteHours(c)
	return h.render(c, "hours_list", "学时台账", p)
}

func (h *Handler) canWriteHours(c *fiber.Ctx) bool {
	for _, p := range rbac.ScopeOf(c, "hours", "read") {
		if h.guards.Can(c, p, "hours", "write") {
			return true
		}
	}
	return false
}

func (h *Handler) newExternal(c *fiber.Ctx) error {
	f := externalForm{User: strings.Clone(c.Query("user")), Date: h.store.now().In(China).Format("2006-01-02")}
	return h.renderStatus(c, fiber.StatusOK, "hours_form", "登记外部培训学时", externalPage{Form: f, MaxMB: MaxEvidenceBytes >> 20})
}

func (h *Handler) createExternal(c *fiber.Ctx) error {
	var f externalForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	x, err := h.externalOf(c, f)
	if err == nil {
		_, err = h.store.AddExternal(c.UserContext(), userID(c), x)
	}
	status := fiber.StatusBadRequest
	if errors.Is(err, errEvidenceTooLarge) {
		status, err = fiber.StatusRequestEntityTooLarge, web.Invalid(errEvidenceTooLarge.Fields)
	}
	errs, err := formErrors(err)
	if err != nil {
		return err
	}
	if errs != nil {
		return h.renderStatus(c, status, "hours_form", "登记外部培训学时", externalPage{Form: f, Errors: errs, MaxMB: MaxEvidenceBytes >> 20})
	}
	return c.Redirect("/hours?user="+url.QueryEscape(f.User)+"&flash="+url.QueryEscape("外部培训学时已登记"), fiber.StatusSeeOther)
}

// externalOf turns the form and its file into an entry for a clerk the caller may write for.
func (h *Handler) externalOf(c *fiber.Ctx, f externalForm) (*External, error) {
	x := &External{Title: f.Title, Provider: f.Provider, Date: f.Date, Note: f.Note}
	hours, err := strconv.ParseFloat(strings.TrimSpace(f.Hours), 64)
	if err != nil {
		return nil, web.Invalid(map[string]string{"hours": "学时须为数字，如 8 或 1.5"})
	}
	x.Hours = hours
	if x.UserID, err = h.clerkFor(c, f.User); err != nil {
		return nil, err
	}
	if fh, err := c.FormFile("evidence"); err == nil && fh.Size > 0 {
		if x.File, err = readUpload(fh); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// readUpload reads an uploaded evidence file, refusing one over the size limit.
func readUpload(fh *multipart.FileHeader) (*Evidence, error) {
	if fh.Size > MaxEvidenceBytes {
		return nil, errEvidenceTooLarge
	}
	file, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, MaxEvidenceBytes+1))
	if err != nil {
		return nil, err
	}
	return &Evidence{Name: strings.Clone(fh.Filename), Data: data}, nil
}

// clerkFor resolves a username to a clerk on a roster the caller may write hours for.
func (h *Handler) clerkFor(c *fiber.Ctx, username string) (int64, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	if username == "" {
		return 0, web.Invalid(map[string]string{"user": "请填写参训人员的用户名"})
	}
	uid, path, err := h.store.FindMemberByUsername(c.UserContext(), username)
	if err != nil {
		return 0, err
	}
	if !h.guards.Can(c, path, "hours", "write") {
		return 0, web.Invalid(map[string]string{"user": "没有这个用户名的在册人员：" + username})
	}
	return uid, nil
}

func (h *Handler) voidEntry(c *fiber.Ctx) error {
	e, err := h.entryParam(c, "write")
	if err != nil {
		return err
	}
	if _, err := h.store.VoidEntry(c.UserContext(), userID(c), e.ID, c.FormValue("reason")); err != nil {
		return err
	}
	return c.Redirect("/hours?year="+strconv.Itoa(e.Year)+"&voided=1&flash="+url.QueryEscape("记录已作废"), fiber.StatusSeeOther)
}

func (h *Handler) downloadEvidence(c *fiber.Ctx) error {
	e, err := h.entryParam(c, "read")
	if err != nil {
		return err
	}
	rs, size, err := h.store.Evidence(c.UserContext(), e)
	if err != nil {
		return err
	}
	// An entry's evidence never changes once stored, so the entry id is a strong ETag.
	d := web.Download{Name: e.EvidenceName, Type: e.EvidenceType, Size: size, ModTime: e.CreatedAt, ETag: "ev-" + strconv.FormatInt(e.ID, 10)}
	return web.ServeContent(c, d, rs)
}

func (h *Handler) showMyHours(c *fiber.Ctx) error {
	ctx := c.UserContext()
	totals, err := h.store.YearTotals(ctx, userID(c))
	if err != nil {
		return err
	}
	p := myHoursPage{Totals: totals, Year: web.QueryInt(c, "year", YearOf(h.store.now()))}
	f := EntryFilter{UserID: userID(c), Year: p.Year, Page: Page{Offset: web.QueryInt(c, "offset", 0)}}
	if p.Entries, p.Pager.Total, err = h.store.FindEntries(ctx, f); err != nil {
		return err
	}
	if p.Hours, err = h.store.HoursFor(ctx, userID(c), p.Year); err != nil {
		return err
	}
	p.Pager.Offset, p.Pager.Limit, p.Pager.Query = f.Offset, f.Normalize().Limit, "year="+strconv.Itoa(p.Year)
	return h.render(c, "hours_mine", "我的学时", p)
}
