package session

import (
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"clerkskill/exams/bank"
)

type myExamsPage struct {
	Upcoming, Open, Done []*MySession
	Now                  time.Time
}

// Startable reports whether a part of a session may be started or resumed now.
func (p myExamsPage) Startable(m *MySession, mp *MyPart) bool { return m.CanStart(mp, p.Now) }

type paperPage struct{ *PaperView }

type confirmPage struct {
	*PaperView
	Unanswered, Flagged []int
}

func (h *Handler) showMyExams(c *fiber.Ctx) error {
	list, err := h.store.FindMySessions(c.UserContext(), userID(c))
	if err != nil {
		return err
	}
	data := myExamsPage{Now: h.store.now()}
	for _, m := range list {
		switch {
		case m.Phase == "未开始":
			data.Upcoming = append(data.Upcoming, m)
		case m.Phase == "进行中" && anyStartable(m, data.Now):
			data.Open = append(data.Open, m)
		default:
			data.Done = append(data.Done, m)
		}
	}
	return h.render(c, "exam_home", "我的考试", data)
}

func anyStartable(m *MySession, now time.Time) bool {
	for _, p := range m.Mine {
		if m.CanStart(p, now) {
			return true
		}
	}
	return false
}

func (h *Handler) startAttempt(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	part, _ := strconv.ParseInt(c.FormValue("part_id"), 10, 64)
	a, err := h.store.StartAttempt(c.UserContext(), id, part, userID(c), loginKey(c))
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/exam/attempts/%d", a.ID), fiber.StatusSeeOther)
}

// paper loads the caller's own attempt; opening an open one from a different login
// session than before is recorded, as resuming it is.
func (h *Handler) paper(c *fiber.Ctx) (*PaperView, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	v, err := h.store.Paper(c.UserContext(), id, userID(c))
	if err != nil {
		return nil, err
	}
	return v, h.store.noteLogin(c.UserContext(), v.Attempt, loginKey(c))
}

func (h *Handler) showPaper(c *fiber.Ctx) error {
	v, err := h.paper(c)
	if err != nil {
		return err
	}
	if !v.Attempt.Open() {
		return h.render(c, "exam_closed", "已交卷", paperPage{v})
	}
	return h.render(c, "exam_paper", v.SessionName+" · "+v.PartLabel, paperPage{v})
}

// formResponse reads one question's answer from its form: choice (one or several),
// judge, blank (one per blank, in order), text, and the review flag.
func formResponse(c *fiber.Ctx) (bank.Response, bool) {
	args := c.Request().PostArgs()
	var r bank.Response
	for _, v := range args.PeekMulti("choice") {
		r.Choice += string(v)
	}
	for _, v := range args.PeekMulti("blank") {
		r.Blanks = append(r.Blanks, string(v))
	}
	switch string(args.Peek("judge")) {
	case "true":
		r.Judge = &[]bool{true}[0]
	case "false":
		r.Judge = &[]bool{false}[0]
	}
	r.Text = string(args.Peek("text"))
	return r, string(args.Peek("flagged")) == "on"
}

func (h *Handler) saveAnswerForm(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	idx, err := strconv.Atoi(c.FormValue("idx"))
	if err != nil {
		idx = -1
	}
	r, flagged := formResponse(c)
	if _, err := h.store.SaveAnswer(c.UserContext(), id, userID(c), SaveInput{Idx: idx, Response: r, Flagged: flagged}); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/exam/attempts/%d?saved=%d#q%d", id, idx+1, idx+1), fiber.StatusSeeOther)
}

func (h *Handler) confirmSubmit(c *fiber.Ctx) error {
	v, err := h.paper(c)
	if err != nil {
		return err
	}
	if !v.Attempt.Open() {
		return h.render(c, "exam_closed", "已交卷", paperPage{v})
	}
	data := confirmPage{PaperView: v}
	for _, it := range v.Items {
		if !it.Answered {
			data.Unanswered = append(data.Unanswered, it.Idx+1)
		}
		if it.Flagged {
			data.Flagged = append(data.Flagged, it.Idx+1)
		}
	}
	return h.render(c, "exam_confirm", "交卷确认", data)
}

func (h *Handler) submitForm(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if _, err := h.store.Submit(c.UserContext(), id, userID(c)); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/exam/attempts/%d", id), fiber.StatusSeeOther)
}
