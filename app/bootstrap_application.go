package app

import (
	"fmt"

	"clerkskill/exams/certify"
)

// demoApplicants are the demo clerks who apply for a level: the first 30 of the county
// centre and 15 of 城关镇, so both the county HR and 城关镇's see applications.
var demoApplicants = [][2]int{{1, 30}, {61, 75}}

// seedApplications files the demo's applications (申报), each for the level above the
// one its clerk holds, with HR records for some, and decides them: eligible ones
// approved, some placed into the open 五级 session, one ineligible one approved as an
// exception with its reason, one turned down, some withdrawn, the rest waiting for HR.
func seedApplications(env Env, srv *Server) error {
	hr, err := srv.RBAC.FindUserByUsername(env.Ctx, "hr")
	if err != nil {
		return err
	}
	var staff []int64
	for _, r := range demoApplicants {
		for n := r[0]; n <= r[1]; n++ {
			u, err := srv.RBAC.FindUserByUsername(env.Ctx, fmt.Sprintf("clerk%03d", n))
			if err != nil || u.StaffID == nil {
				return fmt.Errorf("demo applications: clerk%03d: %v", n, err)
			}
			staff = append(staff, *u.StaffID)
		}
	}
	session, err := srv.Certify.DemoSession(env.Ctx, 5)
	if err != nil {
		return fmt.Errorf("demo applications: %w", err)
	}
	sum, err := srv.Certify.SeedApplications(env.Ctx, hr.ID, session, staff)
	if err != nil {
		return fmt.Errorf("demo applications: %w", err)
	}
	printApplications(env, sum)
	return nil
}

func printApplications(env Env, s certify.ApplicationDemoSummary) {
	fmt.Fprintf(env.Stdout, "demo applications: %d (%d eligible), %d approved, %d placed in the open 五级 session, %d exception, %d rejected, %d withdrawn; %d HR qualification records\n",
		s.Applications, s.Eligible, s.Approved, s.Placed, s.Exceptions, s.Rejected, s.Withdrawn, s.Qualifications)
}
