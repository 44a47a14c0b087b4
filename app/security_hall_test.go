package app_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/rbac"
)

// TestSecurityExamHallSignsInAtOnce: an exam hall behind one address (NAT or a proxy) has
// more clerks signing in at the same moment than the per-address failure limit. Tries
// still being checked are not failures of the address, so every right password gets in;
// the burst test above shows the per-account limit still counts them.
func TestSecurityExamHallSignsInAtOnce(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := proxiedEnv(t, d)
			hall := 2 * rbac.DefaultSessionPolicy.FailuresPerIP
			statuses := make(chan int, hall)
			var wg sync.WaitGroup
			for i := 1; i <= hall; i++ {
				wg.Add(1)
				go func(user string) {
					defer wg.Done()
					statuses <- env.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/login",
						Header: map[string]string{"X-Forwarded-For": "203.0.113.50"},
						JSON:   map[string]string{"username": user, "password": rbac.DemoPassword}}).Status
				}(fmt.Sprintf("clerk%03d", 100+i))
			}
			wg.Wait()
			close(statuses)
			count := map[int]int{}
			for s := range statuses {
				count[s]++
			}
			if count[http.StatusOK] != hall {
				t.Fatalf("%d clerks signing in at once from one address: %v, want all 200", hall, count)
			}
		})
	}
}
