package webtest

import (
	"testing"
	"time"

	"clerkskill/app/web"
)

// FuzzBudget is how long one fuzz input may take to parse: far above what a real file
// needs, so only a hang or a runaway loop trips it.
const FuzzBudget = 5 * time.Second

// AppError fails unless err is nil or an application error a user can act on: not an
// internal error, with a message.
func AppError(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if web.ErrorCode(err) == web.EINTERNAL || web.ErrorMessage(err) == "" {
		t.Errorf("not a clear application error: %v", err)
	}
}

// Within fails when more than FuzzBudget has passed since start.
func Within(t testing.TB, start time.Time) {
	t.Helper()
	if d := time.Since(start); d > FuzzBudget {
		t.Errorf("took %v, budget %v", d, FuzzBudget)
	}
}
