package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// sample is what one or more load runs observed.
type sample struct {
	n, errs  int
	firstErr string
	lat      []time.Duration
	elapsed  time.Duration
}

func (s *sample) merge(o sample) {
	s.n += o.n
	s.errs += o.errs
	s.lat = append(s.lat, o.lat...)
	s.elapsed += o.elapsed
	if s.firstErr == "" {
		s.firstErr = o.firstErr
	}
}

func (s *sample) rps() float64 { return float64(s.n) / s.elapsed.Seconds() }

// pct returns the p-th percentile latency (0 < p ≤ 100).
func (s *sample) pct(p float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	slices.Sort(s.lat)
	i := int(float64(len(s.lat))*p/100+0.5) - 1
	return s.lat[max(0, min(i, len(s.lat)-1))]
}

func (s *sample) summary() string {
	out := fmt.Sprintf("%.0f req/s, p50 %s, p95 %s, p99 %s (n=%d)", s.rps(), ms(s.pct(50)), ms(s.pct(95)), ms(s.pct(99)), s.n)
	if s.errs > 0 {
		out += fmt.Sprintf(", %d ERRORS, first: %s", s.errs, s.firstErr)
	}
	return out
}

// maker builds the i-th request of a worker.
type maker func(worker, i int) (*http.Request, error)

// hammer runs conc workers that send requests back to back for d, or until ctx ends.
func hammer(ctx context.Context, client *http.Client, conc int, d time.Duration, mk maker) sample {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	results := make([]sample, conc)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[w] = worker(ctx, client, w, mk)
		}()
	}
	wg.Wait()
	total := sample{}
	for _, r := range results {
		total.merge(r)
	}
	total.elapsed = time.Since(start)
	return total
}

func worker(ctx context.Context, client *http.Client, w int, mk maker) sample {
	var s sample
	for i := 0; ctx.Err() == nil; i++ {
		req, err := mk(w, i)
		if err != nil {
			s.fail(err.Error())
			return s
		}
		t0 := time.Now()
		status, err := send(client, req)
		if ctx.Err() != nil {
			break // cut off by the deadline: not a real answer
		}
		s.n++
		s.lat = append(s.lat, time.Since(t0))
		if err != nil || status != http.StatusOK {
			s.fail(fmt.Sprintf("status %d %v", status, err))
		}
	}
	return s
}

func (s *sample) fail(msg string) {
	s.errs++
	if s.firstErr == "" {
		s.firstErr = msg
	}
}

// send does one request and reads the whole answer.
func send(client *http.Client, req *http.Request) (int, error) {
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

func newClient(conc int) *http.Client {
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		MaxIdleConns: conc * 2, MaxIdleConnsPerHost: conc * 2, DisableCompression: true,
	}}
}

// getter returns a maker for GETs of path(worker, i) on base with a bearer token.
func getter(base, token string, path func(w, i int) string) maker {
	return func(w, i int) (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, base+path(w, i), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return req, nil
	}
}

// compare runs each maker for d in total, interleaved over rounds so drift hits all alike.
func compare(ctx context.Context, client *http.Client, conc, rounds int, d time.Duration, mks ...maker) []sample {
	out := make([]sample, len(mks))
	for range rounds {
		for k, mk := range mks {
			out[k].merge(hammer(ctx, client, conc, d/time.Duration(rounds), mk))
		}
	}
	return out
}
