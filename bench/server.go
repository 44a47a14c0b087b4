package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app"
	"clerkskill/rbac"
)

// benchConfig is app's defaultConfig (unexported there) pointed at the dataset.
func benchConfig(ds *dataset) app.Config {
	return app.Config{
		Addr: "127.0.0.1:0", DataDir: ds.dataDir, DatabaseURL: ds.pgURL, AutoMigrate: true,
		SessionIdle: 30 * time.Minute, SessionAbsolute: 12 * time.Hour,
		BodyLimitMB: 20, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second,
		LogFormat: "text",
	}
}

// startServer wires the real server over the dataset and serves it on a loopback port.
// Request logs are formatted as in production, then discarded.
func startServer(ctx context.Context, ds *dataset) (*app.Server, string, func(), error) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := app.NewServer(ctx, benchConfig(ds), ds.db, log, nil)
	if err != nil {
		return nil, "", nil, err
	}
	base, stop, err := listen(srv.App)
	return srv, base, stop, err
}

// listen serves a Fiber app on 127.0.0.1 and returns its base URL and a stop function.
func listen(a *fiber.App) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	go func() { _ = a.Listener(ln) }()
	stop := func() { _ = a.ShutdownWithTimeout(5 * time.Second) }
	return "http://" + ln.Addr().String(), stop, nil
}

// signIn opens a session for username through the store and returns its bearer token.
func signIn(ctx context.Context, srv *app.Server, username string) (string, error) {
	token, _, err := srv.RBAC.Login(ctx, srv.Guards.Policy(), username, benchPassword, "127.0.0.1", "bench")
	if err != nil {
		return "", fmt.Errorf("sign in %s: %w", username, err)
	}
	return token, nil
}

// staffUnder lists the ids of staff whose unit lies in o's subtree.
func staffUnder(ds *dataset, o *rbac.OrgUnit) []int64 {
	paths := map[int64]string{}
	for _, u := range ds.tree.all {
		paths[u.ID] = u.Path
	}
	var ids []int64
	for _, st := range ds.people.staff {
		if strings.HasPrefix(paths[st.OrgID], o.Path) {
			ids = append(ids, st.ID)
		}
	}
	return ids
}

// countyOf returns the county above a township.
func countyOf(ds *dataset, town *rbac.OrgUnit) *rbac.OrgUnit {
	for _, c := range ds.tree.counties {
		if c.ID == *town.ParentID {
			return c
		}
	}
	return nil
}
