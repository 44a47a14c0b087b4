package web_test

import (
	"bytes"
	"database/sql/driver"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

// A lost database connection is a 503 with a Chinese message and Retry-After, logged as a
// warning with the cause; the caller never sees the driver's words.
func TestErrorHandlerAnswersOutageWith503(t *testing.T) {
	var logged bytes.Buffer
	a := fiber.New(fiber.Config{ErrorHandler: web.ErrorHandler(slog.New(slog.NewTextHandler(&logged, nil)), nil)})
	a.Get("/api/v1/x", func(*fiber.Ctx) error {
		return fmt.Errorf("find attempt: %w", driver.ErrBadConn)
	})
	resp, err := a.Test(httptest.NewRequest("GET", "/api/v1/x", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("status %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(string(b), `"code":"unavailable"`) || !strings.Contains(string(b), "服务暂时不可用") ||
		strings.Contains(string(b), "bad connection") {
		t.Errorf("body %s", b)
	}
	if !strings.Contains(logged.String(), "level=WARN") || !strings.Contains(logged.String(), "bad connection") {
		t.Errorf("log %q: want a warning naming the cause", logged.String())
	}
}
