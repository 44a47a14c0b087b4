package sheets

import (
	"io"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/exports"
	"clerkskill/rbac"
)

// shownErrors is how many row errors the page lists; the rest are in the report workbook.
const shownErrors = 50

// runRosterImport reads the uploaded file and imports it within the caller's scope.
func (h *Handler) runRosterImport(c *fiber.Ctx) (*RosterImport, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, web.Invalid(map[string]string{"file": "请选择要导入的花名册文件"})
	}
	if fh.Size > exports.DefaultLimits.MaxBytes {
		return nil, web.Errorf(web.ETOOLARGE, "文件超过 %d MiB 的上限，请分成几个文件导入", exports.DefaultLimits.MaxBytes>>20)
	}
	file, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return h.store.ImportRoster(c.UserContext(), userID(c), rbac.ScopeOf(c, "roster", "import"), file, nil)
}

func (h *Handler) importRoster(c *fiber.Ctx) error {
	res, err := h.runRosterImport(c)
	d := importView{Result: res}
	if err != nil && (res == nil || res.Report == nil) {
		if e, ok := err.(*web.Error); ok && e.Code != web.EINTERNAL {
			d.Error = web.ErrorMessage(err)
			status := fiber.StatusUnprocessableEntity
			if e.Code == web.ETOOLARGE {
				status = fiber.StatusRequestEntityTooLarge // a file or zip over the limit, as on every upload
			}
			return h.renderExports(c, status, &d)
		}
		return err
	}
	if err != nil {
		d.Error = web.ErrorMessage(err)
		write := func(w io.Writer) error { return res.Report.WriteWorkbook(w, SheetRoster) }
		if d.ReportKey, err = exports.PutReport(c.UserContext(), h.reports, userID(c), write); err != nil {
			return err
		}
		d.Shown = res.Report.Errors[:min(len(res.Report.Errors), shownErrors)]
		return h.renderExports(c, fiber.StatusUnprocessableEntity, &d)
	}
	return h.renderExports(c, fiber.StatusOK, &d)
}

func (h *Handler) apiImportRoster(c *fiber.Ctx) error {
	res, err := h.runRosterImport(c)
	if err != nil && res != nil && res.Report != nil {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{"error": web.ErrorMessage(err),
			"rows": res.Rows, "total_errors": res.Report.Total, "errors": res.Report.Errors})
	}
	if err != nil {
		return err
	}
	return c.JSON(res)
}

func (h *Handler) downloadImportReport(c *fiber.Ctx) error {
	key := c.Query("key")
	if key == "" {
		return web.Errorf(web.EINVALID, "缺少错误报告编号")
	}
	b, err := h.reports.Get(c.UserContext(), userID(c), key)
	if err != nil {
		return err
	}
	attachment(c, "花名册导入错误报告.xlsx")
	return c.Send(b)
}
