package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"clerkskill/exams/certify"
)

// verifyLimitIsShared: public look-ups are counted in the database, so a client going to A
// and B in turn gets the per-address limit once, not once per instance. The shared clock
// is moved to the start of a minute first, so the window does not end midway.
func verifyLimitIsShared(t *testing.T, a, b *scaleInstance, clock *scaleClock) {
	now := clock.Now()
	clock.Advance(now.Truncate(time.Minute).Add(time.Minute).Sub(now))
	path := "/api/v1/verify?no=" + certify.FormatNumber(2026, 4, 1)
	for i := range 20 {
		if st, body := []*scaleInstance{a, b}[i%2].call(t, "GET", path, "", nil); st != http.StatusNotFound {
			t.Fatalf("look-up %d of the limit 20: %d %s", i+1, st, body)
		}
	}
	for _, in := range []*scaleInstance{a, b} {
		if st, body := in.call(t, "GET", path, "", nil); st != http.StatusTooManyRequests || !strings.Contains(string(body), "查询过于频繁") {
			t.Fatalf("look-up after 20 across A and B, on each: %d %s", st, body)
		}
	}
}
