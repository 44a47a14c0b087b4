package rbac

import "time"

// SetResyncEvery shortens the safety net for a test and returns the undo; call it before
// Watch starts and undo after it ended.
func SetResyncEvery(d time.Duration) (undo func()) {
	old := resyncEvery
	resyncEvery = d
	return func() { resyncEvery = old }
}
