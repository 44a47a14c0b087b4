package certify

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

type reviewBoardPage struct{ Board *ReviewBoard }

type awardSessionsPage struct{ Sessions []*AwardSessionRow }

type decisionsPage struct {
	Decisions *Decisions
	MaxYears  int
}

func (h *Handler) showReviewBoard(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "review", "write")
	if err != nil {
		return err
	}
	b, err := h.store.FindReviewBoard(c.UserContext(), sess.ID)
	if err != nil {
		return err
	}
	return h.page(c, "register_review", "综合评审："+sess.Name, reviewBoardPage{b})
}

// saveReview reads one candidate's row of the panel sheet: a mark field per assessor,
// left blank for those not on this candidate's panel.
func (h *Handler) saveReview(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "review", "write")
	if err != nil {
		return err
	}
	in := ReviewInput{}
	if in.UserID, err = strconv.ParseInt(c.FormValue("user_id"), 10, 64); err != nil {
		return web.Errorf(web.EINVALID, "请选择考生")
	}
	for _, key := range strings.Fields(c.FormValue("assessors")) {
		v := strings.TrimSpace(c.FormValue("mark_" + key))
		if v == "" {
			continue
		}
		uid, err1 := strconv.ParseInt(key, 10, 64)
		mark, err2 := strconv.ParseFloat(v, 64)
		if err1 != nil || err2 != nil {
			return web.Invalid(map[string]string{"members": "评分须为0至100之间的数字"})
		}
		in.Members = append(in.Members, ReviewMember{UserID: uid, Mark: mark})
	}
	r, err := h.store.RecordReview(c.UserContext(), actorID(c), sess.ID, in)
	if err != nil {
		return err
	}
	return redirectFlash(c, fmt.Sprintf("/reviews/%d", sess.ID), fmt.Sprintf("已记录综合评审：%.1f分（%s）", r.Score, passWord(r.Passed)))
}

func passWord(passed bool) string {
	if passed {
		return "合格"
	}
	return "不合格"
}

func (h *Handler) apiReviewBoard(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "review", "write")
	if err != nil {
		return err
	}
	b, err := h.store.FindReviewBoard(c.UserContext(), sess.ID)
	if err != nil {
		return err
	}
	return c.JSON(b)
}

func (h *Handler) apiSaveReview(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "review", "write")
	if err != nil {
		return err
	}
	var in ReviewInput
	if err := c.BodyParser(&in); err != nil {
		return web.Errorf(web.EINVALID, "请求格式不正确")
	}
	r, err := h.store.RecordReview(c.UserContext(), actorID(c), sess.ID, in)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (h *Handler) listAwardSessions(c *fiber.Ctx) error {
	rows, err := h.store.FindAwardSessions(c.UserContext(), rbac.ScopeOf(c, "certificate", "award"))
	if err != nil {
		return err
	}
	return h.page(c, "register_awards", "等级认定", awardSessionsPage{rows})
}

func (h *Handler) apiAwardSessions(c *fiber.Ctx) error {
	rows, err := h.store.FindAwardSessions(c.UserContext(), rbac.ScopeOf(c, "certificate", "award"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"sessions": rows})
}

func (h *Handler) showDecisions(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "certificate", "award")
	if err != nil {
		return err
	}
	d, err := h.store.FindDecisions(c.UserContext(), sess.ID)
	if err != nil {
		return err
	}
	return h.page(c, "register_decisions", "等级认定："+sess.Name, decisionsPage{Decisions: d, MaxYears: maxValidYears})
}

func (h *Handler) apiDecisions(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "certificate", "award")
	if err != nil {
		return err
	}
	d, err := h.store.FindDecisions(c.UserContext(), sess.ID)
	if err != nil {
		return err
	}
	return c.JSON(d)
}

// awardLevel is HR's sign-off from the decision page: the ticked candidates, or all
// who passed (all=1), with an optional validity in years.
func (h *Handler) awardLevel(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "certificate", "award")
	if err != nil {
		return err
	}
	in := AwardInput{All: c.FormValue("all") == "1"}
	if in.ValidYears, err = atoiOrZero(c.FormValue("valid_years")); err != nil {
		return web.Invalid(map[string]string{"valid_years": "有效期须为整数年"})
	}
	if !in.All {
		args := c.Context().PostArgs().PeekMulti("user_id")
		for _, a := range args {
			id, err := strconv.ParseInt(string(a), 10, 64)
			if err != nil {
				return web.Errorf(web.EINVALID, "考生编号不正确")
			}
			in.UserIDs = append(in.UserIDs, id)
		}
	}
	certs, err := h.store.Award(c.UserContext(), actorID(c), sess.ID, in)
	if err != nil {
		return err
	}
	return redirectFlash(c, fmt.Sprintf("/awards/%d", sess.ID), fmt.Sprintf("已认定%s并登记证书%d本", sess.LevelName(), len(certs)))
}

func atoiOrZero(s string) (int, error) {
	if s = strings.TrimSpace(s); s == "" {
		return 0, nil
	}
	return strconv.Atoi(s)
}

func (h *Handler) apiAward(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "certificate", "award")
	if err != nil {
		return err
	}
	var in AwardInput
	if err := c.BodyParser(&in); err != nil {
		return web.Errorf(web.EINVALID, "请求格式不正确")
	}
	certs, err := h.store.Award(c.UserContext(), actorID(c), sess.ID, in)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"certificates": certs})
}
