package curriculum

import (
	"html/template"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

type cataloguePage struct {
	Assigned, Rest []*Card
	Overdue        int
}

type learnCoursePage struct {
	Card     *Card
	Revision *Revision
	Next     *Lesson // where to carry on reading
}

type readerPage struct {
	*LessonView
	Body      template.HTML
	Completed bool // the course completed with this lesson
}

func (h *Handler) showCatalogue(c *fiber.Ctx) error {
	cards, err := h.store.Catalogue(c.UserContext(), learner(c))
	if err != nil {
		return err
	}
	var p cataloguePage
	for _, cd := range cards {
		if cd.Due != nil {
			p.Assigned = append(p.Assigned, cd)
			if cd.Due.Overdue {
				p.Overdue++
			}
		} else {
			p.Rest = append(p.Rest, cd)
		}
	}
	return h.render(c, "learn_home", "我的学习", p)
}

func (h *Handler) showLearnCourse(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	card, r, err := h.store.LearnerCourse(c.UserContext(), learner(c), id)
	if err != nil {
		return err
	}
	p := learnCoursePage{Card: card, Revision: r}
	for _, l := range r.Lessons() {
		if !l.Done {
			p.Next = l
			break
		}
	}
	return h.render(c, "learn_course", r.Title, p)
}

func (h *Handler) moveOn(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, err := h.store.MoveOn(c.UserContext(), learner(c), id); err != nil {
		return err
	}
	return c.Redirect("/learn/courses/"+strconv.FormatInt(id, 10)+"?flash="+url.QueryEscape("已切换到最新版本，已学完的课节保留"), fiber.StatusSeeOther)
}

func (h *Handler) readLesson(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	v, err := h.store.ReadLesson(c.UserContext(), learner(c), id)
	if err != nil {
		return err
	}
	return h.render(c, "learn_lesson", v.Lesson.Title, readerPage{LessonView: v, Body: lessonHTML(v.Lesson)})
}

func (h *Handler) completeLesson(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	v, completed, err := h.store.CompleteLesson(c.UserContext(), learner(c), id)
	if err != nil {
		return err
	}
	course := "/learn/courses/" + strconv.FormatInt(v.Course.ID, 10)
	switch {
	case completed:
		return c.Redirect(course+"?flash="+url.QueryEscape("恭喜，课程已完成！"), fiber.StatusSeeOther)
	case v.Next != nil:
		return c.Redirect("/learn/lessons/"+strconv.FormatInt(v.Next.ID, 10), fiber.StatusSeeOther)
	}
	return c.Redirect(course+"?flash="+url.QueryEscape("本课节已学完"), fiber.StatusSeeOther)
}

// learnAttachment serves an attachment of a lesson the learner may read.
func (h *Handler) learnAttachment(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	a, err := h.store.FindAttachment(c.UserContext(), id)
	if err != nil {
		return err
	}
	v, err := h.store.ReadLesson(c.UserContext(), learner(c), a.LessonID)
	if err != nil {
		return err
	}
	for _, x := range v.Lesson.Attachments {
		if x.ID == a.ID { // only files of the revision the learner reads, never a draft's
			return h.sendAttachment(c, a)
		}
	}
	return web.Errorf(web.ENOTFOUND, "附件不存在")
}
