package exams

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

type importPage struct {
	Current  *StandardVersion
	FileName string
	Message  string   // why the upload was refused, when it was
	Problems []string // every problem found, one per line
	MaxMiB   int
}

func (h *Handler) importForm(c *fiber.Ctx) error {
	return h.renderImport(c, fiber.StatusOK, "", nil)
}

func (h *Handler) renderImport(c *fiber.Ctx, status int, fileName string, refusal error) error {
	cur, err := h.store.CurrentStandard(c.UserContext())
	if err != nil {
		return err
	}
	data := importPage{Current: cur, FileName: fileName, MaxMiB: MaxStandardSize >> 20}
	if refusal != nil {
		data.Message = "未导入：发现以下问题，请修改文件后重新上传。当前版本保持不变。"
		data.Problems = problemLines(refusal)
	}
	return h.render(c, status, "standard_import", "导入标准版本", data)
}

// problemLines splits a refusal into its problems, one per line.
func problemLines(err error) []string {
	var out []string
	for _, l := range strings.Split(web.ErrorMessage(err), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// refused reports whether err is a refusal of the upload a user can fix, as opposed to a
// failure of the service.
func refused(err error) bool {
	code := web.ErrorCode(err)
	return code == web.EINVALID || code == web.ETOOLARGE
}

func (h *Handler) importStandard(c *fiber.Ctx) error {
	def, name, err := h.uploadedStandard(c)
	var v *StandardVersion
	if err == nil {
		v, err = h.store.ImportStandard(c.UserContext(), actor(c), def)
	}
	if refused(err) {
		return h.renderImport(c, web.Status(err), name, err)
	}
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("已导入为第 %d 版（%s），现为当前版本", v.VersionNo, v.VersionLabel)
	return c.Redirect(versionPath(v)+"?flash="+url.QueryEscape(msg), fiber.StatusSeeOther)
}

// uploadedStandard reads the multipart field "file" as a definition (YAML, JSON, or a
// weight workbook applied to the current version), refusing files over MaxStandardSize.
func (h *Handler) uploadedStandard(c *fiber.Ctx) (*Standard, string, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, "", web.Errorf(web.EINVALID, "请选择要导入的文件（.yaml、.json 或权重表 .xlsx）")
	}
	name := strings.Clone(fh.Filename)
	if fh.Size > MaxStandardSize {
		return nil, name, web.Errorf(web.ETOOLARGE, "文件超过 %d MiB，已拒绝", MaxStandardSize>>20)
	}
	f, err := fh.Open()
	if err != nil {
		return nil, name, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	def, err := h.store.ParseStandardFile(c.UserContext(), name, f)
	return def, name, err
}

func versionPath(v *StandardVersion) string {
	return "/standard/versions/" + strconv.FormatInt(v.ID, 10)
}

func (h *Handler) restoreVersion(c *fiber.Ctx) error {
	old, v, err := h.restore(c)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("已将第 %d 版恢复为当前版本（保存为第 %d 版）", old.VersionNo, v.VersionNo)
	return c.Redirect(versionPath(v)+"?flash="+url.QueryEscape(msg), fiber.StatusSeeOther)
}

// restore makes the version named in the path current again, as a new version.
func (h *Handler) restore(c *fiber.Ctx) (old, v *StandardVersion, err error) {
	old, err = h.versionParam(c)
	if err != nil {
		return nil, nil, err
	}
	if old.Current {
		return nil, nil, web.Errorf(web.EINVALID, "第 %d 版已是当前版本，无需恢复", old.VersionNo)
	}
	v, err = h.store.RestoreStandardVersion(c.UserContext(), actor(c), old.ID)
	return old, v, err
}
