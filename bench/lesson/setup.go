package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/gofiber/fiber/v2"
	_ "github.com/jackc/pgx/v5/stdlib"

	"clerkskill/app"
	"clerkskill/app/db"
	"clerkskill/curriculum"
	"clerkskill/rbac"
)

// benchEnv is the running server with the demo catalogue, a signed-in clerk, the lesson
// page's URL and a static server holding a copy of that page.
type benchEnv struct {
	store                string
	lessonURL, staticURL string
	cookie               string
	size                 int
	cleanup              []func()
}

func (e *benchEnv) close() {
	for i := len(e.cleanup) - 1; i >= 0; i-- {
		e.cleanup[i]()
	}
}

func setup(ctx context.Context, pg string) (*benchEnv, error) {
	e := &benchEnv{store: "SQLite"}
	dir, err := os.MkdirTemp("", "clerkskill-lesson-bench-")
	if err != nil {
		return nil, err
	}
	e.cleanup = append(e.cleanup, func() { os.RemoveAll(dir) })
	dsn := ""
	if pg != "" {
		e.store = "PostgreSQL"
		if dsn, err = createPG(ctx, pg, e); err != nil {
			e.close()
			return nil, err
		}
	}
	srv, err := startServer(ctx, e, dsn, dir)
	if err != nil {
		e.close()
		return nil, err
	}
	if err := e.prepare(ctx, srv, dir); err != nil {
		e.close()
		return nil, err
	}
	return e, nil
}

func startServer(ctx context.Context, e *benchEnv, dsn, dir string) (*app.Server, error) {
	d, err := db.Open(ctx, dsn, dir)
	if err != nil {
		return nil, err
	}
	e.cleanup = append(e.cleanup, func() { d.Close() })
	if _, err := db.Migrate(ctx, d); err != nil {
		return nil, err
	}
	cfg := app.TestConfig()
	cfg.DataDir = dir
	srv, err := app.NewServer(ctx, cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		return nil, err
	}
	base, err := listen(e, srv.App)
	e.lessonURL = base
	return srv, err
}

// listen serves a Fiber app on a loopback port until the bench ends.
func listen(e *benchEnv, a *fiber.App) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go func() { _ = a.Listener(ln) }()
	e.cleanup = append(e.cleanup, func() { _ = a.ShutdownWithTimeout(5 * time.Second) })
	return "http://" + ln.Addr().String(), nil
}

// prepare loads the demo people and catalogue, signs clerk002 in, fetches the first lesson
// of the pre-job course once and puts a byte-for-byte copy behind a static Fiber server.
func (e *benchEnv) prepare(ctx context.Context, srv *app.Server, dir string) error {
	if _, err := srv.RBAC.SeedDemo(ctx); err != nil {
		return err
	}
	county, err := srv.RBAC.FindOrgByCode(ctx, "QS")
	if err != nil {
		return err
	}
	town, _ := srv.RBAC.FindOrgByCode(ctx, "QS-CG")
	u, err := srv.RBAC.FindUserByUsername(ctx, "clerk002")
	if err != nil {
		return err
	}
	d := curriculum.Demo{Owner: county, Township: town, Learners: []curriculum.Learner{{UserID: u.ID, Units: []string{county.Path}}}}
	if _, err := srv.Courses.SeedDemo(ctx, d); err != nil {
		return err
	}
	token, _, err := srv.RBAC.Login(ctx, srv.Guards.Policy(), "clerk002", rbac.DemoPassword, "127.0.0.1", "bench")
	if err != nil {
		return err
	}
	e.cookie = rbac.SessionCookie + "=" + url.QueryEscape(token)
	lessonID, err := firstLesson(ctx, srv)
	if err != nil {
		return err
	}
	e.lessonURL = fmt.Sprintf("%s/learn/lessons/%d", e.lessonURL, lessonID)
	return e.staticCopy(dir)
}

func firstLesson(ctx context.Context, srv *app.Server) (int64, error) {
	list, _, err := srv.Courses.FindCourses(ctx, curriculum.CourseFilter{Scope: rbac.Scope{"/"}, Query: "QS-GQ-40"})
	if err != nil || len(list) != 1 {
		return 0, fmt.Errorf("pre-job course: %v", err)
	}
	r, err := srv.Courses.LoadRevision(ctx, list[0].ID, list[0].PublishedRev)
	if err != nil {
		return 0, err
	}
	return r.Lessons()[1].ID, nil // 接待用语与服务规范: lists and a table
}

func (e *benchEnv) staticCopy(dir string) error {
	req, _ := http.NewRequest("GET", e.lessonURL, nil)
	req.Header.Set("Cookie", e.cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		return fmt.Errorf("lesson page: %d %v", resp.StatusCode, err)
	}
	e.size = len(body)
	static := filepath.Join(dir, "static")
	if err := os.MkdirAll(static, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(static, "lesson.html"), body, 0o644); err != nil {
		return err
	}
	a := fiber.New(fiber.Config{DisableStartupMessage: true})
	a.Static("/", static)
	base, err := listen(e, a)
	e.staticURL = base + "/lesson.html"
	return err
}

// createPG makes clerkskill_lessonbench_<pid> on the server and drops it at the end.
func createPG(ctx context.Context, adminURL string, e *benchEnv) (string, error) {
	u, err := url.Parse(adminURL)
	if err != nil || !db.IsPostgresDSN(adminURL) {
		return "", fmt.Errorf("-pg: want a postgres:// URL")
	}
	admin, err := sql.Open("pgx", adminURL)
	if err != nil {
		return "", err
	}
	name := fmt.Sprintf("clerkskill_lessonbench_%d", os.Getpid())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	e.cleanup = append(e.cleanup, func() {
		_, _ = admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close()
	})
	u.Path = "/" + name
	return u.String(), nil
}
