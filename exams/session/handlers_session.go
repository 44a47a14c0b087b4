package session

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

type listPage struct {
	Sessions []*Session
	CanWrite bool
}

type showPage struct {
	Session    *Session
	Candidates []*Candidate
	Staff      []*StaffMember
	Warnings   []string
	Phase      string
	CanWrite   bool
	Orgs       []*rbac.OrgUnit
}

func (h *Handler) listSessions(c *fiber.Ctx) error {
	list, err := h.store.FindSessions(c.UserContext(), rbac.ScopeOf(c, "exam", "read"))
	if err != nil {
		return err
	}
	now := h.store.now()
	for _, ss := range list {
		ss.Status = ss.Phase(now)
	}
	canWrite := !h.people.Enforcer().Scope(userID(c), "exam", "write").Empty()
	return h.render(c, "exam_sessions", "考试场次", listPage{Sessions: list, CanWrite: canWrite})
}

func (h *Handler) writableOrgs(c *fiber.Ctx) ([]*rbac.OrgUnit, error) {
	return h.people.FindOrgs(c.UserContext(), rbac.OrgFilter{Scope: rbac.ScopeOf(c, "exam", "write"), ActiveOnly: true})
}

func (h *Handler) renderForm(c *fiber.Ctx, f *sessionForm) error {
	var err error
	if f.Orgs, err = h.writableOrgs(c); err != nil {
		return err
	}
	title := "新建考试场次"
	if f.ID != 0 {
		title = "编辑考试场次"
	}
	status := fiber.StatusOK
	if len(f.Errors) > 0 {
		status = fiber.StatusUnprocessableEntity
	}
	return h.pages.Render(c, status, "exam_session_form", rbac.NewPage(c, title, f))
}

func (h *Handler) newSession(c *fiber.Ctx) error {
	std, _, err := h.store.Standard(c.UserContext())
	if err != nil {
		return err
	}
	return h.renderForm(c, formOf(std, nil))
}

func (h *Handler) createSession(c *fiber.Ctx) error {
	std, _, err := h.store.Standard(c.UserContext())
	if err != nil {
		return err
	}
	in, err := inputOf(c, std)
	if err == nil {
		err = h.checkOrg(c, in.OrgID)
	}
	var ss *Session
	if err == nil {
		ss, err = h.store.CreateSession(c.UserContext(), userID(c), in)
	}
	if web.ErrorCode(err) == web.EINVALID {
		return h.renderForm(c, formAgain(std, in, 0, err))
	}
	if err != nil {
		return err
	}
	return redirect(c, fmt.Sprintf("/sessions/%d", ss.ID), "考试场次已创建")
}

// checkOrg makes sure the owning unit is one the caller may write exams for.
func (h *Handler) checkOrg(c *fiber.Ctx, orgID int64) error {
	if orgID == 0 {
		return web.Invalid(map[string]string{"org_id": "请选择主办机构"})
	}
	p, err := h.store.OrgPath(c.UserContext(), orgID)
	if err != nil {
		return err
	}
	if !h.guards.Can(c, p, "exam", "write") {
		return web.Invalid(map[string]string{"org_id": "主办机构不在您的管理范围内"})
	}
	return nil
}

func (h *Handler) showSession(c *fiber.Ctx) error {
	ss, err := h.sessionFor(c, "read")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	data := showPage{Session: ss, Phase: ss.Phase(h.store.now()), CanWrite: h.guards.Can(c, ss.OrgPath, "exam", "write")}
	if data.Candidates, err = h.store.FindCandidates(ctx, ss.ID); err != nil {
		return err
	}
	if data.Staff, err = h.store.FindStaff(ctx, ss.ID); err != nil {
		return err
	}
	std, _, err := h.store.Standard(ctx)
	if err != nil {
		return err
	}
	data.Warnings = Warnings(std, ss, data.Candidates, data.Staff)
	if data.CanWrite {
		if data.Orgs, err = h.people.FindOrgs(ctx, rbac.OrgFilter{Scope: rbac.Scope{ss.OrgPath}, ActiveOnly: true}); err != nil {
			return err
		}
	}
	return h.render(c, "exam_session", ss.Name, data)
}

func (h *Handler) editSession(c *fiber.Ctx) error {
	ss, err := h.sessionFor(c, "write")
	if err != nil {
		return err
	}
	std, _, err := h.store.Standard(c.UserContext())
	if err != nil {
		return err
	}
	return h.renderForm(c, formOf(std, ss))
}

func (h *Handler) updateSession(c *fiber.Ctx) error {
	ss, err := h.sessionFor(c, "write")
	if err != nil {
		return err
	}
	std, _, err := h.store.Standard(c.UserContext())
	if err != nil {
		return err
	}
	in, err := inputOf(c, std)
	if err == nil {
		err = h.checkOrg(c, in.OrgID)
	}
	if err == nil {
		_, err = h.store.UpdateSession(c.UserContext(), ss.ID, in)
	}
	if web.ErrorCode(err) == web.EINVALID {
		return h.renderForm(c, formAgain(std, in, ss.ID, err))
	}
	if err != nil {
		return err
	}
	return redirect(c, fmt.Sprintf("/sessions/%d", ss.ID), "考试场次已保存")
}

func (h *Handler) addCandidates(c *fiber.Ctx) error {
	ss, err := h.sessionFor(c, "write")
	if err != nil {
		return err
	}
	in := CandidateInput{Usernames: []string{c.FormValue("usernames")}, Room: strings.Clone(c.FormValue("room"))}
	if org, _ := strconv.ParseInt(c.FormValue("org_id"), 10, 64); org != 0 {
		in.OrgIDs = []int64{org}
	}
	n, err := h.store.AddCandidates(c.UserContext(), ss.ID, rbac.ScopeOf(c, "exam", "write"), in)
	if err != nil {
		return err
	}
	return redirect(c, fmt.Sprintf("/sessions/%d", ss.ID), fmt.Sprintf("已添加或更新 %d 名考生", n))
}

func (h *Handler) removeCandidate(c *fiber.Ctx) error {
	ss, err := h.sessionFor(c, "write")
	if err != nil {
		return err
	}
	uid, err := formID(c, "user_id")
	if err != nil {
		return err
	}
	if err := h.store.RemoveCandidate(c.UserContext(), ss.ID, uid); err != nil {
		return err
	}
	return redirect(c, fmt.Sprintf("/sessions/%d", ss.ID), "已移出考生")
}

func (h *Handler) addStaff(c *fiber.Ctx) error {
	ss, err := h.sessionFor(c, "write")
	if err != nil {
		return err
	}
	in := StaffInput{Username: strings.Clone(c.FormValue("username")), Role: strings.Clone(c.FormValue("role")), Room: strings.Clone(c.FormValue("room"))}
	if err := h.store.AddStaff(c.UserContext(), ss.ID, rbac.ScopeOf(c, "exam", "write"), in); err != nil {
		return err
	}
	return redirect(c, fmt.Sprintf("/sessions/%d", ss.ID), "已添加考务人员")
}

func (h *Handler) removeStaff(c *fiber.Ctx) error {
	ss, err := h.sessionFor(c, "write")
	if err != nil {
		return err
	}
	uid, err := formID(c, "user_id")
	if err != nil {
		return err
	}
	if err := h.store.RemoveStaff(c.UserContext(), ss.ID, uid, c.FormValue("role")); err != nil {
		return err
	}
	return redirect(c, fmt.Sprintf("/sessions/%d", ss.ID), "已移除考务人员")
}

func redirect(c *fiber.Ctx, to, flash string) error {
	if flash != "" {
		to += "?flash=" + url.QueryEscape(flash)
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}

// formID reads a posted id; a missing or malformed one is invalid input.
func formID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.FormValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, web.Invalid(map[string]string{name: "请选择一个人员"})
	}
	return id, nil
}
