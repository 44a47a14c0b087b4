package main

import (
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

var (
	wrkRPS     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkLatency = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)`)
	wrkErrors  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

// wrkLoad runs wrk against url and reads requests/s, p50 and p99 from its report.
func wrkLoad(o options, url, cookie string) (result, error) {
	args := []string{"-t", strconv.Itoa(o.threads), "-c", strconv.Itoa(o.conc), "-d", fmt.Sprintf("%ds", int(o.duration.Seconds())), "--latency"}
	if cookie != "" {
		args = append(args, "-H", "Cookie: "+cookie)
	}
	out, err := exec.Command("wrk", append(args, url)...).CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk: %v: %s", err, out)
	}
	m := wrkRPS.FindSubmatch(out)
	if m == nil {
		return result{}, fmt.Errorf("wrk printed no Requests/sec: %s", out)
	}
	var r result
	r.rps, _ = strconv.ParseFloat(string(m[1]), 64)
	for _, l := range wrkLatency.FindAllSubmatch(out, -1) {
		d := wrkDuration(string(l[2]), string(l[3]))
		if string(l[1]) == "50" {
			r.p50 = d
		} else {
			r.p99 = d
		}
	}
	if e := wrkErrors.FindSubmatch(out); e != nil {
		r.errors, _ = strconv.Atoi(string(e[1]))
	}
	return r, nil
}

func wrkDuration(v, unit string) time.Duration {
	f, _ := strconv.ParseFloat(v, 64)
	switch unit {
	case "us":
		return time.Duration(f * float64(time.Microsecond))
	case "ms":
		return time.Duration(f * float64(time.Millisecond))
	}
	return time.Duration(f * float64(time.Second))
}

// goLoad keeps o.conc requests in flight for o.duration and times each one.
func goLoad(o options, url, cookie string) (result, error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.conc}, Timeout: 10 * time.Second}
	deadline := time.Now().Add(o.duration)
	var mu sync.Mutex
	var lat []time.Duration
	var errs atomic.Int64
	var wg sync.WaitGroup
	for range o.conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(deadline) {
				start := time.Now()
				if !fetch(client, url, cookie) {
					errs.Add(1)
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) == 0 {
		return result{}, fmt.Errorf("no requests completed")
	}
	return result{rps: float64(len(lat)) / o.duration.Seconds(), p50: lat[len(lat)/2], p99: lat[len(lat)*99/100], errors: int(errs.Load())}, nil
}

func fetch(c *http.Client, url, cookie string) bool {
	req, _ := http.NewRequest("GET", url, nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode == http.StatusOK
}
