package app

import (
	"fmt"

	"clerkskill/exams"
	"clerkskill/rbac"
)

// bootstrap runs at serve: with --demo it fills an empty store with the demo dataset;
// otherwise the first start creates an admin and prints its one-time password.
func bootstrap(env Env, cfg Config, srv *Server) error {
	if cfg.Demo {
		return seedDemo(env, srv)
	}
	pw, err := srv.RBAC.Bootstrap(env.Ctx, "政务服务中心", cfg.AdminPassword)
	if err != nil || pw == "" {
		return err
	}
	if cfg.AdminPassword != "" {
		fmt.Fprintln(env.Stdout, "created account admin with the password from CLERKSKILL_ADMIN_PASSWORD")
		return nil
	}
	fmt.Fprintf(env.Stdout, "created account admin; one-time password: %s (change it at first login)\n", pw)
	return nil
}

func seedDemo(env Env, srv *Server) error {
	accounts, err := srv.RBAC.SeedDemo(env.Ctx)
	if err != nil {
		return err
	}
	if accounts == nil {
		fmt.Fprintln(env.Stdout, "demo: store already has data; demo accounts (if seeded earlier) keep password", rbac.DemoPassword)
		return nil
	}
	for _, step := range demoSteps {
		if err := step(env, srv); err != nil {
			return err
		}
	}
	fmt.Fprintln(env.Stdout, "demo dataset loaded. Demo logins (password "+rbac.DemoPassword+", demo mode only):")
	for _, a := range accounts {
		fmt.Fprintf(env.Stdout, "  %-16s %-10s %s\n", a.Username, a.Role, a.Org)
	}
	fmt.Fprintln(env.Stdout, "  clerk001 … clerk300 are all clerks (综窗人员).")
	return nil
}

// demoSteps extend the demo after people and places exist, in order; each package's
// demo content is one step.
var demoSteps = []func(Env, *Server) error{seedQuestionBank, seedBlueprints, seedPractice, seedCourses, seedTraining, seedExamSessions, seedCompetency, seedCertificates, seedPay, seedApplications}

// seedQuestionBank loads the demo question bank, owned by the county centre.
func seedQuestionBank(env Env, srv *Server) error {
	county, err := srv.RBAC.FindOrgByCode(env.Ctx, "QS")
	if err != nil {
		return err
	}
	n, err := srv.Bank.SeedDemo(env.Ctx, exams.DemoQuestions, county.ID)
	if err != nil {
		return fmt.Errorf("demo question bank: %w", err)
	}
	fmt.Fprintf(env.Stdout, "demo question bank: %d questions\n", n)
	return nil
}

// seedBlueprints adds blueprints for 五级 to 三级 that match the default weight tables and
// that the demo bank fills, and one fixed paper, owned by the county centre.
func seedBlueprints(env Env, srv *Server) error {
	county, err := srv.RBAC.FindOrgByCode(env.Ctx, "QS")
	if err != nil {
		return err
	}
	n, err := srv.Papers.SeedDemo(env.Ctx, county.ID)
	if err != nil {
		return fmt.Errorf("demo blueprints: %w", err)
	}
	fmt.Fprintf(env.Stdout, "demo blueprints: %d (五级至三级理论知识和技能考核) and 1 fixed paper\n", n)
	return nil
}

// demoPractisers is how many demo clerks (clerk001 onwards) arrive with practice history.
const demoPractisers = 20

// seedPractice gives the first demo clerks some practice history and notebook entries.
func seedPractice(env Env, srv *Server) error {
	var users []int64
	for i := 1; i <= demoPractisers; i++ {
		u, err := srv.RBAC.FindUserByUsername(env.Ctx, fmt.Sprintf("clerk%03d", i))
		if err != nil {
			return fmt.Errorf("demo practice: %w", err)
		}
		users = append(users, u.ID)
	}
	if err := srv.Practice.SeedDemo(env.Ctx, users); err != nil {
		return fmt.Errorf("demo practice: %w", err)
	}
	fmt.Fprintf(env.Stdout, "demo practice: history for clerk001–clerk%03d\n", demoPractisers)
	return nil
}

// seedTraining adds training events (past ones with attendance, coming ones with
// registrations) and external training hours, so the hours reports have figures.
func seedTraining(env Env, srv *Server) error {
	sum, err := srv.Training.SeedDemo(env.Ctx)
	if err != nil {
		return fmt.Errorf("demo training: %w", err)
	}
	fmt.Fprintf(env.Stdout, "demo training: %d events (and %d cancelled), %d attendances, %d registrations, %d external entries\n",
		sum.Events, sum.Cancelled, sum.Attendances, sum.Registrations, sum.Externals)
	return nil
}
