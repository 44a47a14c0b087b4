package exams

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

// versionSummary is a version without its definition, for lists and comparisons.
type versionSummary struct {
	ID             int64     `json:"id"`
	VersionNo      int       `json:"version_no"`
	Code           string    `json:"code"`
	VersionLabel   string    `json:"version_label"`
	Provisional    bool      `json:"provisional"`
	ImportedBy     *int64    `json:"imported_by"`
	ImportedByName string    `json:"imported_by_name"`
	Note           string    `json:"note"`
	CreatedAt      time.Time `json:"created_at"`
	Current        bool      `json:"current"`
}

func summarize(v *StandardVersion, by string) versionSummary {
	return versionSummary{ID: v.ID, VersionNo: v.VersionNo, Code: v.Code, VersionLabel: v.VersionLabel,
		Provisional: v.Provisional, ImportedBy: v.ImportedBy, ImportedByName: by, Note: v.Note,
		CreatedAt: v.CreatedAt, Current: v.Current}
}

func (h *Handler) apiCurrent(c *fiber.Ctx) error {
	v, err := h.store.CurrentStandard(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (h *Handler) apiVersions(c *fiber.Ctx) error {
	rows, err := h.versionRows(c)
	if err != nil {
		return err
	}
	items := make([]versionSummary, len(rows))
	for i, r := range rows {
		items[i] = summarize(r.StandardVersion, r.By)
	}
	return c.JSON(fiber.Map{"items": items})
}

func (h *Handler) apiVersion(c *fiber.Ctx) error {
	v, err := h.versionParam(c)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

type comparisonBody struct {
	A           versionSummary `json:"a"`
	B           versionSummary `json:"b"`
	Differences []Difference   `json:"differences"`
}

func (h *Handler) apiCompare(c *fiber.Ctx) error {
	cmp, err := h.comparePair(c)
	if err != nil {
		return err
	}
	names, err := h.store.importerNames(c.UserContext(), cmp.A, cmp.B)
	if err != nil {
		return err
	}
	out := comparisonBody{A: summarize(cmp.A, importerName(cmp.A, names)),
		B: summarize(cmp.B, importerName(cmp.B, names)), Differences: cmp.Differences}
	if out.Differences == nil {
		out.Differences = []Difference{}
	}
	return c.JSON(out)
}

// apiImport takes a multipart upload (field "file") or the definition as a JSON body.
func (h *Handler) apiImport(c *fiber.Ctx) error {
	def, err := h.apiDefinition(c)
	if err != nil {
		return err
	}
	v, err := h.store.ImportStandard(c.UserContext(), actor(c), def)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

func (h *Handler) apiDefinition(c *fiber.Ctx) (*Standard, error) {
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
		def, _, err := h.uploadedStandard(c)
		return def, err
	}
	if len(c.Body()) > MaxStandardSize {
		return nil, web.Errorf(web.ETOOLARGE, "标准定义超过 %d MiB，已拒绝", MaxStandardSize>>20)
	}
	def := new(Standard)
	if err := web.DecodeJSON(c, def); err != nil {
		return nil, err
	}
	return def, nil
}

func (h *Handler) apiRestore(c *fiber.Ctx) error {
	_, v, err := h.restore(c)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}
