package app

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"clerkskill/app/db/dbtest"
	"clerkskill/exams/certify"
	"clerkskill/rbac"
)

// TestDemoCertificates runs the demo steps the register needs and checks what it holds:
// earlier years' awards with supersessions and one revocation, 定岗晋级 records, and this
// year's 五级 awards from the finished 城关镇 session, each with every part passed.
func TestDemoCertificates(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			srv, err := NewServer(ctx, TestConfig(), dbtest.New(t, dialect), slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := srv.RBAC.SeedDemo(ctx); err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			env := Env{Ctx: ctx, Stdout: &out}
			for _, step := range []func(Env, *Server) error{seedQuestionBank, seedBlueprints, seedCertificates} {
				if err := step(env, srv); err != nil {
					t.Fatal(err)
				}
			}
			if !strings.Contains(out.String(), "demo certificates: 61 from earlier years (one revoked)") {
				t.Fatalf("printed %q", out.String())
			}
			checkDemoRegister(t, srv)
		})
	}
}

func checkDemoRegister(t *testing.T, srv *Server) {
	t.Helper()
	ctx := context.Background()
	count := func(status string, level int) int {
		_, n, err := srv.Certify.FindCertificates(ctx, certify.RegisterFilter{Scope: rbac.Scope{"/"}, Status: status, Level: level})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if count(certify.CertRevoked, 0) != 1 || count(certify.CertValid, 3) != 5 || count(certify.CertSuperseded, 0) != 15+5 {
		t.Errorf("revoked %d, valid 三级 %d, superseded %d", count(certify.CertRevoked, 0), count(certify.CertValid, 3), count(certify.CertSuperseded, 0))
	}
	rows, n, err := srv.Certify.FindCertificates(ctx, certify.RegisterFilter{Scope: rbac.Scope{"/"}, Year: srv.Certify.Now().Year(), Level: 5})
	if err != nil || n == 0 {
		t.Fatalf("this year's 五级 awards: %d (%v)", n, err)
	}
	for _, r := range rows {
		for _, p := range r.Parts {
			if !p.Passed || p.Score < float64(p.PassMark) {
				t.Fatalf("%s awarded with %+v", r.Number, r.Parts)
			}
		}
	}
	var posts int64
	if posts, err = srv.DB.NewSelect().Table("post_changes").Where("certificate_id IS NOT NULL").Count(ctx); err != nil || posts != 4 {
		t.Fatalf("post changes resting on a certificate: %d %v", posts, err)
	}
}
