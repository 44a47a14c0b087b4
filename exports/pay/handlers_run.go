package pay

import (
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

// runMonths is how many past months the runs page lists.
const runMonths = 12

type runsPage struct {
	Units    []*Unit
	Unit     *Unit
	Periods  []PeriodState
	Runs     []*Run
	CanClose bool
}

type runPage struct {
	Run      *Run
	Preview  *Preview
	CanClose bool
}

// runForm is what closing and reopening read, from a form or a JSON body.
type runForm struct {
	Org    int64  `json:"org" form:"org"`
	Period string `json:"period" form:"period"`
	Reason string `json:"reason" form:"reason"`
}

func readRunForm(c *fiber.Ctx) (runForm, error) {
	var f runForm
	if err := c.BodyParser(&f); err != nil {
		return f, web.Errorf(web.EINVALID, "无法读取请求")
	}
	f.Period, f.Reason = strings.Clone(f.Period), strings.Clone(f.Reason)
	return f, nil
}

// runParam loads the run in the path and checks the caller may do act on pay runs at
// its unit; others find nothing.
func (h *Handler) runParam(c *fiber.Ctx, act string) (*Run, error) {
	id, err := rbac.ParseID(c.Params("id"))
	if err != nil {
		return nil, err
	}
	run, err := h.store.FindRun(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return run, h.guards.Check(c, run.OrgPath, "payrun", act)
}

func (h *Handler) runsData(c *fiber.Ctx) (*runsPage, error) {
	u, err := h.unitParam(c, c.Query("org"), "payrun", "read")
	if err != nil {
		return nil, err
	}
	ctx := c.UserContext()
	p := &runsPage{Unit: u, CanClose: h.guards.Can(c, u.Path, "payrun", "close")}
	if p.Runs, err = h.store.FindRuns(ctx, u.ID); err != nil {
		return nil, err
	}
	p.Periods = PeriodStates(p.Runs, h.store.now(), runMonths)
	p.Units, err = h.store.Units(ctx, rbac.ScopeOf(c, "payrun", "read"))
	return p, err
}

func (h *Handler) listRuns(c *fiber.Ctx) error {
	p, err := h.runsData(c)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pay_runs", "绩效工资核定", p)
}

func (h *Handler) apiRuns(c *fiber.Ctx) error {
	p, err := h.runsData(c)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"org": p.Unit, "periods": p.Periods, "runs": p.Runs})
}

// closeFromForm closes the month named by the form for the unit named there.
func (h *Handler) closeFromForm(c *fiber.Ctx) (*Run, error) {
	f, err := readRunForm(c)
	if err != nil {
		return nil, err
	}
	period, perr := ParsePeriod(f.Period)
	if f.Org == 0 || perr != nil {
		fields := map[string]string{}
		if f.Org == 0 {
			fields["org"] = "请选择机构"
		}
		if perr != nil {
			fields["period"] = web.ErrorMessage(perr)
		}
		return nil, web.Invalid(fields)
	}
	u, err := h.unitParam(c, strconv.FormatInt(f.Org, 10), "payrun", "close")
	if err != nil {
		return nil, err
	}
	return h.store.CloseRun(c.UserContext(), userID(c), u, period)
}

func (h *Handler) closeRun(c *fiber.Ctx) error {
	run, err := h.closeFromForm(c)
	if err != nil {
		return err
	}
	return c.Redirect("/pay/runs/"+strconv.FormatInt(run.ID, 10), fiber.StatusSeeOther)
}

func (h *Handler) apiCloseRun(c *fiber.Ctx) error {
	run, err := h.closeFromForm(c)
	if err != nil {
		return err
	}
	c.Location("/api/v1/pay/runs/" + strconv.FormatInt(run.ID, 10))
	return c.Status(fiber.StatusCreated).JSON(runView(run))
}

func (h *Handler) reopen(c *fiber.Ctx) (*Run, error) {
	run, err := h.runParam(c, "close")
	if err != nil {
		return nil, err
	}
	f, err := readRunForm(c)
	if err != nil {
		return nil, err
	}
	if err := h.store.ReopenRun(c.UserContext(), userID(c), run, f.Reason); err != nil {
		return nil, err
	}
	return h.store.FindRun(c.UserContext(), run.ID) // with the names of who closed and reopened it
}

func (h *Handler) reopenRun(c *fiber.Ctx) error {
	run, err := h.reopen(c)
	if err != nil {
		return err
	}
	return c.Redirect("/pay/runs?org="+strconv.FormatInt(run.OrgID, 10), fiber.StatusSeeOther)
}

func (h *Handler) apiReopenRun(c *fiber.Ctx) error {
	run, err := h.reopen(c)
	if err != nil {
		return err
	}
	return c.JSON(runView(run))
}

// runView is a run as the API answers it, with its state in Chinese.
func runView(r *Run) fiber.Map {
	return fiber.Map{"run": r, "label": r.Label()}
}

func (h *Handler) showRun(c *fiber.Ctx) error {
	run, err := h.runParam(c, "read")
	if err != nil {
		return err
	}
	p := runPage{Run: run, CanClose: h.guards.Can(c, run.OrgPath, "payrun", "close")}
	if p.Preview, err = h.store.PreviewRun(c.UserContext(), run, previewRows); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pay_run", run.Title, p)
}

func (h *Handler) apiRun(c *fiber.Ctx) error {
	run, err := h.runParam(c, "read")
	if err != nil {
		return err
	}
	p, err := h.store.PreviewRun(c.UserContext(), run, min(max(web.QueryInt(c, "limit", 1000), 1), 5000))
	if err != nil {
		return err
	}
	v := runView(run)
	v["total"], v["amount"], v["tiers"], v["rows"] = p.Total, p.Amount, p.Tiers, p.Rows
	return c.JSON(v)
}

// downloadRun sends the stored sheet of a run, closed or since reopened.
func (h *Handler) downloadRun(c *fiber.Ctx) error {
	run, err := h.runParam(c, "read")
	if err != nil {
		return err
	}
	job := SheetJob{OrgID: run.OrgID, OrgPath: run.OrgPath, Period: run.Period, Title: run.Title, RunID: run.ID}
	if queued, err := h.queueIfLarge(c, job, run.Clerks); queued {
		return err
	}
	return sendSheet(c, run.Title, func(w io.Writer) error {
		_, err := h.store.ExportRun(c.UserContext(), run, w, nil)
		return err
	})
}

// queueIfLarge queues the sheet as a background export when asked (?async=1) or when it
// has more than the configured number of clerks, answering with the job (API: 202 and
// where to follow it) or the 数据导出 page, which shows its progress.
func (h *Handler) queueIfLarge(c *fiber.Ctx, job SheetJob, clerks int) (bool, error) {
	if h.store.jobs == nil || (c.Query("async") != "1" && clerks <= h.store.asyncClerks) {
		return false, nil
	}
	id, err := h.store.jobs.QueuePaySheet(c.UserContext(), userID(c), job)
	if err != nil {
		return true, err
	}
	ids := strconv.FormatInt(id, 10)
	if web.WantsJSON(c) {
		c.Location("/api/v1/exports/jobs/" + ids)
		return true, c.Status(fiber.StatusAccepted).JSON(fiber.Map{"job_id": id, "status": "queued",
			"url": "/api/v1/exports/jobs/" + ids, "file": "/api/v1/exports/jobs/" + ids + "/file"})
	}
	return true, c.Redirect("/exports?job="+ids+"#jobs", fiber.StatusSeeOther)
}
