package web

import (
	"errors"
	"log/slog"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// WantsJSON reports whether the response should be JSON rather than a page.
func WantsJSON(c *fiber.Ctx) bool {
	if strings.HasPrefix(c.Path(), "/api/") {
		return true
	}
	return c.Accepts(fiber.MIMETextHTML, fiber.MIMEApplicationJSON) == fiber.MIMEApplicationJSON
}

// ErrorBody is the JSON shape of every error.
type ErrorBody struct {
	Error  string            `json:"error"`
	Code   string            `json:"code"`
	Fields map[string]string `json:"fields,omitempty"`
}

// ErrorHandler is the one exit for failed requests: JSON for API callers, a page otherwise.
func ErrorHandler(log *slog.Logger, r *Renderer) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		LogIfInternal(log, c, err)
		status := Status(err)
		body := ErrorBody{Error: ErrorMessage(err), Code: ErrorCode(err)}
		if status == fiber.StatusServiceUnavailable {
			c.Set(fiber.HeaderRetryAfter, "5")
		}
		if e, ok := err.(*Error); ok {
			body.Fields = e.Fields
			SetRetryAfter(c, e)
		}
		if WantsJSON(c) || r == nil {
			return c.Status(status).JSON(body)
		}
		p := Page{Title: "出错了", Data: body}
		p.User, _ = c.Locals(ViewerKey).(*Viewer)
		p.CSRF, _ = c.Locals(CSRFKey).(string)
		if rerr := r.Render(c, status, "error", p); rerr != nil {
			log.Error("render error page", "err", rerr)
			return c.Status(status).SendString(body.Error)
		}
		return nil
	}
}

// SetRetryAfter tells a throttled client how long to wait, when the error says.
func SetRetryAfter(c *fiber.Ctx, err error) {
	var e *Error
	if errors.As(err, &e) && e.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(e.RetryAfter))
	}
}

// c.Locals keys under which the signed-in viewer and their form token are kept for the
// page frame, so even error pages can offer a working logout button.
const (
	ViewerKey = "viewer"
	CSRFKey   = "csrf"
)

func sortStrings(s []string) []string {
	sort.Strings(s)
	return s
}
