package marking

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

type resultsPage struct {
	*SessionResults
	CanRelease bool
}

type analysisPage struct{ *Analysis }

type auditPage struct {
	Session *SessionRow
	Entries []*AuditEntry
}

type minePage struct{ Sessions []*MySession }

func (h *Handler) listResults(c *fiber.Ctx) error {
	list, err := h.store.FindResultSessions(c.UserContext(), scopeOf(c))
	if err != nil {
		return err
	}
	return h.render(c, "result_sessions", "考试成绩", sessionsPage{Sessions: list})
}

func (h *Handler) showResults(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "read")
	if err != nil {
		return err
	}
	res, err := h.store.FindSessionResults(c.UserContext(), sess)
	if err != nil {
		return err
	}
	can := h.guards.Can(c, sess.OrgPath, "result", "release")
	return h.render(c, "result_session", "成绩 · "+sess.Name, resultsPage{SessionResults: res, CanRelease: can})
}

func (h *Handler) showAnalysis(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "read")
	if err != nil {
		return err
	}
	a, err := h.store.FindAnalysis(c.UserContext(), sess)
	if err != nil {
		return err
	}
	return h.render(c, "result_analysis", "试题分析 · "+sess.Name, analysisPage{a})
}

func (h *Handler) showAudit(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "read")
	if err != nil {
		return err
	}
	list, err := h.store.FindAudit(c.UserContext(), sess.ID)
	if err != nil {
		return err
	}
	return h.render(c, "result_audit", "评分记录 · "+sess.Name, auditPage{Session: sess, Entries: list})
}

func (h *Handler) release(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "release")
	if err != nil {
		return err
	}
	if err := h.store.Release(c.UserContext(), userID(c), sess.ID); err != nil {
		return err
	}
	return seeOther(c, fmt.Sprintf("/results/%d", sess.ID), "成绩已发布，考生现在可以查看")
}

func (h *Handler) saveSettings(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "release")
	if err != nil {
		return err
	}
	set := &Settings{SessionID: sess.ID, DoublePractical: c.FormValue("double_practical") == "on"}
	f := map[string]string{}
	if set.Margin, err = strconv.ParseFloat(strings.TrimSpace(c.FormValue("margin", "0")), 64); err != nil {
		f["margin"] = "允许分差须为数字"
	}
	if set.ReviewDays, err = strconv.Atoi(strings.TrimSpace(c.FormValue("review_days"))); err != nil {
		f["review_days"] = "复核申请期限须为整数天"
	}
	if err := web.Invalid(f); err != nil {
		return err
	}
	if err := h.store.SaveSettings(c.UserContext(), userID(c), set); err != nil {
		return err
	}
	return seeOther(c, fmt.Sprintf("/results/%d", sess.ID), "评分设置已保存")
}

// scopedReview loads the review named by :id when the caller may release results at its
// session's unit.
func (h *Handler) scopedReview(c *fiber.Ctx) (*ReviewRequest, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, err
	}
	r, path, err := h.store.FindReview(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return r, h.guards.Check(c, path, "result", "release")
}

func (h *Handler) answerReview(c *fiber.Ctx) error {
	r, err := h.scopedReview(c)
	if err != nil {
		return err
	}
	in := ReviewAnswer{Changed: c.FormValue("decision") == "change", Answer: c.FormValue("answer")}
	if v := strings.TrimSpace(c.FormValue("score")); in.Changed && v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return web.Invalid(map[string]string{"score": "新分数须为数字"})
		}
		in.Score = &f
	}
	if err := h.store.AnswerReview(c.UserContext(), userID(c), r, in); err != nil {
		return err
	}
	return seeOther(c, fmt.Sprintf("/results/%d", r.SessionID), "复核意见已记录")
}

func (h *Handler) showMine(c *fiber.Ctx) error {
	list, err := h.store.FindMyResults(c.UserContext(), userID(c))
	if err != nil {
		return err
	}
	return h.render(c, "result_mine", "我的成绩", minePage{Sessions: list})
}

func (h *Handler) requestReview(c *fiber.Ctx) error {
	in := ReviewInput{Reason: c.FormValue("reason")}
	in.AttemptID, _ = strconv.ParseInt(c.FormValue("attempt"), 10, 64)
	in.Idx, _ = strconv.Atoi(c.FormValue("idx"))
	if _, err := h.store.RequestReview(c.UserContext(), userID(c), in); err != nil {
		return err
	}
	return seeOther(c, "/results/mine", "复核申请已提交，培训师答复后会显示在这里")
}
