package app_test

import (
	"context"
	"time"

	"clerkskill/exams/certify"
	"clerkskill/rbac"
)

// certificateID returns a certificate the group's township issued to a holder there,
// writing it straight into the register on first use (the award path has its own tests).
// The holder is not the group's clerk, who applies for 五级 in the application rows.
func (fx *fixture) certificateID(group string) int64 {
	ctx := context.Background()
	st := fx.holder(group)
	var ids []int64
	err := fx.env.Srv.DB.NewSelect().Table("certificates").Column("id").Where("staff_id = ?", st.ID).Scan(ctx, &ids)
	if err != nil {
		fx.t.Fatal(err)
	}
	if len(ids) > 0 {
		return ids[0]
	}
	var version int64
	if err := fx.env.Srv.DB.NewSelect().Table("standard_versions").Column("id").Limit(1).Scan(ctx, &version); err != nil {
		fx.t.Fatal(err)
	}
	now := time.Now().UTC()
	id := "990102199001011234"
	if st.IDNumber != nil {
		id = *st.IDNumber
	}
	c := &certify.Certificate{Number: certify.FormatNumber(2025, fx.orgs[group].ID, 1), StaffID: st.ID, IDNumber: id, Name: st.Name,
		Level: 5, Occupation: "政务服务综合窗口办事员", StandardVersionID: version, IssuingOrgID: fx.orgs[group].ID,
		IssuedOn: rbac.Date{Time: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)}, Status: certify.CertValid, CreatedAt: now, UpdatedAt: now}
	if _, err := fx.env.Srv.DB.NewInsert().Model(c).Exec(ctx); err != nil {
		fx.t.Fatal(err)
	}
	return c.ID
}

// holder is a second person of the group's unit, added to the roster when there is none.
func (fx *fixture) holder(group string) *rbac.Staff {
	ctx := context.Background()
	s := fx.env.Srv.RBAC
	list, _, err := s.FindStaff(ctx, rbac.StaffFilter{Scope: rbac.Scope{fx.orgs[group].Path}, Page: rbac.Page{Limit: 5}})
	if err != nil {
		fx.t.Fatal(err)
	}
	for _, st := range list {
		if st.ID != fx.staff[group].ID {
			return st
		}
	}
	id := "99010219920304001X"
	in := &rbac.NewStaff{Staff: rbac.Staff{EmpNo: "QT0002", Name: "林静怡", IDNumber: &id, OrgID: fx.orgs[group].ID, EmploymentType: rbac.EmployDispatched}}
	u, _, err := s.CreateStaff(ctx, 0, in)
	if err != nil {
		fx.t.Fatal(err)
	}
	st, err := s.FindStaffByID(ctx, *u.StaffID)
	if err != nil {
		fx.t.Fatal(err)
	}
	return st
}
