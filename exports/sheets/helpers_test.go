package sheets_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"clerkskill/app/apptest"
	"clerkskill/app/web"
	"clerkskill/curriculum/training"
	"clerkskill/exams/marking/marktest"
	"clerkskill/exports/sheets"
	"clerkskill/rbac"
)

// The demo roster: clerk061–080 sit in 城关镇 (QS-CG, with its village stations below),
// clerk091–110 in 东湖街道 (QS-DH); hr.chengguan and hr.donghu are their HR offices.
const (
	chengguan = "QS-CG"
	donghu    = "QS-DH"
	village   = "QS-CG-01"
)

var ctx = context.Background()

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func org(t testing.TB, env *apptest.Env, code string) *rbac.OrgUnit {
	t.Helper()
	o, err := env.Srv.RBAC.FindOrgByCode(ctx, code)
	must(t, err)
	return o
}

func user(t testing.TB, env *apptest.Env, username string) *rbac.User {
	t.Helper()
	u, err := env.Srv.RBAC.FindUserByUsername(ctx, username)
	must(t, err)
	return u
}

// staffOf lists the people of the unit with code (and below), by 工号.
func staffOf(t testing.TB, env *apptest.Env, code string) []*sheets.Person {
	t.Helper()
	var out []*sheets.Person
	must(t, env.Srv.Sheets.EachPerson(ctx, rbac.Scope{org(t, env, code).Path}, func(p *sheets.Person) error {
		out = append(out, p)
		return nil
	}))
	return out
}

// xlsx writes rows (the first is the header) to a sheet 花名册; prep may change the file.
func xlsx(t testing.TB, rows [][]any, prep func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must(t, f.SetSheetName("Sheet1", sheets.SheetRoster))
	for i, r := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		must(t, f.SetSheetRow(sheets.SheetRoster, ref, &r))
	}
	if prep != nil {
		prep(f)
	}
	var b bytes.Buffer
	must(t, f.Write(&b))
	return b.Bytes()
}

var rosterHeader = []any{"工号", "姓名", "身份证号", "电话", "机构代码", "所属机构", "岗位", "用工性质", "入职日期", "学历", "在岗"}

// wantCode fails unless err is an application error with code whose message has text.
func wantCode(t *testing.T, what string, err error, code, text string) {
	t.Helper()
	if web.ErrorCode(err) != code || !strings.Contains(web.ErrorMessage(err), text) {
		t.Errorf("%s: got %v, want %s containing %q", what, err, code, text)
	}
}

// examDay is the finished 五级 session the result tests use, in March 2026.
var examDay = time.Date(2026, 3, 20, 2, 0, 0, 0, time.UTC)

type resultRow struct {
	bun.BaseModel `bun:"table:part_results"`

	AttemptID         int64           `bun:"attempt_id"`
	SessionID         int64           `bun:"session_id"`
	UserID            int64           `bun:"user_id"`
	Part              string          `bun:"part"`
	StandardVersionID int64           `bun:"standard_version_id"`
	Earned            float64         `bun:"earned"`
	Possible          float64         `bun:"possible"`
	Score             float64         `bun:"score"`
	PassMark          int             `bun:"pass_mark"`
	Passed            bool            `bun:"passed"`
	Complete          bool            `bun:"complete"`
	Branches          []sheets.Branch `bun:"branches"`
	ComputedAt        time.Time       `bun:"computed_at"`
}

// seedSession writes a closed 五级 session at the unit with code: each candidate's
// theory and skill scores (a negative score: no attempt at that part), and an absent one.
func seedSession(t testing.TB, env *apptest.Env, code, name string, scores map[string][2]float64, absent string) int64 {
	t.Helper()
	d := env.Srv.DB
	id, parts, err := marktest.NewSession(ctx, d, marktest.Session{Name: name, Level: 5, OrgID: org(t, env, code).ID,
		OpensAt: examDay.Add(-2 * time.Hour), ClosesAt: examDay, Parts: []string{"theory", "skill"}})
	must(t, err)
	var version int64
	must(t, d.NewSelect().Table("exam_sessions").Column("standard_version_id").Where("id = ?", id).Scan(ctx, &version))
	for username, sc := range scores {
		uid := user(t, env, username).ID
		for i, part := range []string{"theory", "skill"} {
			if sc[i] < 0 {
				continue
			}
			aid, err := marktest.NewAttempt(ctx, d, id, parts[part], uid, "closed", nil)
			must(t, err)
			r := &resultRow{AttemptID: aid, SessionID: id, UserID: uid, Part: part, StandardVersionID: version,
				Earned: sc[i], Possible: 100, Score: sc[i], PassMark: 60, Passed: sc[i] >= 60, Complete: true,
				Branches: []sheets.Branch{{Code: "2", Name: "咨询引导", Earned: sc[i] / 2, Possible: 50, Percent: sc[i]},
					{Code: "1", Name: "职业道德", Earned: sc[i] / 10, Possible: 10, Percent: sc[i]}}, ComputedAt: examDay}
			_, err = d.NewInsert().Model(r).Exec(ctx)
			must(t, err)
		}
	}
	if absent != "" {
		_, err := d.NewInsert().Table("session_candidates").Model(&map[string]any{"session_id": id,
			"user_id": user(t, env, absent).ID, "room": "", "seat": "", "added_at": examDay}).Exec(ctx)
		must(t, err)
	}
	return id
}

// seedCertificate registers a 五级 certificate from session for the staff member.
func seedCertificate(t testing.TB, env *apptest.Env, p *sheets.Person, session int64, number, status string) {
	t.Helper()
	var version int64
	must(t, env.Srv.DB.NewSelect().Table("exam_sessions").Column("standard_version_id").Where("id = ?", session).Scan(ctx, &version))
	county := org(t, env, "QS")
	row := map[string]any{"number": number, "staff_id": p.ID, "id_number": p.IDNumber.String, "name": p.Name, "level": 5,
		"occupation": "政务服务综合窗口办事员", "standard_version_id": version, "issuing_org_id": county.ID, "session_id": session,
		"parts": "[]", "issued_on": "2026-03-25", "status": status, "status_reason": "", "created_at": examDay, "updated_at": examDay}
	if status == "revoked" {
		row["status_reason"] = "考试违纪，经复核撤销"
	}
	_, err := env.Srv.DB.NewInsert().Table("certificates").Model(&row).Exec(ctx)
	must(t, err)
}

// seedHoursAndRatings gives the clerk 12 external training hours in 2026 and a year of
// service ratings, one of them removed on appeal.
func seedHoursAndRatings(t testing.TB, env *apptest.Env, username string, p *sheets.Person) {
	t.Helper()
	_, err := env.Srv.Training.AddExternal(ctx, 0, &training.External{UserID: user(t, env, username).ID,
		Title: "市级综窗业务培训班", Hours: 12, Date: "2026-04-10", Note: "凭结业证书登记"})
	must(t, err)
	for _, r := range []struct {
		period       string
		grade, count int
		removed      bool
	}{{"2026-01", 5, 30, false}, {"2026-02", 4, 8, false}, {"2026-02", 2, 1, false}, {"2026-03", 1, 1, true}, {"2025-12", 1, 9, false}} {
		row := map[string]any{"staff_id": p.ID, "org_id": p.OrgID, "period": r.period, "grade": r.grade, "count": r.count,
			"batch": "test", "created_at": examDay}
		if r.removed {
			row["removed_at"], row["removed_reason"] = examDay, "申诉成立"
		}
		_, err := env.Srv.DB.NewInsert().Table("pay_ratings").Model(&row).Exec(ctx)
		must(t, err)
	}
}
