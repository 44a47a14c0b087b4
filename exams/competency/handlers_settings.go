package competency

import (
	"errors"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

type settingsPage struct {
	OrgID    int64
	Orgs     []OrgOption
	Settings Settings
	Errors   map[string]string
}

func (h *Handler) showSettings(c *fiber.Ctx) error {
	id, err := h.orgIn(c, int64(web.QueryInt(c, "org", 0)), "competency", "write")
	if err != nil {
		return err
	}
	set, err := h.store.SettingsFor(c.UserContext(), id)
	if err != nil {
		return err
	}
	return h.settingsForm(c, fiber.StatusOK, id, set, nil)
}

func (h *Handler) settingsForm(c *fiber.Ctx, status int, id int64, set Settings, errs map[string]string) error {
	orgs, err := h.store.unitOptions(c.UserContext(), rbac.ScopeOf(c, "competency", "write"))
	if err != nil {
		return err
	}
	return h.pages.Render(c, status, "competency_settings", rbac.NewPage(c, "能力计算设置",
		settingsPage{OrgID: id, Orgs: orgs, Settings: set, Errors: errs}))
}

// saveSettings stores the unit's own settings, or with inherit=1 drops them.
func (h *Handler) saveSettings(c *fiber.Ctx) error {
	var in Settings
	if err := web.BindForm(c, &in); err != nil {
		return err
	}
	in.OrgID, _ = strconv.ParseInt(c.FormValue("org_id"), 10, 64)
	if c.FormValue("inherit") == "1" {
		id, err := h.orgIn(c, in.OrgID, "competency", "write")
		if err != nil {
			return err
		}
		if err := h.store.ClearSettings(c.UserContext(), id); err != nil {
			return err
		}
		return h.settingsDone(c, id, "已恢复为沿用上级设置")
	}
	if _, err := h.save(c, in); err != nil {
		var e *web.Error
		if errors.As(err, &e) && e.Fields != nil {
			return h.settingsForm(c, fiber.StatusUnprocessableEntity, in.OrgID, in, e.Fields)
		}
		return err
	}
	return h.settingsDone(c, in.OrgID, "设置已保存")
}

func (h *Handler) settingsDone(c *fiber.Ctx, id int64, msg string) error {
	q := url.Values{"org": {strconv.FormatInt(id, 10)}, "flash": {msg}}
	return c.Redirect("/competency/settings?"+q.Encode(), fiber.StatusSeeOther)
}
