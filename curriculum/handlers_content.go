package curriculum

import (
	"html/template"
	"io"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

type lessonPage struct {
	Course  *Course
	Lesson  *Lesson
	Preview template.HTML
	MaxMB   int
}

type titleIn struct {
	Title string `json:"title" form:"title"`
}

type moveIn struct {
	Direction string `json:"direction" form:"direction"`
}

func (in moveIn) up() (bool, error) {
	switch in.Direction {
	case "up":
		return true, nil
	case "down":
		return false, nil
	}
	return false, web.Invalid(map[string]string{"direction": "方向须为 up 或 down"})
}

func (h *Handler) addModule(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "write")
	if err != nil {
		return err
	}
	var in titleIn
	if err := web.BindForm(c, &in); err != nil {
		return err
	}
	if _, err := h.store.AddModule(c.UserContext(), co.ID, in.Title); err != nil {
		return err
	}
	return backTo(c, co.ID, "已添加模块")
}

func (h *Handler) renameModule(c *fiber.Ctx) error {
	m, co, err := h.moduleParam(c, "write")
	if err != nil {
		return err
	}
	var in titleIn
	if err := web.BindForm(c, &in); err != nil {
		return err
	}
	if _, err := h.store.RenameModule(c.UserContext(), m.ID, in.Title); err != nil {
		return err
	}
	return backTo(c, co.ID, "模块名称已保存")
}

func (h *Handler) moveModule(c *fiber.Ctx) error {
	m, co, err := h.moduleParam(c, "write")
	if err != nil {
		return err
	}
	var in moveIn
	if err := web.BindForm(c, &in); err != nil {
		return err
	}
	up, err := in.up()
	if err != nil {
		return err
	}
	if err := h.store.MoveModule(c.UserContext(), m.ID, up); err != nil {
		return err
	}
	return backTo(c, co.ID, "模块顺序已调整")
}

func (h *Handler) removeModule(c *fiber.Ctx) error {
	m, co, err := h.moduleParam(c, "write")
	if err != nil {
		return err
	}
	if err := h.store.RemoveModule(c.UserContext(), m.ID); err != nil {
		return err
	}
	return backTo(c, co.ID, "模块已删除")
}

func (h *Handler) addLesson(c *fiber.Ctx) error {
	m, _, err := h.moduleParam(c, "write")
	if err != nil {
		return err
	}
	var in LessonInput
	if err := web.BindForm(c, &in); err != nil {
		return err
	}
	in.Required = true
	l, err := h.store.AddLesson(c.UserContext(), m.ID, in)
	if err != nil {
		return err
	}
	return toLesson(c, l.ID, "已添加课节，请编写正文")
}

func toLesson(c *fiber.Ctx, id int64, flash string) error {
	return c.Redirect("/lessons/"+strconv.FormatInt(id, 10)+"/edit?flash="+url.QueryEscape(flash), fiber.StatusSeeOther)
}

func (h *Handler) editLesson(c *fiber.Ctx) error {
	l, co, err := h.lessonParam(c, "write")
	if err != nil {
		return err
	}
	return h.render(c, "lesson_form", "编辑课节："+l.Title, lessonPage{Course: co, Lesson: l, Preview: RenderMarkdown(l.Body), MaxMB: h.store.MaxFile >> 20})
}

func (h *Handler) updateLesson(c *fiber.Ctx) error {
	l, _, err := h.lessonParam(c, "write")
	if err != nil {
		return err
	}
	var in LessonInput
	if err := web.BindForm(c, &in); err != nil {
		return err
	}
	w, err := h.store.UpdateLesson(c.UserContext(), l.ID, in)
	if err != nil {
		return err
	}
	return toLesson(c, w.ID, "课节已保存")
}

func (h *Handler) moveLesson(c *fiber.Ctx) error {
	l, co, err := h.lessonParam(c, "write")
	if err != nil {
		return err
	}
	var in moveIn
	if err := web.BindForm(c, &in); err != nil {
		return err
	}
	up, err := in.up()
	if err != nil {
		return err
	}
	if err := h.store.MoveLesson(c.UserContext(), l.ID, up); err != nil {
		return err
	}
	return backTo(c, co.ID, "课节顺序已调整")
}

func (h *Handler) removeLesson(c *fiber.Ctx) error {
	l, co, err := h.lessonParam(c, "write")
	if err != nil {
		return err
	}
	if err := h.store.RemoveLesson(c.UserContext(), l.ID); err != nil {
		return err
	}
	return backTo(c, co.ID, "课节已删除")
}

// upload reads the multipart file field "file", refusing more than the store accepts.
func (h *Handler) upload(c *fiber.Ctx, lessonID int64) (*Attachment, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, web.Invalid(map[string]string{"file": "请选择要上传的文件"})
	}
	if fh.Size > int64(h.store.MaxFile) {
		return nil, web.Errorf(web.ETOOLARGE, "文件过大：单个附件不超过 %d MB", h.store.MaxFile>>20)
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(h.store.MaxFile)+1))
	if err != nil {
		return nil, err
	}
	return h.store.AddAttachment(c.UserContext(), lessonID, fh.Filename, data)
}

func (h *Handler) uploadAttachment(c *fiber.Ctx) error {
	l, _, err := h.lessonParam(c, "write")
	if err != nil {
		return err
	}
	a, err := h.upload(c, l.ID)
	if err != nil {
		return err
	}
	return toLesson(c, a.LessonID, "已上传附件："+a.Name)
}

func (h *Handler) removeAttachment(c *fiber.Ctx) error {
	a, err := h.attachmentParam(c, "write")
	if err != nil {
		return err
	}
	if err := h.store.RemoveAttachment(c.UserContext(), a.ID); err != nil {
		return err
	}
	return c.Redirect("/lessons/"+strconv.FormatInt(a.LessonID, 10)+"/edit?flash="+url.QueryEscape("附件已删除"), fiber.StatusSeeOther)
}

func (h *Handler) downloadAttachment(c *fiber.Ctx) error {
	a, err := h.attachmentParam(c, "read")
	if err != nil {
		return err
	}
	return h.sendAttachment(c, a)
}

// sendAttachment streams the bytes as a download of the sniffed type (never sniffed again
// by the browser, never run as a page of this site), with byte ranges for video seeking.
// An attachment row's bytes never change (removing one deletes the row), so its id is a
// strong ETag.
func (h *Handler) sendAttachment(c *fiber.Ctx, a *Attachment) error {
	rs, size, err := h.store.OpenAttachment(c.UserContext(), a)
	if err != nil {
		return err
	}
	d := web.Download{Name: a.Name, Type: a.MIME, Size: size, ModTime: a.CreatedAt, ETag: "att-" + strconv.FormatInt(a.ID, 10), MaxAge: 24 * time.Hour}
	return web.ServeContent(c, d, rs)
}
