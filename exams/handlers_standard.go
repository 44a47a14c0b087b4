package exams

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

const mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// page builds the frame every template receives.
func (h *Handler) page(c *fiber.Ctx, title string, data any) web.Page {
	p := web.Page{Title: title, CSRF: rbac.CSRFToken(c), Data: data, Flash: c.Query("flash")}
	p.User, _ = c.Locals(web.ViewerKey).(*web.Viewer)
	return p
}

func (h *Handler) render(c *fiber.Ctx, status int, name, title string, data any) error {
	return h.pages.Render(c, status, name, h.page(c, title, data))
}

// canWriteStandard decides whether to offer import and restore controls. The standard is
// global, so there is no unit to check against; admins are the role that holds
// standard:write. The routes' own guards still decide.
func canWriteStandard(c *fiber.Ctx) bool {
	p := rbac.PrincipalOf(c)
	return p != nil && p.HasRole(rbac.RoleAdmin)
}

func actor(c *fiber.Ctx) int64 {
	if p := rbac.PrincipalOf(c); p != nil {
		return p.User.ID
	}
	return 0
}

func (h *Handler) showStandard(c *fiber.Ctx) error {
	v, err := h.store.CurrentStandard(c.UserContext())
	if err != nil {
		return err
	}
	return h.renderVersion(c, v, "/standard")
}

func (h *Handler) showVersion(c *fiber.Ctx) error {
	v, err := h.versionParam(c)
	if err != nil {
		return err
	}
	return h.renderVersion(c, v, "/standard/versions/"+strconv.FormatInt(v.ID, 10))
}

func (h *Handler) renderVersion(c *fiber.Ctx, v *StandardVersion, base string) error {
	names, err := h.store.importerNames(c.UserContext(), v)
	if err != nil {
		return err
	}
	view := newStandardView(v, importerName(v, names), web.QueryInt(c, "level", 0), base)
	view.CanWrite = canWriteStandard(c)
	return h.render(c, fiber.StatusOK, "standard_show", "技能标准 · "+versionName(v), view)
}

func importerName(v *StandardVersion, names map[int64]string) string {
	if v.ImportedBy == nil {
		return "系统"
	}
	if n, ok := names[*v.ImportedBy]; ok {
		return n
	}
	return "用户 #" + strconv.FormatInt(*v.ImportedBy, 10)
}

func (h *Handler) versionParam(c *fiber.Ctx) (*StandardVersion, error) {
	id, err := rbac.ParseID(c.Params("id"))
	if err != nil {
		return nil, err
	}
	return h.store.FindStandardVersionByID(c.UserContext(), id)
}

type versionsPage struct {
	Versions []versionRow
	A, B     int64 // the pair the compare form proposes
	CanWrite bool
}

type versionRow struct {
	*StandardVersion
	By string
}

func (h *Handler) listVersions(c *fiber.Ctx) error {
	rows, err := h.versionRows(c)
	if err != nil {
		return err
	}
	data := versionsPage{Versions: rows, CanWrite: canWriteStandard(c)}
	data.A, data.B = defaultPair(rows)
	return h.render(c, fiber.StatusOK, "standard_versions", "标准版本", data)
}

func (h *Handler) versionRows(c *fiber.Ctx) ([]versionRow, error) {
	list, err := h.store.FindStandardVersions(c.UserContext())
	if err != nil {
		return nil, err
	}
	names, err := h.store.importerNames(c.UserContext(), list...)
	if err != nil {
		return nil, err
	}
	rows := make([]versionRow, len(list))
	for i, v := range list {
		rows[i] = versionRow{StandardVersion: v, By: importerName(v, names)}
	}
	return rows, nil
}

// defaultPair proposes comparing the previous version with the current one.
func defaultPair(rows []versionRow) (a, b int64) {
	if len(rows) == 0 {
		return 0, 0
	}
	b, a = rows[0].ID, rows[0].ID
	if len(rows) > 1 {
		a = rows[1].ID
	}
	return a, b
}

func (h *Handler) downloadTemplate(c *fiber.Ctx) error {
	v, err := h.store.CurrentStandard(c.UserContext())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := WriteWeightTemplate(&buf, v.Definition); err != nil {
		return fmt.Errorf("write weight template: %w", err)
	}
	return sendFile(c, mimeXLSX, fmt.Sprintf("standard-weights-v%d.xlsx", v.VersionNo), buf.Bytes())
}

func (h *Handler) exportStandard(c *fiber.Ctx) error {
	format := c.Query("format", "yaml")
	if format != "yaml" && format != "json" {
		return web.Errorf(web.EINVALID, "导出格式应为 yaml 或 json")
	}
	v, err := h.store.CurrentStandard(c.UserContext())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := MarshalStandard(&buf, v.Definition, format); err != nil {
		return fmt.Errorf("export standard: %w", err)
	}
	mime := "application/yaml; charset=utf-8"
	if format == "json" {
		mime = fiber.MIMEApplicationJSONCharsetUTF8
	}
	return sendFile(c, mime, fmt.Sprintf("standard-v%d.%s", v.VersionNo, format), buf.Bytes())
}

func sendFile(c *fiber.Ctx, mime, name string, b []byte) error {
	c.Set(fiber.HeaderContentType, mime)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Send(b)
}
