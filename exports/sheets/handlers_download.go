package sheets

import (
	"io"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/exports"
	"clerkskill/rbac"
)

// sendWorkbook writes the workbook to a temporary file and streams it from there, so a
// large export is held neither in memory nor half-sent when writing fails.
func sendWorkbook(c *fiber.Ctx, name string, write func(w io.Writer) error) error {
	f, err := os.CreateTemp("", "clerkskill-download-*.xlsx")
	if err != nil {
		return err
	}
	os.Remove(f.Name()) // the open file stays readable until the response closes it
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return err
	}
	attachment(c, name)
	return c.SendStream(f, int(size))
}

func attachment(c *fiber.Ctx, name string) {
	c.Set(fiber.HeaderContentType, exports.ContentType)
	c.Set(fiber.HeaderContentDisposition, "attachment; filename=\"export.xlsx\"; filename*=UTF-8''"+url.PathEscape(name))
}

func stamp(now time.Time) string { return now.Format("20060102") }

// exportScope is the caller's export:use scope, narrowed to ?org= when given (a unit
// outside it is not found).
func (h *Handler) exportScope(c *fiber.Ctx) (rbac.Scope, error) {
	scope := rbac.ScopeOf(c, "export", "use")
	id := int64(web.QueryInt(c, "org", 0))
	if id == 0 {
		return scope, nil
	}
	o, err := h.unit(c, id)
	if err != nil {
		return nil, err
	}
	return rbac.Scope{o.Path}, nil
}

// unit loads a unit the caller may export from; others answer not found.
func (h *Handler) unit(c *fiber.Ctx, id int64) (*rbac.OrgUnit, error) {
	o, err := h.store.people.FindOrgByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if !rbac.ScopeOf(c, "export", "use").Covers(o.Path) {
		return nil, web.Errorf(web.ENOTFOUND, "机构不存在")
	}
	return o, nil
}

// tooLarge queues kind as a background job when asked (?async=1) or when count rows
// exceed AsyncRows, answering with the job (API) or the exports page (browser).
func (h *Handler) tooLarge(c *fiber.Ctx, kind string, count int, p JobParams) (bool, error) {
	if c.Query("async") != "1" && count <= AsyncRows {
		return false, nil
	}
	j, err := h.store.QueueJob(c.UserContext(), userID(c), kind, p)
	if err != nil {
		return true, err
	}
	return true, h.answerJob(c, j)
}

func (h *Handler) answerJob(c *fiber.Ctx, j *Job) error {
	if web.WantsJSON(c) {
		c.Location("/api/v1/exports/jobs/" + strconv.FormatInt(j.ID, 10))
		return c.Status(fiber.StatusAccepted).JSON(j)
	}
	return c.Redirect("/exports?job="+strconv.FormatInt(j.ID, 10)+"#jobs", fiber.StatusSeeOther)
}

func (h *Handler) downloadRoster(c *fiber.Ctx) error {
	scope, err := h.exportScope(c)
	if err != nil {
		return err
	}
	n, err := h.store.CountPeople(c.UserContext(), scope)
	if err != nil {
		return err
	}
	if queued, err := h.tooLarge(c, KindRoster, n, JobParams{Scope: scope}); queued {
		return err
	}
	ids := h.idView(c)
	return sendWorkbook(c, "花名册"+stamp(h.store.now())+".xlsx", func(w io.Writer) error {
		_, err := h.store.WriteRoster(c.UserContext(), w, scope, ids, nil)
		return err
	})
}

func (h *Handler) downloadRegister(c *fiber.Ctx) error {
	scope, err := h.exportScope(c)
	if err != nil {
		return err
	}
	n, err := h.store.CountCertificates(c.UserContext(), scope)
	if err != nil {
		return err
	}
	if queued, err := h.tooLarge(c, KindCertificates, n, JobParams{Scope: scope}); queued {
		return err
	}
	ids := h.idView(c)
	return sendWorkbook(c, "证书登记"+stamp(h.store.now())+".xlsx", func(w io.Writer) error {
		_, err := h.store.WriteRegister(c.UserContext(), w, scope, ids, nil)
		return err
	})
}

// assessmentParams reads ?org (default: the top of the caller's scope), ?year (default
// this year) and ?staff (one person of that unit).
func (h *Handler) assessmentParams(c *fiber.Ctx) (JobParams, string, error) {
	p := JobParams{Year: web.QueryInt(c, "year", h.store.now().Year()), StaffID: int64(web.QueryInt(c, "staff", 0))}
	if p.Year < 2000 || p.Year > 2100 {
		return p, "", web.Invalid(map[string]string{"year": "年度须在2000至2100之间"})
	}
	id := int64(web.QueryInt(c, "org", 0))
	if id == 0 {
		id = rbac.ScopeOf(c, "export", "use").TopID()
	}
	o, err := h.unit(c, id)
	if err != nil {
		return p, "", err
	}
	p.Path = o.Path
	return p, o.Name, nil
}

func (h *Handler) downloadAssessment(c *fiber.Ctx) error {
	p, name, err := h.assessmentParams(c)
	if err != nil {
		return err
	}
	if c.Query("async") == "1" {
		_, err := h.tooLarge(c, KindAssessment, 0, p)
		return err
	}
	ids := h.idView(c)
	return sendWorkbook(c, name+strconv.Itoa(p.Year)+"年度考核表.xlsx", func(w io.Writer) error {
		return h.store.WriteAssessmentBook(c.UserContext(), w, p.Path, p.StaffID, p.Year, ids)
	})
}

func (h *Handler) downloadGradebook(c *fiber.Ctx) error {
	id, err := rbac.ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	gs, err := h.store.FindGradeSession(c.UserContext(), id)
	if err != nil {
		return err
	}
	if err := h.guards.Check(c, gs.OrgPath, "result", "read"); err != nil {
		return err
	}
	g, err := h.store.Gradebook(c.UserContext(), gs)
	if err != nil {
		return err
	}
	return sendWorkbook(c, gs.Name+"成绩单.xlsx", g.Write)
}

func (h *Handler) downloadRosterTemplate(c *fiber.Ctx) error {
	return sendWorkbook(c, "花名册导入模板.xlsx", WriteRosterTemplate)
}
