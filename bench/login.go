package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"clerkskill/rbac"
)

// measureLogin logs o.logins distinct accounts in at once, o.loginRounds times each, over
// loopback, and reads the result against argon2id alone at the same concurrency; then the
// same one login at a time against one argon2id check.
func measureLogin(ctx context.Context, o options, r *report, ds *dataset) error {
	_, base, stop, err := startServer(ctx, ds)
	if err != nil {
		return err
	}
	defer stop()
	client := newClient(o.logins)
	names := loginNames(ds, o.logins)
	post := func(w int) error { return login(ctx, client, base, names[w]) }
	if s := fixedRuns(o.logins, 1, post); s.errs > 0 { // warm up connections, untimed
		return fmt.Errorf("warm-up login: %s", s.firstErr)
	}
	hash := ds.people.users[0].PasswordHash
	check := func(int) error { return checkPassword(ctx, hash) }
	var logins, many, alone, single sample
	for range o.loginRounds { // interleaved, so load from elsewhere hits both alike
		logins.merge(fixedRuns(o.logins, 1, post))
		many.merge(fixedRuns(o.logins, 1, check))
		alone.merge(fixedRuns(1, 1, post))
		single.merge(fixedRuns(1, 1, check))
	}
	r.section(fmt.Sprintf("login, %d concurrent accounts × %d rounds (%s)", o.logins, o.loginRounds, ds.storeName()))
	r.add("POST /api/v1/auth/login", logins.summary(), "")
	r.add(fmt.Sprintf("  ceiling: rbac.CheckPassword, %d-way", o.logins), many.summary(), "argon2id m=19MiB t=2, ≤2 hashes at once")
	r.add("  rbac.CheckPassword, single-threaded", single.summary(), "")
	r.add("login throughput / argon2 throughput", ratio(logins.rps()/many.rps()),
		fmt.Sprintf("p50 login/argon2 %s", ratio(float64(logins.pct(50))/float64(many.pct(50)))))
	r.add("one login at a time (1 client)", alone.summary(),
		fmt.Sprintf("p50 %s of one argon2 check", ratio(float64(alone.pct(50))/float64(single.pct(50)))))
	if logins.errs+alone.errs > 0 {
		return fmt.Errorf("logins failed: %s%s", logins.firstErr, alone.firstErr)
	}
	return nil
}

// loginNames picks n trainee accounts spread over the staff.
func loginNames(ds *dataset, n int) []string {
	out := make([]string, n)
	for k := range out {
		out[k] = ds.people.users[k*len(ds.people.staff)/n].Username
	}
	return out
}

func login(ctx context.Context, client *http.Client, base, username string) error {
	body, _ := json.Marshal(map[string]string{"username": username, "password": benchPassword})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/auth/login", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	status, err := send(client, req)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("login %s: status %d", username, status)
	}
	return err
}

func checkPassword(ctx context.Context, hash string) error {
	ok, err := rbac.CheckPassword(ctx, hash, benchPassword)
	if err == nil && !ok {
		err = fmt.Errorf("password did not match")
	}
	return err
}

// fixedRuns runs conc workers that each call fn rounds times, timing every call.
func fixedRuns(conc, rounds int, fn func(worker int) error) sample {
	results := make([]sample, conc)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				t0 := time.Now()
				err := fn(w)
				results[w].n++
				results[w].lat = append(results[w].lat, time.Since(t0))
				if err != nil {
					results[w].fail(err.Error())
				}
			}
		}()
	}
	wg.Wait()
	var total sample
	for _, s := range results {
		total.merge(s)
	}
	total.elapsed = time.Since(start)
	return total
}
