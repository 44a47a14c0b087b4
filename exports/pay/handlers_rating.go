package pay

import (
	"bytes"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/exports"
	"clerkskill/rbac"
)

// shownErrors bounds the row errors a page lists; the API returns them all.
const shownErrors = 50

type ratingPage struct {
	Units     []*Unit
	Unit      *Unit
	Period    string
	EmpNo     string
	Ratings   []*Rating
	Pager     web.Pager
	CanWrite  bool
	Problem   string             // why the last import was refused
	Errors    []exports.RowError // its row errors, the first shownErrors
	More      int                // row errors not listed
	Templates []templateLink
}

type templateLink struct{ Href, Name string }

func templateLinks() []templateLink {
	out := make([]templateLink, len(TemplateKinds))
	for i, k := range TemplateKinds {
		out[i] = templateLink{"/pay/templates/" + k + ".xlsx", Templates[k].Name}
	}
	return out
}

func (h *Handler) ratingPage(c *fiber.Ctx) (*ratingPage, error) {
	u, err := h.unitParam(c, c.Query("org"), "rating", "read")
	if err != nil {
		return nil, err
	}
	p := &ratingPage{Unit: u, EmpNo: exports.Text(c.Query("emp_no")), Templates: templateLinks(),
		CanWrite: h.guards.Can(c, u.Path, "rating", "write")}
	if p.Period, err = h.periodParam(c); err != nil {
		return nil, err
	}
	scope := scopeOf(c, "rating", "read")
	if p.Units, err = h.store.Units(c.UserContext(), scope); err != nil {
		return nil, err
	}
	f := RatingFilter{Scope: scope, Path: u.Path, Period: p.Period, EmpNo: p.EmpNo, Offset: web.QueryInt(c, "offset", 0)}
	if p.Ratings, p.Pager.Total, err = h.store.FindRatings(c.UserContext(), f); err != nil {
		return nil, err
	}
	q := url.Values{"org": {strconv.FormatInt(u.ID, 10)}, "period": {p.Period}}
	if p.EmpNo != "" {
		q.Set("emp_no", p.EmpNo)
	}
	p.Pager.Offset, p.Pager.Limit, p.Pager.Query = f.Offset, 50, q.Encode()
	return p, nil
}

func (h *Handler) listRatings(c *fiber.Ctx) error {
	p, err := h.ratingPage(c)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pay_ratings", "好差评与工作量", p)
}

// importFn is ImportRatingsFile or ImportWorkloadFile.
type importFn func(s *Store, c *fiber.Ctx, r io.Reader) (int, *exports.Report, error)

func ratingsImport(s *Store, c *fiber.Ctx, r io.Reader) (int, *exports.Report, error) {
	return s.ImportRatingsFile(c.UserContext(), userID(c), rbac.ScopeOf(c, "rating", "write"), r, nil)
}

func workloadImport(s *Store, c *fiber.Ctx, r io.Reader) (int, *exports.Report, error) {
	return s.ImportWorkloadFile(c.UserContext(), userID(c), rbac.ScopeOf(c, "rating", "write"), r, nil)
}

// runImport reads the uploaded file and imports it.
func (h *Handler) runImport(c *fiber.Ctx, fn importFn) (int, *exports.Report, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return 0, nil, web.Invalid(map[string]string{"file": "请选择要导入的文件"})
	}
	file, err := fh.Open()
	if err != nil {
		return 0, nil, err
	}
	defer file.Close()
	return fn(h.store, c, file)
}

func (h *Handler) importRatings(c *fiber.Ctx) error {
	return h.importPage(c, ratingsImport, "条评价")
}
func (h *Handler) importWorkload(c *fiber.Ctx) error {
	return h.importPage(c, workloadImport, "条工作量")
}

// importPage imports and goes back to the ratings page: with a flash when stored, with
// the refusal and its row errors when not.
func (h *Handler) importPage(c *fiber.Ctx, fn importFn, noun string) error {
	n, rep, err := h.runImport(c, fn)
	if err == nil {
		flash := "已导入 " + strconv.Itoa(n) + " " + noun
		return c.Redirect("/pay/ratings?org="+url.QueryEscape(c.FormValue("org"))+"&flash="+url.QueryEscape(flash), fiber.StatusSeeOther)
	}
	if code := web.ErrorCode(err); code != web.EINVALID && code != web.ETOOLARGE {
		return err
	}
	c.Request().URI().QueryArgs().Set("org", c.FormValue("org"))
	p, perr := h.ratingPage(c)
	if perr != nil {
		return perr
	}
	p.Problem = web.ErrorMessage(err)
	if rep != nil {
		p.Errors, p.More = rep.Errors[:min(len(rep.Errors), shownErrors)], rep.Total-min(len(rep.Errors), shownErrors)
	}
	return h.render(c, web.Status(err), "pay_ratings", "好差评与工作量", p) // 400, or 413 for a file over the limit
}

func (h *Handler) removeRating(c *fiber.Ctx) error {
	r, err := h.ratingParam(c, "write")
	if err != nil {
		return err
	}
	if _, err := h.store.RemoveRating(c.UserContext(), userID(c), r.ID, c.FormValue("reason")); err != nil {
		return err
	}
	q := url.Values{"org": {strconv.FormatInt(r.OrgID, 10)}, "period": {r.Period}, "flash": {"已撤销该评价，不再计入考核"}}
	return c.Redirect("/pay/ratings?"+q.Encode(), fiber.StatusSeeOther)
}

func (h *Handler) downloadTemplate(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var b bytes.Buffer
		if err := WriteTemplate(&b, Templates[kind]); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		c.Set(fiber.HeaderContentDisposition, web.ContentDisposition("attachment", Templates[kind].Name))
		return c.Send(b.Bytes())
	}
}

func (h *Handler) apiRatings(c *fiber.Ctx) error {
	p, err := h.ratingPage(c)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"period": p.Period, "total": p.Pager.Total, "offset": p.Pager.Offset, "ratings": p.Ratings})
}

func (h *Handler) apiImportRatings(c *fiber.Ctx) error  { return h.apiImport(c, ratingsImport) }
func (h *Handler) apiImportWorkload(c *fiber.Ctx) error { return h.apiImport(c, workloadImport) }

// importFailure is the API's answer when rows are wrong: the message and every error.
type importFailure struct {
	web.ErrorBody
	Rows        int                `json:"rows"`
	TotalErrors int                `json:"total_errors"`
	Errors      []exports.RowError `json:"errors"`
}

// apiImport answers 200 with the count, or 400 with the message and every row error.
func (h *Handler) apiImport(c *fiber.Ctx, fn importFn) error {
	n, rep, err := h.runImport(c, fn)
	if err != nil && rep != nil && !rep.OK() {
		return c.Status(web.Status(err)).JSON(importFailure{ErrorBody: web.ErrorBody{Error: web.ErrorMessage(err), Code: web.ErrorCode(err)},
			Rows: rep.Rows, TotalErrors: rep.Total, Errors: rep.Errors})
	}
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"imported": n})
}

// removeInput is the API's body for removing a rating.
type removeInput struct {
	Reason string `json:"reason"`
}

func (h *Handler) apiRemoveRating(c *fiber.Ctx) error {
	r, err := h.ratingParam(c, "write")
	if err != nil {
		return err
	}
	var in removeInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	r, err = h.store.RemoveRating(c.UserContext(), userID(c), r.ID, strings.TrimSpace(in.Reason))
	if err != nil {
		return err
	}
	return c.JSON(r)
}
