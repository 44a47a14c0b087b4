package certify

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

// registerRoutes are the decisions and the register. 综合评审 panels are recorded by
// those who may write reviews at the session's unit (trainers, admins); decisions and
// awards need certificate:award there (HR); the register, prints and level histories
// need certificate:read at the issuing unit or the holder's; revoking needs
// certificate:revoke; 定岗晋级 records post:write at the person's unit. Verification is
// public and throttled per address.
func (h *Handler) registerRoutes(r *web.Router) {
	review := h.guards.Require("review", "write")
	award := h.guards.Require("certificate", "award")
	read := h.guards.Require("certificate", "read")
	revoke := h.guards.Require("certificate", "revoke")
	post := h.guards.Require("post", "write")
	public := h.guards.Public()
	r.Get("/reviews/:id", review, h.showReviewBoard)
	r.Post("/reviews/:id", review, h.saveReview)
	r.Get("/awards", award, h.listAwardSessions)
	r.Get("/awards/:id", award, h.showDecisions)
	r.Post("/awards/:id", award, h.awardLevel)
	r.Get("/awards/:id/print", read, h.printSession)
	r.Get("/certificates", read, h.listRegister)
	r.Get("/certificates/:id", read, h.showCertificate)
	r.Get("/certificates/:id/print", read, h.printCertificate)
	r.Post("/certificates/:id/revoke", revoke, h.revokeCertificate)
	r.Get("/staff/:id/levels", read, h.showHistory)
	r.Post("/staff/:id/posts", post, h.savePostChange)
	r.Get("/verify", public, h.showVerify)

	api := r.Group("/api/v1")
	api.Get("/reviews/:id", review, h.apiReviewBoard)
	api.Post("/reviews/:id", review, h.apiSaveReview)
	api.Get("/awards", award, h.apiAwardSessions)
	api.Get("/awards/:id", award, h.apiDecisions)
	api.Post("/awards/:id", award, h.apiAward)
	api.Get("/certificates", read, h.apiRegister)
	api.Get("/certificates/:id", read, h.apiCertificate)
	api.Post("/certificates/:id/revoke", revoke, h.apiRevoke)
	api.Get("/staff/:id/levels", read, h.apiHistory)
	api.Post("/staff/:id/posts", post, h.apiPostChange)
	api.Get("/verify", public, h.apiVerify)
}

func (h *Handler) page(c *fiber.Ctx, name, title string, data any) error {
	return h.pages.Render(c, fiber.StatusOK, name, rbac.NewPage(c, title, data))
}

// actorID is the signed-in caller; the guard has made sure there is one.
func actorID(c *fiber.Ctx) int64 { return rbac.PrincipalOf(c).User.ID }

// pathID reads the :id path parameter; a malformed one names nothing.
func pathID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, web.Errorf(web.ENOTFOUND, "记录不存在")
	}
	return id, nil
}

// redirectFlash redirects after a form post, with a message for the next page.
func redirectFlash(c *fiber.Ctx, path, flash string) error {
	return c.Redirect(path+"?flash="+url.QueryEscape(flash), fiber.StatusSeeOther)
}

// checkPaths allows act on obj when the caller may do it at any of paths; otherwise the
// object is forbidden (readable) or does not exist for them.
func (h *Handler) checkPaths(c *fiber.Ctx, obj, act string, paths ...string) error {
	for _, p := range paths {
		if h.guards.Can(c, p, obj, act) {
			return nil
		}
	}
	for _, p := range paths {
		if act != "read" && h.guards.Can(c, p, obj, "read") {
			return web.Errorf(web.EFORBIDDEN, "您没有权限修改该记录")
		}
	}
	return web.Errorf(web.ENOTFOUND, "记录不存在")
}

// scopedSession loads the session named by :id when the caller may do act on obj at its
// unit.
func (h *Handler) scopedSession(c *fiber.Ctx, obj, act string) (*AwardSession, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	sess, err := findAwardSession(c.UserContext(), h.store.db, id, false)
	if err != nil {
		return nil, err
	}
	return sess, h.guards.Check(c, sess.OrgPath, obj, act)
}

// scopedCertificate loads the certificate named by :id when the caller may do act on it
// at its issuing unit or the holder's.
func (h *Handler) scopedCertificate(c *fiber.Ctx, act string) (*CertRow, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	cert, err := h.store.FindCertificateByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return cert, h.checkPaths(c, "certificate", act, cert.Paths()...)
}

// scopedPerson loads the person named by :id when the caller may do act on obj at
// their unit.
func (h *Handler) scopedPerson(c *fiber.Ctx, obj, act string) (*Person, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	p, err := h.store.FindPerson(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return p, h.guards.Check(c, p.OrgPath, obj, act)
}
