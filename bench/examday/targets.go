package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"
)

// target is what a candidate's exam runs against: the real server, or a ceiling doing
// one raw upsert per operation.
type target interface {
	Name() string
	Start(ctx context.Context, i int) error
	Save(ctx context.Context, i, j int) error
	Submit(ctx context.Context, i int) error
}

// upsertSQL is the shape of one autosave, as plain as it gets.
const upsertSQL = `INSERT INTO raw_upserts (k, v, seq, at) VALUES ($1, $2, $3, $4)
	ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v, seq = EXCLUDED.seq, at = EXCLUDED.at WHERE raw_upserts.seq < EXCLUDED.seq`

// keys numbers the ceiling's rows: every operation of every run writes its own row.
type keys struct{ base, per int64 }

func (k keys) of(i, op int) int64 { return k.base + int64(i)*k.per + int64(op) }

// driverTarget is the raw driver ceiling: one upsert through database/sql per operation.
type driverTarget struct {
	d     *bun.DB
	k     keys
	saves int
}

func (t *driverTarget) Name() string { return "driver" }
func (t *driverTarget) Start(ctx context.Context, i int) error {
	return t.upsert(ctx, t.k.of(i, 0))
}
func (t *driverTarget) Save(ctx context.Context, i, j int) error {
	return t.upsert(ctx, t.k.of(i, 1+j))
}
func (t *driverTarget) Submit(ctx context.Context, i int) error {
	return t.upsert(ctx, t.k.of(i, 1+t.saves))
}
func (t *driverTarget) upsert(ctx context.Context, k int64) error {
	_, err := t.d.DB.ExecContext(ctx, upsertSQL, k, `{"choice":"B"}`, 1, time.Now().UTC())
	return err
}

// fiberTarget is the HTTP ceiling: a bare Fiber handler (no middleware) decoding the
// same JSON body and doing the raw upsert, over the same client and loopback.
type fiberTarget struct {
	c     *client
	url   string
	k     keys
	saves int
}

func (t *fiberTarget) Name() string { return "fiber" }
func (t *fiberTarget) Start(ctx context.Context, i int) error {
	return t.put(ctx, t.k.of(i, 0))
}
func (t *fiberTarget) Save(ctx context.Context, i, j int) error {
	return t.put(ctx, t.k.of(i, 1+j))
}
func (t *fiberTarget) Submit(ctx context.Context, i int) error {
	return t.put(ctx, t.k.of(i, 1+t.saves))
}
func (t *fiberTarget) put(ctx context.Context, k int64) error {
	body := saveBody{Idx: int(k % 50), Response: json.RawMessage(`{"choice":"B"}`), Seq: 1}
	return t.c.call(ctx, "PUT", t.url+"/raw/"+strconv.FormatInt(k, 10), "", body, nil)
}

type saveBody struct {
	Idx      int             `json:"idx"`
	Response json.RawMessage `json:"response"`
	Seq      int64           `json:"seq"`
}

// serveBare starts the bare Fiber app on a loopback port and returns its URL and stop.
func serveBare(d *bun.DB) (string, func(), error) {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Put("/raw/:k", func(c *fiber.Ctx) error {
		k, err := strconv.ParseInt(c.Params("k"), 10, 64)
		if err != nil {
			return fiber.ErrBadRequest
		}
		var in saveBody
		if err := json.Unmarshal(c.Body(), &in); err != nil {
			return fiber.ErrBadRequest
		}
		res, err := d.DB.ExecContext(c.UserContext(), upsertSQL, k, string(in.Response), in.Seq, time.Now().UTC())
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		return c.JSON(fiber.Map{"idx": in.Idx, "seq": in.Seq, "applied": n == 1})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	go func() { _ = app.Listener(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = app.Shutdown() }, nil
}

// serverTarget is the real server: the exam API with every middleware, each candidate
// with their own bearer token.
type serverTarget struct {
	c        *client
	url      string
	w        *world
	items    int
	tokens   []string
	attempts []int64
	acked    [][]int64 // per candidate, per item: the seq of the last save acknowledged as applied
}

func (t *serverTarget) Name() string { return "server" }

func (t *serverTarget) Start(ctx context.Context, i int) error {
	var out struct {
		Attempt struct {
			ID int64 `json:"id"`
		} `json:"attempt"`
		Total int `json:"total"`
	}
	path := fmt.Sprintf("%s/api/v1/sessions/%d/start", t.url, t.w.ss.ID)
	err := t.c.call(ctx, "POST", path, t.tokens[i], map[string]int64{"part_id": t.w.ss.Parts[0].ID}, &out)
	if err == nil && (out.Attempt.ID == 0 || out.Total != t.items) {
		err = fmt.Errorf("start: attempt %d with %d items", out.Attempt.ID, out.Total)
	}
	t.attempts[i] = out.Attempt.ID
	return err
}

func (t *serverTarget) Save(ctx context.Context, i, j int) error {
	idx, seq := j%t.items, int64(j+1)
	var out struct {
		Applied bool  `json:"applied"`
		Seq     int64 `json:"seq"`
	}
	body := saveBody{Idx: idx, Response: json.RawMessage(`{"choice":"` + string(rune('A'+j%4)) + `"}`), Seq: seq}
	path := fmt.Sprintf("%s/api/v1/attempts/%d/answers", t.url, t.attempts[i])
	if err := t.c.call(ctx, "PUT", path, t.tokens[i], body, &out); err != nil {
		return err
	}
	if !out.Applied || out.Seq != seq {
		return fmt.Errorf("save %d of candidate %d: applied %v, seq %d", seq, i, out.Applied, out.Seq)
	}
	t.acked[i][idx] = seq
	return nil
}

func (t *serverTarget) Submit(ctx context.Context, i int) error {
	var out struct {
		Status string `json:"status"`
	}
	path := fmt.Sprintf("%s/api/v1/attempts/%d/submit", t.url, t.attempts[i])
	err := t.c.call(ctx, "POST", path, t.tokens[i], nil, &out)
	if err == nil && out.Status != "closed" {
		err = fmt.Errorf("submit: status %q", out.Status)
	}
	return err
}

// login signs every candidate in through the API, a few at a time, before the clock runs.
func (t *serverTarget) login(ctx context.Context) error {
	n := len(t.w.users)
	t.tokens, t.attempts, t.acked = make([]string, n), make([]int64, n), make([][]int64, n)
	errs := make(chan error, n)
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for i, u := range t.w.users {
		t.acked[i] = make([]int64, t.items)
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			var out struct {
				Token string `json:"token"`
			}
			err := t.c.call(ctx, "POST", t.url+"/api/v1/auth/login", "", map[string]string{"username": u.Username, "password": benchPassword}, &out)
			t.tokens[i] = out.Token
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// client is a keep-alive HTTP client shared by all candidates, one connection per
// request in flight (as many browsers would hold).
type client struct{ h *http.Client }

func newClient(n int) *client {
	tr := &http.Transport{MaxIdleConns: 0, MaxIdleConnsPerHost: n + 64, IdleConnTimeout: 20 * time.Second, // under the server's 30 s read timeout, which closes idle connections
		DisableCompression: true, DialContext: (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext}
	return &client{h: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
}

func (c *client) call(ctx context.Context, method, url, token string, body, out any) error {
	var rd io.Reader = http.NoBody
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := c.h.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %d %.200s", method, req.URL.Path, res.StatusCode, data)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(data, out)
}
