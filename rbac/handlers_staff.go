package rbac

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

type staffListPage struct {
	Staff  []*Staff
	Pager  web.Pager
	Filter staffQuery
	Orgs   []*OrgUnit
	Types  []EmploymentType
	CanAdd bool
}

type staffQuery struct {
	Q      string `query:"q"`
	OrgID  int64  `query:"org"`
	Type   string `query:"type"`
	Status string `query:"status"` // "", "active", "inactive"
	Offset int    `query:"offset"`
	Limit  int    `query:"limit"`
}

// filter turns query parameters into a store filter within the caller's scope.
func (h *Handler) staffFilter(c *fiber.Ctx) (StaffFilter, staffQuery, error) {
	var q staffQuery
	if err := c.QueryParser(&q); err != nil {
		return StaffFilter{}, q, web.Errorf(web.EINVALID, "查询参数无效")
	}
	f := StaffFilter{Scope: ScopeOf(c, "staff", "read"), Query: q.Q, EmploymentType: EmploymentType(q.Type),
		Page: Page{Offset: q.Offset, Limit: q.Limit}}
	if q.Status != "" {
		active := q.Status == "active"
		f.Active = &active
	}
	if q.OrgID > 0 {
		o, err := h.store.FindOrgByID(c.UserContext(), q.OrgID)
		if err != nil {
			return f, q, err
		}
		f.Under = o.Path
	}
	return f, q, nil
}

func (h *Handler) listStaff(c *fiber.Ctx) error {
	f, q, err := h.staffFilter(c)
	if err != nil {
		return err
	}
	list, total, err := h.store.FindStaff(c.UserContext(), f)
	if err != nil {
		return err
	}
	orgs, err := h.store.FindOrgs(c.UserContext(), OrgFilter{Scope: f.Scope})
	if err != nil {
		return err
	}
	h.maskUnlessAllowed(c, list)
	page := f.Page.normalize()
	data := staffListPage{Staff: list, Filter: q, Orgs: orgs, Types: EmploymentTypes,
		Pager:  web.Pager{Offset: page.Offset, Limit: page.Limit, Total: total, Query: staffQueryString(q)},
		CanAdd: !h.store.enf.Scope(actor(c), "staff", "write").Empty()}
	return h.render(c, "staff_list", "人员花名册", data)
}

func staffQueryString(q staffQuery) string {
	v := url.Values{}
	for k, x := range map[string]string{"q": q.Q, "type": q.Type, "status": q.Status} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if q.OrgID > 0 {
		v.Set("org", strconv.FormatInt(q.OrgID, 10))
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	return v.Encode()
}

// maskUnlessAllowed masks national ID numbers the caller may not see whole; the right is
// worked out once per request, not once per row.
func (h *Handler) maskUnlessAllowed(c *fiber.Ctx, list []*Staff) {
	pii := h.store.enf.Scope(actor(c), "staff", "pii")
	for i, s := range list {
		if s.Org == nil || !pii.Covers(s.Org.Path) {
			list[i] = s.WithMaskedID()
		}
	}
}

// staffParam loads the staff member named in the path and applies the object-level rule.
func (h *Handler) staffParam(c *fiber.Ctx, act string) (*Staff, error) {
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return nil, err
	}
	st, err := h.store.FindStaffByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return st, h.guards.Check(c, st.Org.Path, "staff", act)
}

type staffShowPage struct {
	Staff     *Staff
	Account   *User
	Grants    []*Grant
	CanEdit   bool
	Roles     []string // roles the caller may grant here
	Orgs      []*OrgUnit
	OneTimePW string
	Notice    string // what else happened, shown with the one-time password
}

func (h *Handler) showStaff(c *fiber.Ctx) error {
	st, err := h.staffParam(c, "read")
	if err != nil {
		return err
	}
	return h.renderStaff(c, st, "")
}

func (h *Handler) renderStaff(c *fiber.Ctx, st *Staff, oneTimePW string) error {
	return h.renderStaffPage(c, st, staffShowPage{OneTimePW: oneTimePW})
}

// renderStaffPage shows a staff member's page; data carries what the action just did.
func (h *Handler) renderStaffPage(c *fiber.Ctx, st *Staff, data staffShowPage) error {
	data.Staff, data.CanEdit = st, h.guards.Can(c, st.Org.Path, "staff", "write")
	if !h.guards.Can(c, st.Org.Path, "staff", "pii") {
		data.Staff = st.WithMaskedID()
	}
	if u, err := h.store.FindUserByStaffID(c.UserContext(), st.ID); err == nil {
		data.Account = u
		if data.Grants, err = h.store.FindGrants(c.UserContext(), u.ID); err != nil {
			return err
		}
	}
	if data.CanEdit {
		data.Roles = h.grantableRoles(c, st.Org.Path)
		orgs, err := h.store.FindOrgs(c.UserContext(), OrgFilter{Scope: h.store.enf.Scope(actor(c), "staff", "write"), ActiveOnly: true})
		if err != nil {
			return err
		}
		data.Orgs = orgs
	}
	return h.render(c, "staff_show", st.Name, data)
}

func (h *Handler) grantableRoles(c *fiber.Ctx, path string) []string {
	var out []string
	for _, r := range Roles {
		if h.guards.Can(c, path, "grant", r) {
			out = append(out, r)
		}
	}
	return out
}

type staffFormPage struct {
	Staff        *Staff
	ShowIDNumber bool // the editor may see and change the whole ID number
	Username     string
	Orgs         []*OrgUnit
	Types        []EmploymentType
	Educations   []string
	Errors       map[string]string
}

type staffForm struct {
	EmpNo          string `form:"emp_no"`
	Name           string `form:"name"`
	IDNumber       string `form:"id_number"`
	Phone          string `form:"phone"`
	OrgID          int64  `form:"org_id"`
	Position       string `form:"position"`
	EmploymentType string `form:"employment_type"`
	HireDate       string `form:"hire_date"`
	Education      string `form:"education"`
	Username       string `form:"username"`
}

// staff reads the form into a record; a malformed date is reported together with every
// other field problem, so the user fixes the form in one go.
func (f staffForm) staff() (*Staff, error) {
	st := &Staff{EmpNo: f.EmpNo, Name: f.Name, Phone: f.Phone, OrgID: f.OrgID, Position: f.Position,
		EmploymentType: EmploymentType(f.EmploymentType), Education: f.Education}
	if f.IDNumber != "" {
		st.IDNumber = &f.IDNumber
	}
	d, err := ParseDate(f.HireDate)
	if err == nil {
		st.HireDate = d
		return st, nil
	}
	fields := map[string]string{"hire_date": err.Error()}
	if verr, ok := st.Validate().(*web.Error); ok {
		for k, v := range verr.Fields {
			fields[k] = v
		}
	}
	return st, web.Invalid(fields)
}

func (h *Handler) staffForm(c *fiber.Ctx, status int, st *Staff, username string, errs map[string]string) error {
	orgs, err := h.store.FindOrgs(c.UserContext(), OrgFilter{Scope: ScopeOf(c, "staff", "write"), ActiveOnly: true})
	if err != nil {
		return err
	}
	title := "新增人员"
	if st.ID != 0 {
		title = "编辑人员：" + st.Name
	}
	data := staffFormPage{Staff: st, Username: username, Orgs: orgs, Types: EmploymentTypes,
		Educations: EducationLevels, Errors: errs, ShowIDNumber: st.ID == 0}
	if st.ID != 0 && st.Org != nil {
		data.ShowIDNumber = h.guards.Can(c, st.Org.Path, "staff", "pii")
	}
	if !data.ShowIDNumber && st.ID != 0 {
		data.Staff = st.WithMaskedID()
	}
	return h.pages.Render(c, status, "staff_form", h.page(c, title, data))
}

func (h *Handler) newStaff(c *fiber.Ctx) error {
	st := &Staff{EmploymentType: EmployNonEstablished}
	if id, err := ParseID(c.Query("org")); err == nil {
		st.OrgID = id
	}
	return h.staffForm(c, fiber.StatusOK, st, "", nil)
}

func (h *Handler) createStaff(c *fiber.Ctx) error {
	var f staffForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	st, err := f.staff()
	var u *User
	var pw string
	if err == nil {
		u, pw, err = h.createStaffChecked(c, &NewStaff{Staff: *st, Username: f.Username})
	}
	if errs, err := fieldErrors(err); err != nil {
		return err
	} else if errs != nil {
		return h.staffForm(c, fiber.StatusBadRequest, st, f.Username, errs)
	}
	created, err := h.store.FindStaffByID(c.UserContext(), *u.StaffID)
	if err != nil {
		return err
	}
	return h.renderStaff(c, created, pw)
}

// createStaffChecked requires staff:write at the unit the person joins.
func (h *Handler) createStaffChecked(c *fiber.Ctx, in *NewStaff) (*User, string, error) {
	if in.OrgID > 0 {
		if err := h.checkUnit(c, in.OrgID, "write"); err != nil {
			return nil, "", err
		}
	}
	return h.store.CreateStaff(c.UserContext(), actor(c), in)
}

// checkUnit applies the staff rule at a unit: staff may only be placed where the caller
// manages staff.
func (h *Handler) checkUnit(c *fiber.Ctx, orgID int64, act string) error {
	o, err := h.store.FindOrgByID(c.UserContext(), orgID)
	if err != nil {
		return web.Invalid(map[string]string{"org_id": "所选机构不存在"})
	}
	if err := h.guards.Check(c, o.Path, "staff", act); err != nil {
		return web.Invalid(map[string]string{"org_id": "您无权在该机构下管理人员"})
	}
	return nil
}

func (h *Handler) editStaff(c *fiber.Ctx) error {
	st, err := h.staffParam(c, "write")
	if err != nil {
		return err
	}
	return h.staffForm(c, fiber.StatusOK, st, "", nil)
}

func (h *Handler) updateStaff(c *fiber.Ctx) error {
	st, err := h.staffParam(c, "write")
	if err != nil {
		return err
	}
	var f staffForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	upd, err := f.update(h.guards.Can(c, st.Org.Path, "staff", "pii"))
	if err == nil {
		_, _, err = h.updateStaffChecked(c, st, upd)
	}
	if errs, err := fieldErrors(err); err != nil {
		return err
	} else if errs != nil {
		edited, _ := f.staff()
		edited.ID, edited.EmpNo, edited.Active, edited.Org = st.ID, st.EmpNo, st.Active, st.Org
		return h.staffForm(c, fiber.StatusBadRequest, edited, "", errs)
	}
	return c.Redirect("/staff/"+strconv.FormatInt(st.ID, 10)+"?flash="+url.QueryEscape("已保存"), fiber.StatusSeeOther)
}

// update reads the edit form. The ID number is only sent by editors who may see it whole
// (showIDNumber); for others the field is absent from the form and left unchanged.
func (f staffForm) update(showIDNumber bool) (StaffUpdate, error) {
	if _, err := f.staff(); err != nil {
		return StaffUpdate{}, err
	}
	et := EmploymentType(f.EmploymentType)
	d, _ := ParseDate(f.HireDate)
	upd := StaffUpdate{Name: &f.Name, Phone: &f.Phone, OrgID: &f.OrgID,
		Position: &f.Position, EmploymentType: &et, HireDate: d, Education: &f.Education}
	if showIDNumber {
		upd.IDNumber = &f.IDNumber
	}
	return upd, nil
}

// updateStaffChecked requires staff:write at the new unit too when someone moves. It
// returns the record and how many API tokens a deactivation revoked.
func (h *Handler) updateStaffChecked(c *fiber.Ctx, st *Staff, upd StaffUpdate) (*Staff, int, error) {
	if upd.OrgID != nil && *upd.OrgID != st.OrgID {
		if err := h.checkUnit(c, *upd.OrgID, "write"); err != nil {
			return nil, 0, err
		}
	}
	if upd.IDNumber != nil && !h.guards.Can(c, st.Org.Path, "staff", "pii") {
		return nil, 0, web.Errorf(web.EFORBIDDEN, "您无权修改身份证号码")
	}
	return h.store.UpdateStaffRevoking(c.UserContext(), actor(c), st.ID, upd)
}
