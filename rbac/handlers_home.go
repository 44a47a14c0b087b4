package rbac

import (
	"github.com/gofiber/fiber/v2"
)

type homePage struct {
	Staff  *Staff
	Grants []*Grant
	// Counts for those who manage people, within their scope.
	StaffTotal, StaffActive, OrgTotal int
	ByTier                            []tierCount
	ManagesStaff, SeesOrgs            bool
}

type tierCount struct {
	Tier  Tier
	Count int
}

func (h *Handler) home(c *fiber.Ctx) error {
	p := PrincipalOf(c)
	ctx := c.UserContext()
	var data homePage
	var err error
	if data.Grants, err = h.store.FindGrants(ctx, p.User.ID); err != nil {
		return err
	}
	if p.User.StaffID != nil {
		if data.Staff, err = h.store.FindStaffByID(ctx, *p.User.StaffID); err != nil {
			return err
		}
	}
	if err := h.fillCounts(c, &data); err != nil {
		return err
	}
	return h.render(c, "home", "首页", data)
}

func (h *Handler) fillCounts(c *fiber.Ctx, data *homePage) error {
	uid := actor(c)
	if s := h.store.enf.Scope(uid, "staff", "read"); !s.Empty() {
		data.ManagesStaff = true
		all, err := h.store.CountStaff(c.UserContext(), s)
		if err != nil {
			return err
		}
		data.StaffTotal, data.StaffActive = all.Total, all.Active
	}
	if s := h.store.enf.Scope(uid, "org", "read"); !s.Empty() {
		data.SeesOrgs = true
		units, err := h.store.FindOrgs(c.UserContext(), OrgFilter{Scope: s, ActiveOnly: true})
		if err != nil {
			return err
		}
		data.OrgTotal = len(units)
		data.ByTier = countByTier(units)
	}
	return nil
}

func countByTier(units []*OrgUnit) []tierCount {
	n := map[Tier]int{}
	for _, u := range units {
		n[u.Tier]++
	}
	var out []tierCount
	for _, t := range Tiers {
		if n[t] > 0 {
			out = append(out, tierCount{t, n[t]})
		}
	}
	return out
}
