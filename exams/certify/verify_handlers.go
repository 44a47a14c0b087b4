package certify

import (
	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

type verifyPage struct {
	Number string
	Result *Verification
	Error  string
}

// verify looks a number up for an anonymous visitor, counted against their address.
func (h *Handler) verify(c *fiber.Ctx, number string) (*Verification, error) {
	if err := h.verifies.Allow(c.UserContext(), c.IP()); err != nil {
		return nil, err
	}
	return h.store.Verify(c.UserContext(), number)
}

// showVerify is the public verification page: a form, and the result for ?no=.
func (h *Handler) showVerify(c *fiber.Ctx) error {
	p := verifyPage{Number: c.Query("no")}
	if p.Number != "" {
		res, err := h.verify(c, p.Number)
		switch code := web.ErrorCode(err); code {
		case "":
			p.Result = res
		case web.EINVALID, web.ENOTFOUND, web.ETHROTTLED:
			p.Error = err.(*web.Error).Message
		default:
			return err
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.page(c, "register_verify", "证书查验", p)
}

func (h *Handler) apiVerify(c *fiber.Ctx) error {
	no := c.Query("no")
	if no == "" {
		return web.Errorf(web.EINVALID, "请输入证书编号")
	}
	res, err := h.verify(c, no)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(res)
}
