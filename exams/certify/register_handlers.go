package certify

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/rbac"
)

// registerQuery is the register's filter as the page's form sends it.
type registerQuery struct {
	Level  int    `query:"level"`
	Status string `query:"status"`
	Unit   int64  `query:"unit"`
	Year   int    `query:"year"`
	Page   int    `query:"page"`
}

// registerPageSize is how many entries a page of the register shows.
const registerPageSize = 50

type registerPage struct {
	Rows     []*CertRow
	Total    int
	Query    registerQuery
	Units    []unitOption
	Statuses []option
	Levels   []option
	Prev     string
	Next     string
}

// option is one choice of a filter's select.
type option struct {
	Value any
	Label string
}

func levelOptions() []option {
	out := make([]option, len(exams.LevelCodes))
	for i, l := range exams.LevelCodes {
		out[i] = option{l, exams.LevelName(l) + "（" + exams.LevelTitle(l) + "）"}
	}
	return out
}

func statusOptions() []option {
	out := make([]option, len(CertStatuses))
	for i, s := range CertStatuses {
		out[i] = option{s, CertStatusLabel(s)}
	}
	return out
}

type unitOption struct {
	ID   int64  `bun:"id"`
	Name string `bun:"name"`
	Path string `bun:"path"`
}

// registerFilter turns the query into a store filter limited to the caller's scope.
func (h *Handler) registerFilter(c *fiber.Ctx) (RegisterFilter, registerQuery, error) {
	var q registerQuery
	if err := c.QueryParser(&q); err != nil {
		return RegisterFilter{}, q, web.Errorf(web.EINVALID, "筛选条件不正确")
	}
	f := RegisterFilter{Scope: rbac.ScopeOf(c, "certificate", "read"), Level: q.Level, Status: q.Status, Year: q.Year,
		Page: rbac.Page{Offset: max(q.Page-1, 0) * registerPageSize, Limit: registerPageSize}}
	if q.Unit > 0 {
		path, err := h.unitPath(c.UserContext(), q.Unit)
		if err != nil {
			return f, q, err
		}
		f.OrgPath = path
	}
	return f, q, nil
}

func (h *Handler) unitPath(ctx context.Context, id int64) (string, error) {
	var paths []string
	err := h.store.db.NewSelect().Table("org_units").Column("path").Where("id = ?", id).Scan(ctx, &paths)
	if err == nil && len(paths) == 0 {
		return "", web.Errorf(web.EINVALID, "所选单位不存在")
	}
	if err != nil {
		return "", err
	}
	return paths[0], nil
}

// scopeUnits lists the units of a scope down to townships, for the unit filter.
func (h *Handler) scopeUnits(ctx context.Context, scope rbac.Scope) ([]unitOption, error) {
	var out []unitOption
	q := h.store.db.NewSelect().Table("org_units").Column("id", "name", "path").Where("tier <> ?", "village")
	err := scope.Where(q, "path").OrderExpr("path").Limit(300).Scan(ctx, &out)
	return out, err
}

func (h *Handler) listRegister(c *fiber.Ctx) error {
	f, q, err := h.registerFilter(c)
	if err != nil {
		return err
	}
	rows, total, err := h.store.FindCertificates(c.UserContext(), f)
	if err != nil {
		return err
	}
	units, err := h.scopeUnits(c.UserContext(), f.Scope)
	if err != nil {
		return err
	}
	p := registerPage{Rows: rows, Total: total, Query: q, Units: units, Statuses: statusOptions(), Levels: levelOptions()}
	p.Prev, p.Next = pageLinks(q, total)
	return h.page(c, "register_list", "证书登记簿", p)
}

// pageLinks are the register's previous and next page addresses ("" when none).
func pageLinks(q registerQuery, total int) (prev, next string) {
	cur := max(q.Page, 1)
	link := func(page int) string {
		v := url.Values{}
		for k, s := range map[string]string{"level": itoa(q.Level), "status": q.Status, "unit": itoa(int(q.Unit)), "year": itoa(q.Year)} {
			if s != "" && s != "0" {
				v.Set(k, s)
			}
		}
		v.Set("page", strconv.Itoa(page))
		return "/certificates?" + v.Encode()
	}
	if cur > 1 {
		prev = link(cur - 1)
	}
	if cur*registerPageSize < total {
		next = link(cur + 1)
	}
	return prev, next
}

func itoa(n int) string { return strconv.Itoa(n) }

func (h *Handler) apiRegister(c *fiber.Ctx) error {
	f, _, err := h.registerFilter(c)
	if err != nil {
		return err
	}
	rows, total, err := h.store.FindCertificates(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"certificates": rows, "total": total})
}

type certificatePage struct {
	Cert      *CertRow
	VerifyURL string
	CanRevoke bool
	Classes   []string
}

func (h *Handler) showCertificate(c *fiber.Ctx) error {
	cert, err := h.scopedCertificate(c, "read")
	if err != nil {
		return err
	}
	p := certificatePage{Cert: cert, VerifyURL: VerifyURL(c.BaseURL(), cert.Number), Classes: RevokeClasses,
		CanRevoke: cert.Status != CertRevoked && h.checkPaths(c, "certificate", "revoke", cert.Paths()...) == nil}
	return h.page(c, "register_show", "证书 "+cert.Number, p)
}

func (h *Handler) apiCertificate(c *fiber.Ctx) error {
	cert, err := h.scopedCertificate(c, "read")
	if err != nil {
		return err
	}
	return c.JSON(cert)
}

func (h *Handler) revokeCertificate(c *fiber.Ctx) error {
	cert, err := h.scopedCertificate(c, "revoke")
	if err != nil {
		return err
	}
	in := RevokeInput{Class: c.FormValue("class"), Reason: c.FormValue("reason")}
	if _, err := h.store.Revoke(c.UserContext(), actorID(c), cert.ID, in); err != nil {
		return err
	}
	return redirectFlash(c, fmt.Sprintf("/certificates/%d", cert.ID), "证书已撤销")
}

func (h *Handler) apiRevoke(c *fiber.Ctx) error {
	cert, err := h.scopedCertificate(c, "revoke")
	if err != nil {
		return err
	}
	var in RevokeInput
	if err := c.BodyParser(&in); err != nil {
		return web.Errorf(web.EINVALID, "请求格式不正确")
	}
	out, err := h.store.Revoke(c.UserContext(), actorID(c), cert.ID, in)
	if err != nil {
		return err
	}
	return c.JSON(out)
}
