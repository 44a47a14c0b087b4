package certify

import (
	"github.com/gofiber/fiber/v2"

	"clerkskill/rbac"
)

type printPage struct {
	Certificates []PrintedCertificate
	Session      *AwardSession
}

func (h *Handler) printCertificate(c *fiber.Ctx) error {
	cert, err := h.scopedCertificate(c, "read")
	if err != nil {
		return err
	}
	list, err := printed(c.BaseURL(), []*CertRow{cert})
	if err != nil {
		return err
	}
	return h.page(c, "register_print", "打印证书 "+cert.Number, printPage{Certificates: list})
}

// printSession prints every valid certificate awarded from a session, one per A4 page.
func (h *Handler) printSession(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "certificate", "read")
	if err != nil {
		return err
	}
	rows, _, err := h.store.FindCertificates(c.UserContext(), RegisterFilter{Scope: rbac.ScopeOf(c, "certificate", "read"),
		SessionID: sess.ID, Status: CertValid, Page: rbac.Page{Limit: 200}})
	if err != nil {
		return err
	}
	list, err := printed(c.BaseURL(), rows)
	if err != nil {
		return err
	}
	return h.page(c, "register_print", "批量打印证书："+sess.Name, printPage{Certificates: list, Session: sess})
}
