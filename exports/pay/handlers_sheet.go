package pay

import (
	"io"
	"os"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/app/web/chart"
	"clerkskill/rbac"
)

// previewRows is how many rows the pay page shows; the download holds them all.
const previewRows = 100

type sheetPage struct {
	Units    []*Unit
	Unit     *Unit
	Period   string
	Policy   *Policy // in force for the unit itself on the period's last day
	Preview  *Preview
	Chart    chart.Bars
	CanWrite bool
	Run      *Run // the closed run the rows come from; nil: computed now
	CanClose bool // the caller may close the month, which is over
}

// sheetQuery reads the unit and month of a pay sheet request.
func (h *Handler) sheetQuery(c *fiber.Ctx) (*Unit, SheetQuery, error) {
	u, err := h.unitParam(c, c.Query("org"), "pay", "read")
	if err != nil {
		return nil, SheetQuery{}, err
	}
	period, err := h.periodParam(c)
	return u, SheetQuery{Path: u.Path, Period: period}, err
}

func (h *Handler) showSheet(c *fiber.Ctx) error {
	u, q, err := h.sheetQuery(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	p := sheetPage{Unit: u, Period: q.Period, CanWrite: h.guards.Can(c, u.Path, "pay", "write"),
		CanClose: q.Period < PeriodOf(h.store.now().In(china)) && h.guards.Can(c, u.Path, "payrun", "close")}
	if p.Units, err = h.store.Units(ctx, rbac.ScopeOf(c, "pay", "read")); err != nil {
		return err
	}
	if p.Policy, err = h.store.PolicyInForce(ctx, u.Path, PeriodEnd(q.Period)); err != nil {
		return err
	}
	if p.Run, p.Preview, err = h.store.previewFor(ctx, u, q, previewRows); err != nil {
		return err
	}
	p.Chart = tierChart(p.Preview)
	return h.render(c, fiber.StatusOK, "pay_sheet", "差异化绩效工资", p)
}

func tierChart(p *Preview) chart.Bars {
	labels, values := make([]string, len(p.Tiers)), make([]float64, len(p.Tiers))
	for i, t := range p.Tiers {
		labels[i], values[i] = t.Tier, float64(t.People)
	}
	return chart.NewBars("各档人数", labels, values, 0, " 人")
}

func (h *Handler) apiSheet(c *fiber.Ctx) error {
	u, q, err := h.sheetQuery(c)
	if err != nil {
		return err
	}
	run, p, err := h.store.previewFor(c.UserContext(), u, q, min(max(web.QueryInt(c, "limit", 1000), 1), 5000))
	if err != nil {
		return err
	}
	status := RunDraft
	if run != nil {
		status = RunClosed
	}
	return c.JSON(fiber.Map{"org": u, "period": p.Period, "total": p.Total, "amount": p.Amount, "tiers": p.Tiers, "rows": p.Rows,
		"status": status, "run": run})
}

// downloadSheet sends the unit's sheet for the month: the stored rows of its closed
// run, else computed now; a large one is queued as a background export.
func (h *Handler) downloadSheet(c *fiber.Ctx) error {
	u, q, err := h.sheetQuery(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	run, err := h.store.ClosedRun(ctx, u.ID, q.Period)
	if err != nil {
		return err
	}
	job, clerks := SheetJob{OrgID: u.ID, OrgPath: u.Path, Period: q.Period, Title: SheetTitle(u, q.Period)}, 0
	if run != nil {
		job.RunID, clerks = run.ID, run.Clerks
	} else if clerks, err = h.store.CountClerks(ctx, u.Path); err != nil {
		return err
	}
	if queued, err := h.queueIfLarge(c, job, clerks); queued {
		return err
	}
	return sendSheet(c, job.Title, func(w io.Writer) error {
		if run != nil {
			_, err := h.store.ExportRun(ctx, run, w, nil)
			return err
		}
		_, err := h.store.ExportSheet(ctx, q, job.Title, w, nil)
		return err
	})
}

// sendSheet writes the workbook to a temporary file first, so a failure is still an
// error page, then streams the file and removes it.
func sendSheet(c *fiber.Ctx, title string, write func(io.Writer) error) error {
	f, err := os.CreateTemp("", "paysheet-*.xlsx")
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		removeTemp(f)
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		removeTemp(f)
		return err
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, web.ContentDisposition("attachment", title+".xlsx"))
	return c.SendStream(tempFile{f})
}

// tempFile removes itself when the response is done with it.
type tempFile struct{ *os.File }

func (t tempFile) Close() error { removeTemp(t.File); return nil }

func removeTemp(f *os.File) {
	f.Close()
	os.Remove(f.Name())
}
