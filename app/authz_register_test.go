package app_test

import (
	"context"
	"time"

	"clerkskill/exams/certify"
	"clerkskill/rbac"
)

// certificateID returns a certificate the group's township issued to the group's clerk,
// writing it straight into the register on first use (the award path has its own tests).
func (fx *fixture) certificateID(group string) int64 {
	ctx := context.Background()
	st := fx.staff[group]
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
