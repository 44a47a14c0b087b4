package app

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/uptrace/bun"

	"clerkskill/app/blobs"
	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/curriculum"
	"clerkskill/curriculum/training"
	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/exams/certify"
	"clerkskill/exams/competency"
	"clerkskill/exams/marking"
	"clerkskill/exams/paper"
	"clerkskill/exams/practice"
	"clerkskill/exams/session"
	"clerkskill/exports/pay"
	"clerkskill/exports/reports"
	"clerkskill/exports/sheets"
	"clerkskill/rbac"
)

// Server is the wired service: the Fiber app, its route table and the stores behind it.
type Server struct {
	App       *fiber.App
	Routes    []web.Route
	DB        *bun.DB
	RBAC      *rbac.Store
	Guards    *rbac.Guards
	Standards *exams.Store
	Bank      *bank.Store
	Papers    *paper.Store
	Practice  *practice.Store
	Sessions  *session.Store
	Marking   *marking.Store
	Courses   *curriculum.Store
	Training  *training.Store
	Certify   *certify.Store
	Skills    *competency.Store
	Pay       *pay.Store
	Sheets    *sheets.Store
	Reports   *reports.Store
	cfg       Config
	log       *slog.Logger
}

// NewServer wires stores, guards, handlers and routes over an open, migrated database.
func NewServer(ctx context.Context, cfg Config, d *bun.DB, log *slog.Logger, now func() time.Time) (*Server, error) {
	pages, err := web.NewRenderer()
	if err != nil {
		return nil, err
	}
	store, err := rbac.NewStore(d, now)
	if err != nil {
		return nil, err
	}
	policy := rbac.DefaultSessionPolicy
	policy.Idle, policy.Absolute = cfg.SessionIdle, cfg.SessionAbsolute
	s := &Server{DB: d, RBAC: store, Guards: rbac.NewGuards(store, policy, cfg.SecureCookies), cfg: cfg, log: log}
	if err := s.examStores(ctx, now); err != nil {
		return nil, err
	}
	if err := s.trainingStore(cfg, now); err != nil {
		return nil, err
	}
	if err := s.curriculumStore(cfg, now); err != nil {
		return nil, err
	}
	s.careerStores(cfg, now)
	s.App = fiber.New(fiber.Config{
		AppName: "clerkskill", ErrorHandler: web.ErrorHandler(log, pages),
		BodyLimit: cfg.BodyLimitMB << 20, ReadTimeout: cfg.ReadTimeout, WriteTimeout: cfg.WriteTimeout,
		IdleTimeout: 2 * time.Minute, ProxyHeader: cfg.ProxyHeader,
		EnableTrustedProxyCheck: len(cfg.TrustedProxies) > 0, TrustedProxies: cfg.TrustedProxies,
		DisableStartupMessage: true,
	})
	s.middleware()
	s.routes(pages)
	return s, nil
}

func (s *Server) middleware() {
	s.App.Use(recover.New(recover.Config{EnableStackTrace: true}))
	s.App.Use(requestid.New())
	s.App.Use(securityHeaders)
	s.App.Use(newMetrics().middleware)
	s.App.Use(requestLog(s.log))
	s.App.Use("/static", filesystem.New(filesystem.Config{Root: http.FS(web.StaticFS()), MaxAge: 365 * 24 * 3600}))
	s.App.Use(s.Guards.Identify)
}

// routes is the whole route table: operations endpoints, then each package's routes.
func (s *Server) routes(pages *web.Renderer) {
	r := web.NewRouter(s.App, &s.Routes)
	public := s.Guards.Public()
	r.Get("/healthz", public, func(c *fiber.Ctx) error { return c.SendString("ok") })
	r.Get("/readyz", public, s.ready)
	// A scraper sends CLERKSKILL_METRICS_TOKEN; otherwise only admins (who may grant admin).
	r.Get("/metrics", s.Guards.TokenOr(s.cfg.MetricsToken, "grant", "admin"), metricsHandler())
	r.Get("/api/v1/openapi.json", public, s.openAPI)
	rbac.NewHandler(s.RBAC, s.Guards, pages).Routes(r)
	exams.NewHandler(s.Standards, s.Guards, pages).Routes(r)
	bank.NewHandler(s.Bank, s.Guards, pages, s.Reports).Routes(r)
	paper.NewHandler(s.Papers, s.Guards, pages).Routes(r)
	practice.NewHandler(s.Practice, s.Guards, pages).Routes(r)
	session.NewHandler(s.Sessions, s.RBAC, s.Guards, pages).Routes(r)
	marking.NewHandler(s.Marking, s.Guards, pages).Routes(r)
	curriculum.NewHandler(s.Courses, s.Guards, pages).Routes(r)
	training.NewHandler(s.Training, s.Guards, pages).Routes(r)
	certify.NewHandler(s.Certify, s.Guards, pages).Routes(r)
	competency.NewHandler(s.Skills, s.Guards, pages).Routes(r)
	pay.NewHandler(s.Pay, s.Guards, pages).Routes(r)
	sheets.NewHandler(s.Sheets, s.Guards, pages, s.Reports).Routes(r)
}

// examStores opens the standard (storing the default profile on first start), the
// question bank, papers and practice, each handed what it needs from the others.
func (s *Server) examStores(ctx context.Context, now func() time.Time) error {
	s.Standards = exams.NewStore(s.DB, now)
	if _, err := s.Standards.EnsureDefaultStandard(ctx); err != nil {
		return err
	}
	s.Bank = bank.NewStore(s.DB, s.Standards, now)
	s.Papers = paper.NewStore(s.DB, s.Bank, now)
	s.Practice = practice.NewStore(s.DB, s.Bank, now)
	s.Marking = marking.NewStore(s.DB, s.Standards, now)
	s.Sessions = session.NewStore(s.DB, session.Deps{Bank: s.Bank, Standards: s.Standards, People: s.RBAC,
		Drawer: s.Papers, Marker: s.Marking}, now)
	return nil
}

// curriculumStore opens courses, with attachments in the database (app/blobs), read
// through to <data>/attachments where earlier versions kept them.
func (s *Server) curriculumStore(cfg Config, now func() time.Time) error {
	files := blobs.New(s.DB, blobs.Attachments, cfg.DataDir, now)
	s.Courses = curriculum.NewStore(s.DB, s.Standards, files, s.Bank, now)
	s.Courses.SetHoursLedger(s.Training)
	return nil
}

// trainingStore opens events and the hours ledger, with evidence files in the database
// (app/blobs), read through to <data>/evidence where earlier versions kept them.
func (s *Server) trainingStore(cfg Config, now func() time.Time) error {
	files := blobs.New(s.DB, blobs.Evidence, cfg.DataDir, now)
	s.Training = training.NewStore(s.DB, files, now)
	return nil
}

// careerStores opens certification, competency and the HR workbooks, which read the
// exam, curriculum and training stores.
func (s *Server) careerStores(cfg Config, now func() time.Time) {
	s.Certify = certify.NewStore(s.DB, s.Standards, s.Training, now)
	s.Certify.SetPlacer(s.Sessions)
	s.Skills = competency.NewStore(s.DB, s.Standards, s.Courses, s.Certify, now)
	s.Pay = pay.NewStore(s.DB, s.Certify, now)
	s.Sheets = sheets.NewStore(s.DB, sheets.Deps{People: s.RBAC, Hours: s.Training, Dir: exportsDir(cfg)}, now)
	s.Reports = reports.NewStore(s.DB, now)
	wirePayJobs(s.Pay, s.Sheets, cfg.PayAsyncClerks)
}

// exportsDir keeps background exports under the data dir; a temporary one when there is
// none, as in tests.
func exportsDir(cfg Config) string {
	if cfg.DataDir == "" {
		return ""
	}
	return filepath.Join(cfg.DataDir, "exports")
}

// ready answers 200 when the database answers and its schema is current.
func (s *Server) ready(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := db.CheckCurrent(ctx, s.DB); err != nil {
		s.log.Warn("not ready", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).SendString("not ready")
	}
	return c.SendString("ready")
}

func securityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
	return c.Next()
}

func requestLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			status = web.Status(err)
		}
		log.Info("request", "method", c.Method(), "path", c.Path(), "status", status,
			"ms", time.Since(start).Milliseconds(), "request_id", c.Locals("requestid"))
		return err
	}
}

// Serve listens on ln until ctx ends, then drains in-flight requests.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	done := make(chan error, 1)
	go func() { done <- s.App.Listener(ln) }()
	go s.janitor(ctx)
	go s.examLoop(ctx)
	go s.RBAC.Watch(ctx, s.log.Warn)
	go s.Sheets.RunJobs(ctx, s.log.Warn)
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		s.log.Info("shutting down")
		return s.App.ShutdownWithTimeout(15 * time.Second)
	}
}

// janitor prunes expired sessions, old login attempts and expired import error reports.
func (s *Server) janitor(ctx context.Context) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.pruneSessions(ctx); err != nil {
				s.log.Warn("prune sessions", "err", err)
			}
		}
	}
}

// examLoop closes overdue attempts and marks closed ones every few seconds; with several
// instances, one of them sweeps each round (SweepExams).
func (s *Server) examLoop(ctx context.Context) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.SweepExams(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("exam sweep", "err", err)
			}
		}
	}
}

func newLogger(cfg Config, env Env) *slog.Logger {
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(env.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(env.Stderr, nil))
}

func runServe(env Env, args []string) error {
	cfg, err := loadEnv(env.Getenv)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address")
	fs.BoolVar(&cfg.Demo, "demo", cfg.Demo, "load the demo dataset into an empty store")
	cfg.storeFlags(fs)
	if err := parseFlags(fs, env, args); err != nil {
		return err
	}
	log := newLogger(cfg, env)
	d, err := openStore(env.Ctx, cfg, log)
	if err != nil {
		return err
	}
	defer d.Close()
	return serve(env, cfg, d, log)
}

func serve(env Env, cfg Config, d *bun.DB, log *slog.Logger) error {
	srv, err := NewServer(env.Ctx, cfg, d, log, nil)
	if err != nil {
		return err
	}
	if err := bootstrap(env, cfg, srv); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	fmt.Fprintf(env.Stdout, "clerkskill %s\n%s\nlistening on http://%s\n", Version, cfg, ln.Addr())
	if f, ok := env.Stdout.(*os.File); ok {
		_ = f.Sync()
	}
	return srv.Serve(env.Ctx, ln)
}
