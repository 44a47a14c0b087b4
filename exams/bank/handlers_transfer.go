package bank

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/exports"
	"clerkskill/rbac"
)

// transferRoutes registers import (Excel template, Aiken, GIFT) and export.
func (h *Handler) transferRoutes(r *web.Router) {
	g := h.guards
	r.Get("/questions/import", g.Require("question", "write"), h.showImport)
	r.Post("/questions/import", g.Require("question", "write"), h.importQuestions)
	r.Get("/questions/import/template.xlsx", g.Require("question", "write"), h.downloadTemplate)
	r.Get("/questions/import/report.xlsx", g.Require("question", "write"), h.downloadReport)
	r.Get("/questions/export.xlsx", g.Require("question", "read"), h.exportQuestions)

	api := r.Group("/api/v1")
	api.Post("/questions/import", g.Require("question", "write"), h.apiImportQuestions)
	api.Get("/questions/export", g.Require("question", "read"), h.exportQuestions)
}

// importForm is what the import form and API send besides the file.
type importForm struct {
	Format     string
	Owner      int64
	Levels     Levels
	Code       string
	Difficulty int
	Pool       Pool
	Score      int
}

// importLevel is one 等级 checkbox of the form.
type importLevel struct {
	Code    int
	Name    string
	Checked bool
}

type importPage struct {
	Form      importForm
	Units     []*rbac.OrgUnit
	Levels    []importLevel
	Pools     []Pool
	Errors    map[string]string
	Report    *Report
	Shown     []RowError // the first errors, the rest are in the report workbook
	ReportKey string
}

const shownErrors = 200

func (h *Handler) showImport(c *fiber.Ctx) error {
	form := importForm{Levels: LevelsOf(5), Difficulty: 3, Pool: PoolBoth, Score: 1}
	return h.renderImport(c, fiber.StatusOK, importPage{Form: form})
}

func (h *Handler) renderImport(c *fiber.Ctx, status int, d importPage) error {
	units, err := h.store.FindImportUnits(c.UserContext(), rbac.ScopeOf(c, "question", "write"))
	if err != nil {
		return err
	}
	d.Units, d.Pools = units, []Pool{PoolBoth, PoolExam, PoolPractice}
	for _, lv := range exams.LevelCodes {
		d.Levels = append(d.Levels, importLevel{Code: lv, Name: exams.LevelName(lv), Checked: d.Form.Levels.Has(lv)})
	}
	if d.Report != nil {
		d.Shown = d.Report.Errors[:min(len(d.Report.Errors), shownErrors)]
	}
	return h.pages.Render(c, status, "question_import", rbac.NewPage(c, "导入题目", d))
}

func (h *Handler) importQuestions(c *fiber.Ctx) error {
	form, _ := readImportForm(c)
	qs, rep, err := h.runImport(c)
	if err == nil {
		return c.Redirect("/questions?flash="+url.QueryEscape("已导入 "+strconv.Itoa(len(qs))+" 题"), fiber.StatusSeeOther)
	}
	d := importPage{Form: form, Report: rep}
	if rep != nil {
		var perr error
		if d.ReportKey, perr = exports.PutReport(c.UserContext(), h.reports, importActor(c), rep.WriteWorkbook); perr != nil {
			return perr
		}
	}
	if d.Errors, err = importFormErrors(err); err != nil {
		return err
	}
	status := fiber.StatusBadRequest
	if d.Errors["_code"] == web.ETOOLARGE {
		status = fiber.StatusRequestEntityTooLarge
	}
	return h.renderImport(c, status, d)
}

// importFormErrors turns a refusal into messages for the form; internal errors pass through.
func importFormErrors(err error) (map[string]string, error) {
	code := web.ErrorCode(err)
	if code != web.EINVALID && code != web.ETOOLARGE && code != web.ECONFLICT {
		return nil, err
	}
	out := map[string]string{"_": web.ErrorMessage(err), "_code": code}
	if e, ok := err.(*web.Error); ok {
		for k, v := range e.Fields {
			out[k] = v
		}
	}
	return out, nil
}

// importFailure is the API's answer when rows are wrong: every error, and where the
// report workbook can be fetched with a signed-in session.
type importFailure struct {
	web.ErrorBody
	Rows        int        `json:"rows"`
	TotalErrors int        `json:"total_errors"`
	Errors      []RowError `json:"errors"`
	ReportURL   string     `json:"report_url,omitempty"`
}

func (h *Handler) apiImportQuestions(c *fiber.Ctx) error {
	qs, rep, err := h.runImport(c)
	if err != nil && rep != nil {
		key, perr := exports.PutReport(c.UserContext(), h.reports, importActor(c), rep.WriteWorkbook)
		if perr != nil {
			return perr
		}
		fail := importFailure{ErrorBody: web.ErrorBody{Error: web.ErrorMessage(err), Code: web.ErrorCode(err)},
			Rows: rep.Rows, TotalErrors: rep.Total, Errors: rep.Errors}
		if key != "" {
			fail.ReportURL = "/questions/import/report.xlsx?key=" + key
		}
		return c.Status(fiber.StatusBadRequest).JSON(fail)
	}
	if err != nil {
		return err
	}
	ids := make([]int64, len(qs))
	for i, q := range qs {
		ids[i] = q.ID
	}
	return c.JSON(fiber.Map{"imported": len(qs), "ids": ids})
}

// runImport reads the upload and its fields, checks the owner unit and imports.
func (h *Handler) runImport(c *fiber.Ctx) ([]*Question, *Report, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, nil, web.Invalid(map[string]string{"file": "请选择要导入的文件"})
	}
	if fh.Size > MaxImportBytes {
		return nil, nil, web.Errorf(web.ETOOLARGE, "文件超过 %d MiB 的上限，请分成几个文件导入", MaxImportBytes>>20)
	}
	form, err := readImportForm(c)
	if err != nil {
		return nil, nil, err
	}
	if form.Owner, err = h.importOwner(c, form.Owner); err != nil {
		return nil, nil, err
	}
	file, err := fh.Open()
	if err != nil {
		return nil, nil, err
	}
	defer file.Close()
	d := Defaults{Owner: form.Owner, Levels: form.Levels, Code: form.Code, Difficulty: form.Difficulty, Pool: form.Pool, Score: form.Score}
	return h.store.Import(c.UserContext(), importActor(c), ImportInput{Format: form.Format, Filename: strings.Clone(fh.Filename),
		Body: file, Options: ImportOptions{Defaults: d}})
}

// readImportForm reads the fields beside the file; levels may come as several values
// or as one "5,4".
func readImportForm(c *fiber.Ctx) (importForm, error) {
	f := importForm{Format: strings.Clone(c.FormValue("format")), Code: strings.TrimSpace(narrow(c.FormValue("code")))}
	bad := map[string]string{}
	f.Owner = int64(importFormInt(c, "owner", bad, "请选择所属单位"))
	f.Difficulty = importFormInt(c, "difficulty", bad, "默认难度须为1至5")
	f.Score = importFormInt(c, "score", bad, "默认分值须为1至100的整数")
	var levels []string
	if mf, err := c.MultipartForm(); err == nil {
		levels = mf.Value["levels"]
	}
	l, wrong := ParseLevels(strings.Join(levels, ","))
	if wrong != "" {
		bad["levels"] = "等级“" + wrong + "”无法识别"
	}
	f.Levels = l
	if v := c.FormValue("pool"); v != "" {
		p, ok := ParsePool(v)
		if !ok {
			bad["pool"] = "题池须为考试、练习或两者"
		}
		f.Pool = p
	}
	return f, web.Invalid(bad)
}

func importFormInt(c *fiber.Ctx, name string, bad map[string]string, msg string) int {
	v := strings.TrimSpace(narrow(c.FormValue(name)))
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		bad[name] = msg
	}
	return n
}

// importOwner checks the owner unit is one the caller may write questions for; none
// named means the first such unit.
func (h *Handler) importOwner(c *fiber.Ctx, owner int64) (int64, error) {
	units, err := h.store.FindImportUnits(c.UserContext(), rbac.ScopeOf(c, "question", "write"))
	if err != nil {
		return 0, err
	}
	for _, u := range units {
		if owner == 0 || u.ID == owner {
			return u.ID, nil
		}
	}
	return 0, web.Invalid(map[string]string{"owner": "请选择您有题库编辑权限的单位"})
}

func importActor(c *fiber.Ctx) int64 {
	if p := rbac.PrincipalOf(c); p != nil {
		return p.User.ID
	}
	return 0
}

func (h *Handler) downloadTemplate(c *fiber.Ctx) error {
	std, err := h.store.Standard(c.UserContext())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, std); err != nil {
		return err
	}
	return sendWorkbook(c, "题目导入模板.xlsx", buf.Bytes())
}

func (h *Handler) downloadReport(c *fiber.Ctx) error {
	key := c.Query("key")
	if key == "" {
		return web.Errorf(web.EINVALID, "缺少错误报告编号")
	}
	b, err := h.reports.Get(c.UserContext(), importActor(c), key)
	if err != nil {
		return err
	}
	return sendWorkbook(c, "题目导入错误报告.xlsx", b)
}

// exportQuestions writes the latest versions in the caller's scope that match the same
// filters as the question list, in the import template's layout.
func (h *Handler) exportQuestions(c *fiber.Ctx) error {
	ctx := c.UserContext()
	std, err := h.store.Standard(ctx)
	if err != nil {
		return err
	}
	x, err := NewExport(std)
	if err != nil {
		return err
	}
	f := importExportFilter(c)
	for f.Offset = 0; ; f.Offset += f.Limit {
		page, total, err := h.store.FindQuestions(ctx, f)
		if err != nil {
			_ = x.Close()
			return err
		}
		for _, q := range page {
			if err := x.Add(q); err != nil {
				_ = x.Close()
				return err
			}
		}
		if len(page) == 0 || f.Offset+len(page) >= total {
			break
		}
	}
	var buf bytes.Buffer
	if err := x.Finish(&buf); err != nil {
		return err
	}
	return sendWorkbook(c, "题库导出"+time.Now().Format("20060102")+".xlsx", buf.Bytes())
}

// importExportFilter reads the question list's filters: type, level, code, difficulty, pool,
// status, q.
func importExportFilter(c *fiber.Ctx) Filter {
	f := Filter{OwnerScope: rbac.ScopeOf(c, "question", "read"), Limit: 500,
		Type: Type(strings.Clone(c.Query("type"))), Code: strings.Clone(c.Query("code")),
		Pool: Pool(strings.Clone(c.Query("pool"))), Status: strings.Clone(c.Query("status")), Query: strings.Clone(c.Query("q")),
		Level: web.QueryInt(c, "level", 0), Difficulty: web.QueryInt(c, "difficulty", 0)}
	if f.OwnerScope == nil {
		f.OwnerScope = []string{}
	}
	return f
}

func sendWorkbook(c *fiber.Ctx, name string, b []byte) error {
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, "attachment; filename=\"questions.xlsx\"; filename*=UTF-8''"+url.PathEscape(name))
	return c.Send(b)
}
