package marking

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/exams/bank"
)

type sessionsPage struct{ Sessions []*SessionRow }

type queuePage struct{ *Queue }

type taskPage struct{ *Task }

// Letter is the option letter of index i.
func (taskPage) Letter(i int) string { return bank.Letters[i : i+1] }

// Value is the caller's mark on criterion k, "" when none yet.
func (p taskPage) Value(k int) string {
	if p.Mine != nil && k < len(p.Mine.Criteria) {
		return fmtNum(p.Mine.Criteria[k])
	}
	return ""
}

// RawValue is the caller's mark of a short answer, "" when none yet.
func (p taskPage) RawValue() string {
	if p.Mine != nil {
		return fmtNum(p.Mine.Raw)
	}
	return ""
}

// Scaled is the item's points per point of the question's own scale.
func (p taskPage) Scaled() string { return fmtNum(p.Item.Points) }

type sheetPage struct{ *Sheet }

func (h *Handler) listMarking(c *fiber.Ctx) error {
	list, err := h.store.FindMarkerSessions(c.UserContext(), userID(c))
	if err != nil {
		return err
	}
	return h.render(c, "mark_sessions", "评分", sessionsPage{Sessions: list})
}

func (h *Handler) showQueue(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	q, err := h.store.FindQueue(c.UserContext(), userID(c), id)
	if err != nil {
		return err
	}
	return h.render(c, "mark_queue", "评分队列 · "+q.Session.Name, queuePage{q})
}

func (h *Handler) showTask(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	t, err := h.store.FindTask(c.UserContext(), userID(c), id, int64(web.QueryInt(c, "attempt", 0)), web.QueryInt(c, "idx", -1))
	if err != nil {
		return err
	}
	return h.render(c, "mark_task", "评分", taskPage{t})
}

func (h *Handler) saveTask(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in, err := markForm(c)
	if err != nil {
		return err
	}
	m, err := h.store.SaveMark(c.UserContext(), userID(c), id, in)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("第%d号答卷第%d题的评分已保存", m.AttemptID, m.Idx+1)
	if m.Status == StatusArbitration {
		msg += "；两位考评员评分相差超过允许分差，已转仲裁"
	}
	return seeOther(c, "/marking/"+strconv.FormatInt(id, 10), msg)
}

// markForm reads the marking form: attempt, idx, c (one per rubric line, in order) or
// raw, comment and reason.
func markForm(c *fiber.Ctx) (MarkInput, error) {
	args := c.Request().PostArgs()
	in := MarkInput{Comment: strings.TrimSpace(string(args.Peek("comment"))), Reason: strings.TrimSpace(string(args.Peek("reason")))}
	in.AttemptID, _ = strconv.ParseInt(string(args.Peek("attempt")), 10, 64)
	in.Idx, _ = strconv.Atoi(string(args.Peek("idx")))
	for _, v := range args.PeekMulti("c") {
		f, err := parseMark(string(v))
		if err != nil {
			return in, err
		}
		in.Criteria = append(in.Criteria, f)
	}
	if raw := strings.TrimSpace(string(args.Peek("raw"))); raw != "" {
		f, err := parseMark(raw)
		if err != nil {
			return in, err
		}
		in.Raw = &f
	}
	return in, nil
}

func parseMark(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, web.Invalid(map[string]string{"criteria": "每一项都须填写分数（可带一位小数）"})
	}
	return f, nil
}

func (h *Handler) showSheet(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	sh, err := h.store.FindSheet(c.UserContext(), userID(c), id, int64(web.QueryInt(c, "question", 0)))
	if err != nil {
		return err
	}
	return h.render(c, "mark_sheet", "录入纸质评分表", sheetPage{sh})
}

func (h *Handler) saveSheet(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	args := c.Request().PostArgs()
	qid, _ := strconv.ParseInt(string(args.Peek("question")), 10, 64)
	sh, err := h.store.FindSheet(c.UserContext(), userID(c), id, qid)
	if err != nil {
		return err
	}
	rows, err := sheetForm(c, sh)
	if err != nil {
		return err
	}
	qid = 0
	if sh.Question != nil {
		qid = sh.Question.ID
	}
	n, err := h.store.SaveSheet(c.UserContext(), userID(c), id, qid, rows, strings.TrimSpace(string(args.Peek("reason"))))
	if err != nil {
		return err
	}
	return seeOther(c, fmt.Sprintf("/marking/%d/sheet?question=%d&", id, qid), fmt.Sprintf("已录入%d名考生的评分", n))
}

// sheetForm reads the grid: field m_<attempt>_<idx>_<k> per row and criterion. A row
// left wholly blank is skipped; a row filled in part is refused.
func sheetForm(c *fiber.Ctx, sh *Sheet) ([]SheetEntry, error) {
	var out []SheetEntry
	if sh.Question == nil {
		return out, nil
	}
	for i, r := range sh.Rows {
		var vals []string
		for k := range sh.Question.Rubric {
			vals = append(vals, strings.TrimSpace(c.FormValue(fmt.Sprintf("m_%d_%d_%d", r.AttemptID, r.Idx, k))))
		}
		if strings.Join(vals, "") == "" {
			continue
		}
		e := SheetEntry{AttemptID: r.AttemptID, Idx: r.Idx}
		for _, v := range vals {
			f, err := parseMark(v)
			if err != nil {
				return nil, web.Errorf(web.EINVALID, "第%d行（%s）：每一项都须填写分数", i+1, r.Name)
			}
			e.Criteria = append(e.Criteria, f)
		}
		out = append(out, e)
	}
	return out, nil
}

func (h *Handler) apiMarking(c *fiber.Ctx) error {
	list, err := h.store.FindMarkerSessions(c.UserContext(), userID(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": list, "total": len(list)})
}

func (h *Handler) apiQueue(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	q, err := h.store.FindQueue(c.UserContext(), userID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(q)
}

func (h *Handler) apiTask(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	t, err := h.store.FindTask(c.UserContext(), userID(c), id, int64(web.QueryInt(c, "attempt", 0)), web.QueryInt(c, "idx", -1))
	if err != nil {
		return err
	}
	return c.JSON(t)
}

func (h *Handler) apiSaveMark(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var in MarkInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	m, err := h.store.SaveMark(c.UserContext(), userID(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

func (h *Handler) apiSheet(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	sh, err := h.store.FindSheet(c.UserContext(), userID(c), id, int64(web.QueryInt(c, "question", 0)))
	if err != nil {
		return err
	}
	return c.JSON(sh)
}

type sheetIn struct {
	QuestionID int64        `json:"question_id"`
	Reason     string       `json:"reason"`
	Rows       []SheetEntry `json:"rows"`
}

func (h *Handler) apiSaveSheet(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var in sheetIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	n, err := h.store.SaveSheet(c.UserContext(), userID(c), id, in.QuestionID, in.Rows, in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"saved": n})
}
