// Package apptest starts the whole wired server on a fresh database for HTTP tests.
package apptest

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"clerkskill/app"
	"clerkskill/app/db/dbtest"
	"clerkskill/rbac"
)

// Env is a running server over a fresh database holding the demo dataset.
type Env struct {
	T   testing.TB
	Srv *app.Server
	Now *Clock

	mu     sync.Mutex
	tokens map[string]string
}

// Clock is an injectable clock tests move by hand.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// New wires the server over a fresh database of dialect and loads the demo dataset.
func New(t testing.TB, dialect string) *Env {
	t.Helper()
	return NewWithConfig(t, dialect, app.TestConfig())
}

// NewWithConfig is New with a configuration of the test's own (start from app.TestConfig).
func NewWithConfig(t testing.TB, dialect string, cfg app.Config) *Env {
	t.Helper()
	d := dbtest.New(t, dialect)
	clock := &Clock{t: time.Now().UTC()}
	srv, err := app.NewServer(context.Background(), cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)), clock.Now)
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	if _, err := srv.RBAC.SeedDemo(context.Background()); err != nil {
		t.Fatalf("seed demo: %v", err)
	}
	return &Env{T: t, Srv: srv, Now: clock, tokens: map[string]string{}}
}

// Response is what a request got back.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// JSON decodes the body into v, failing the test on error.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
}

// Request describes one call; Token is a bearer token, Cookie a session cookie value.
type Request struct {
	Method, Path string
	JSON         any        // sent as application/json when non-nil
	Form         url.Values // sent urlencoded when non-nil
	Body         string     // sent raw with ContentType when JSON and Form are nil
	ContentType  string
	Token        string
	Cookie       string
	CSRF         string
	Header       map[string]string
}

// Do sends r through the real app.
func (e *Env) Do(r Request) *Response {
	e.T.Helper()
	req := httptest.NewRequest(r.Method, r.Path, body(r))
	switch {
	case r.JSON != nil:
		req.Header.Set("Content-Type", "application/json")
	case r.Form != nil:
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case r.ContentType != "":
		req.Header.Set("Content-Type", r.ContentType)
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	if r.Cookie != "" {
		req.AddCookie(&http.Cookie{Name: rbac.SessionCookie, Value: r.Cookie})
	}
	if r.CSRF != "" {
		req.Header.Set("X-CSRF-Token", r.CSRF)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	resp, err := e.Srv.App.Test(req, -1)
	if err != nil {
		e.T.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

func body(r Request) io.Reader {
	switch {
	case r.JSON != nil:
		if s, ok := r.JSON.(string); ok {
			return strings.NewReader(s)
		}
		b, _ := json.Marshal(r.JSON)
		return strings.NewReader(string(b))
	case r.Form != nil:
		return strings.NewReader(r.Form.Encode())
	}
	return strings.NewReader(r.Body)
}

// Login signs username in with the demo password through the API and returns the token.
// Tokens are cached per Env; Forget drops one after a logout.
func (e *Env) Login(username string) string {
	e.T.Helper()
	e.mu.Lock()
	tok, ok := e.tokens[username]
	e.mu.Unlock()
	if ok {
		return tok
	}
	r := e.Do(Request{Method: "POST", Path: "/api/v1/auth/login",
		JSON: map[string]string{"username": username, "password": rbac.DemoPassword}})
	if r.Status != http.StatusOK {
		e.T.Fatalf("login %s: %d %s", username, r.Status, r.Body)
	}
	var out struct{ Token string }
	r.JSON(e.T, &out)
	e.mu.Lock()
	e.tokens[username] = out.Token
	e.mu.Unlock()
	return out.Token
}

// Forget drops a cached token, e.g. after the test logged that session out.
func (e *Env) Forget(username string) {
	e.mu.Lock()
	delete(e.tokens, username)
	e.mu.Unlock()
}

// CSRFFor returns the CSRF token of a session token's session.
func (e *Env) CSRFFor(token string) string {
	e.T.Helper()
	r := e.Do(Request{Method: "GET", Path: "/api/v1/me", Token: token})
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	r.JSON(e.T, &me)
	return me.CSRF
}

// Listen serves the app on a loopback port until the test ends and returns its base URL.
func (e *Env) Listen() string {
	e.T.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.T.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = e.Srv.Serve(ctx, ln)
	}()
	e.T.Cleanup(func() { cancel(); <-done })
	return "http://" + ln.Addr().String()
}
