package app

import (
	"fmt"

	"clerkskill/curriculum"
)

// demoLearners is how many demo clerks (clerk001 onwards) arrive with course assignments
// and progress.
const demoLearners = 20

// seedCourses loads the demo catalogue owned by the county centre, assigns the pre-job
// course to 城关镇 and gives the first demo clerks assignments and progress.
func seedCourses(env Env, srv *Server) error {
	ctx := env.Ctx
	county, err := srv.RBAC.FindOrgByCode(ctx, "QS")
	if err != nil {
		return err
	}
	town, err := srv.RBAC.FindOrgByCode(ctx, "QS-CG")
	if err != nil {
		return err
	}
	d := curriculum.Demo{Owner: county, Township: town}
	for i := 1; i <= demoLearners; i++ {
		u, err := srv.RBAC.FindUserByUsername(ctx, fmt.Sprintf("clerk%03d", i))
		if err != nil || u.StaffID == nil {
			return fmt.Errorf("demo courses: clerk%03d: %v", i, err)
		}
		st, err := srv.RBAC.FindStaffByID(ctx, *u.StaffID)
		if err != nil {
			return err
		}
		o, err := srv.RBAC.FindOrgByID(ctx, st.OrgID)
		if err != nil {
			return err
		}
		d.Learners = append(d.Learners, curriculum.Learner{UserID: u.ID, Units: []string{o.Path}})
	}
	n, err := srv.Courses.SeedDemo(ctx, d)
	if err != nil {
		return fmt.Errorf("demo courses: %w", err)
	}
	fmt.Fprintf(env.Stdout, "demo courses: %d published, assignments and progress for clerk001–clerk%03d\n", n, demoLearners)
	return nil
}
