package pay

import (
	"fmt"
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
	p := sheetPage{Unit: u, Period: q.Period, CanWrite: h.guards.Can(c, u.Path, "pay", "write")}
	if p.Units, err = h.store.Units(ctx, rbac.ScopeOf(c, "pay", "read")); err != nil {
		return err
	}
	if p.Policy, err = h.store.PolicyInForce(ctx, u.Path, PeriodEnd(q.Period)); err != nil {
		return err
	}
	if p.Preview, err = h.store.PreviewSheet(ctx, q, previewRows); err != nil {
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
	p, err := h.store.PreviewSheet(c.UserContext(), q, min(max(web.QueryInt(c, "limit", 1000), 1), 5000))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"org": u, "period": p.Period, "total": p.Total, "amount": p.Amount, "tiers": p.Tiers, "rows": p.Rows})
}

// downloadSheet writes the workbook to a temporary file first, so a failure is still an
// error page, then streams the file and removes it.
func (h *Handler) downloadSheet(c *fiber.Ctx) error {
	u, q, err := h.sheetQuery(c)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp("", "paysheet-*.xlsx")
	if err != nil {
		return err
	}
	title := fmt.Sprintf("%s %s 差异化绩效工资表", u.Name, q.Period)
	if _, err := h.store.ExportSheet(c.UserContext(), q, title, f, nil); err != nil {
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
