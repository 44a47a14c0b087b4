package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// DecodeJSON reads the request body into v, refusing malformed JSON, unknown fields and
// trailing data with a message that says what is wrong.
func DecodeJSON(c *fiber.Ctx, v any) error {
	if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
		return Errorf(EINVALID, "请求体须为 JSON（Content-Type: application/json）")
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Errorf(EINVALID, "请求体在 JSON 之后还有多余内容")
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return Errorf(EINVALID, "JSON 格式错误（第%d字节附近）", syn.Offset)
	case errors.As(err, &typ):
		return Errorf(EINVALID, "字段 %s 的类型不正确，应为 %s", typ.Field, typ.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return Errorf(EINVALID, "未知字段 %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return Errorf(EINVALID, "JSON 格式错误：内容不完整")
	case errors.Is(err, io.EOF):
		return Errorf(EINVALID, "请求体为空")
	}
	return Errorf(EINVALID, "无法解析请求体：%s", err.Error())
}

// BindForm reads a urlencoded or multipart form into v (fields tagged `form:"name"`).
func BindForm(c *fiber.Ctx, v any) error {
	if err := c.BodyParser(v); err != nil {
		return Errorf(EINVALID, "表单内容无法识别：%s", err.Error())
	}
	return nil
}

// QueryInt reads a non-negative integer query parameter, def when absent or malformed.
func QueryInt(c *fiber.Ctx, name string, def int) int {
	n, err := strconv.Atoi(c.Query(name))
	if err != nil || n < 0 {
		return def
	}
	return n
}

// Pager is the paging state of a listing page.
type Pager struct {
	Offset, Limit, Total int
	Query                string // the other query parameters, already encoded
}

// HasPrev reports whether an earlier page exists.
func (p Pager) HasPrev() bool { return p.Offset > 0 }

// HasNext reports whether a later page exists.
func (p Pager) HasNext() bool { return p.Offset+p.Limit < p.Total }

// PrevOffset is the offset of the earlier page.
func (p Pager) PrevOffset() int { return max(0, p.Offset-p.Limit) }

// NextOffset is the offset of the later page.
func (p Pager) NextOffset() int { return p.Offset + p.Limit }

// Range describes the rows shown, e.g. "第 1–50 条，共 312 条".
func (p Pager) Range() string {
	if p.Total == 0 {
		return "共 0 条"
	}
	return fmt.Sprintf("第 %d–%d 条，共 %d 条", p.Offset+1, min(p.Offset+p.Limit, p.Total), p.Total)
}
