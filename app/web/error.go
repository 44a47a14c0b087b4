// Package web holds the one error type, the one error handler, page rendering and the
// embedded templates and static assets.
package web

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/db"
)

// Error codes: the only kinds of failure a caller sees.
const (
	EINVALID   = "invalid"
	ENOTFOUND  = "not_found"
	EFORBIDDEN = "forbidden"
	EUNAUTH    = "unauthorized"
	ECONFLICT  = "conflict"
	ETOOLARGE  = "too_large"
	ETHROTTLED = "throttled"
	EINTERNAL  = "internal"
	// EUNAVAILABLE: the database is unreachable or restarting; the request may be retried.
	EUNAVAILABLE = "unavailable"
)

// Error is an application error with a code and a message safe to show a user.
type Error struct {
	Code    string
	Message string
	// Fields holds per-field messages for invalid input, keyed by field name.
	Fields map[string]string
	// RetryAfter is, for a throttled request, how many seconds to wait (the Retry-After header).
	RetryAfter int
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with a formatted, user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error with per-field messages; nil when fields is empty.
func Invalid(fields map[string]string) error {
	if len(fields) == 0 {
		return nil
	}
	msgs := make([]string, 0, len(fields))
	for _, m := range fields {
		msgs = append(msgs, m)
	}
	return &Error{Code: EINVALID, Message: strings.Join(sortStrings(msgs), "；"), Fields: fields}
}

// ErrorCode returns the code of an application error, EINTERNAL for anything else.
func ErrorCode(err error) string {
	var e *Error
	var fe *fiber.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	case errors.As(err, &fe):
		return fiberCode(fe.Code)
	case db.IsUnavailable(err):
		return EUNAVAILABLE
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message; internals are never shown.
func ErrorMessage(err error) string {
	var e *Error
	var fe *fiber.Error
	switch {
	case errors.As(err, &e):
		return e.Message
	case errors.As(err, &fe):
		return fiberMessage(fe.Code)
	case db.IsUnavailable(err):
		return unavailableMessage
	}
	return "服务器内部错误，请稍后再试"
}

var statusByCode = map[string]int{
	EINVALID:   fiber.StatusBadRequest,
	ENOTFOUND:  fiber.StatusNotFound,
	EFORBIDDEN: fiber.StatusForbidden,
	EUNAUTH:    fiber.StatusUnauthorized,
	ECONFLICT:  fiber.StatusConflict,
	ETOOLARGE:  fiber.StatusRequestEntityTooLarge,
	ETHROTTLED: fiber.StatusTooManyRequests,
	EINTERNAL:  fiber.StatusInternalServerError,

	EUNAVAILABLE: fiber.StatusServiceUnavailable,
}

const unavailableMessage = "服务暂时不可用，请稍后重试（已保存的答案和数据不会丢失）"

// Status maps an error to its HTTP status.
func Status(err error) int { return statusByCode[ErrorCode(err)] }

func fiberCode(status int) string {
	for code, s := range statusByCode {
		if s == status {
			return code
		}
	}
	if status == fiber.StatusMethodNotAllowed {
		return ENOTFOUND
	}
	if status >= 500 {
		return EINTERNAL
	}
	return EINVALID
}

func fiberMessage(status int) string {
	switch status {
	case fiber.StatusNotFound, fiber.StatusMethodNotAllowed:
		return "页面或资源不存在"
	case fiber.StatusRequestEntityTooLarge:
		return "提交的内容过大"
	case fiber.StatusRequestTimeout:
		return "请求超时"
	case fiber.StatusServiceUnavailable:
		return unavailableMessage
	}
	if status >= 500 {
		return "服务器内部错误，请稍后再试"
	}
	return "请求格式不正确"
}

// LogIfInternal logs only errors a user cannot cause; the rest are expected. A database
// outage is logged as a warning: the operator must know, but nothing is broken in the code.
func LogIfInternal(log *slog.Logger, c *fiber.Ctx, err error) {
	switch ErrorCode(err) {
	case EINTERNAL:
		log.Error("request failed", "err", err, "method", c.Method(), "path", c.Path(),
			"request_id", c.Locals("requestid"))
	case EUNAVAILABLE:
		log.Warn("database unavailable", "err", err, "method", c.Method(), "path", c.Path(),
			"request_id", c.Locals("requestid"))
	}
}
