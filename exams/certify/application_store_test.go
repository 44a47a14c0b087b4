package certify_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/exams/certify"
	"clerkskill/rbac"
)

// TestApplyStoresTheEvaluation: the evaluation is read from the roster, the HR record,
// the register and the hours ledger, and stored with the application.
func TestApplyStoresTheEvaluation(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx := env.Srv.Certify, context.Background()
			hire := yearsAgo(env, 4, 0)
			id := setHire(t, env, "clerk061", hire, "大专")
			grad, _ := rbac.ParseDate(yearsAgo(env, 6, 0))
			appMust(t, s.SaveQualification(ctx, 0, &certify.Qualification{StaffID: id, PriorServiceMonths: 12,
				EducationDetail: "临江职业技术学院行政管理专业", EducationDate: grad}))
			appMust(t, env.Srv.Training.RecordCompletion(ctx, userOf(t, env, "clerk061"), 7, 1, 40, env.Now.Now()))

			a := mustApply(t, env, userOf(t, env, "clerk061"), id, 4)
			ev := a.Eval()
			if !a.Eligible || a.Status != certify.AppSubmitted || a.Name == "" || a.OrgName != "城关镇便民服务中心" || len(ev.Rules) != 3 {
				t.Fatalf("application %+v, evaluation %+v", a.Application, ev)
			}
			want := "入职 " + hire + "，加上此前 12 个月，累计 5 年，满 5 年"
			if ev.Rules[1].Reason != want || !ev.Rules[1].Met || ev.Rules[0].Met || !ev.Rules[2].Met {
				t.Errorf("rules %+v, want years rule %q", ev.Rules, want)
			}
			five := mustApply(t, env, 0, id, 5)
			if r := five.Eval().Rules; !r[1].Met || r[1].Reason != "培训学时累计 40 学时，满 40 学时" {
				t.Errorf("五级 rules %+v", r)
			}
			list, n, err := s.FindApplications(ctx, certify.ApplicationFilter{Scope: rbac.Scope{orgOf(t, env, "QS-CG").Path}, Level: 4})
			appMust(t, err)
			if n != 1 || list[0].ID != a.ID {
				t.Errorf("filtered list %d %+v", n, list)
			}
			if _, n, _ := s.FindApplications(ctx, certify.ApplicationFilter{Scope: rbac.Scope{orgOf(t, env, "QS-DH").Path}}); n != 0 {
				t.Errorf("another township sees %d applications", n)
			}
			if _, n, _ := s.FindApplications(ctx, certify.ApplicationFilter{StaffID: id, Status: certify.AppSubmitted}); n != 2 {
				t.Errorf("own list: %d", n)
			}
		})
	}
}

// TestApplyTwiceConcurrently: racing applies for one person and level leave one row;
// every other caller gets a conflict naming it.
func TestApplyTwiceConcurrently(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			id := setHire(t, env, "clerk062", yearsAgo(env, 8, 0), "本科")
			var wg sync.WaitGroup
			errs := make([]error, 8)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = env.Srv.Certify.Apply(context.Background(), 0, id, 4)
				}()
			}
			wg.Wait()
			ok := 0
			for _, err := range errs {
				if err == nil {
					ok++
				} else if web.ErrorCode(err) != web.ECONFLICT || !strings.Contains(web.ErrorMessage(err), "不能重复申报") {
					t.Errorf("loser got %v", err)
				}
			}
			_, n, err := env.Srv.Certify.FindApplications(context.Background(), certify.ApplicationFilter{StaffID: id})
			appMust(t, err)
			if ok != 1 || n != 1 {
				t.Errorf("%d applies succeeded, %d rows, want 1 and 1", ok, n)
			}
		})
	}
}

// TestDecisions walks approval, exception, rejection and withdrawal with their refusals.
func TestDecisions(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx, hr := env.Srv.Certify, context.Background(), userOf(t, env, "hr")
			novice := setHire(t, env, "clerk063", yearsAgo(env, 1, 1), "高中/中专") // a day short of a year
			senior := setHire(t, env, "clerk064", yearsAgo(env, 6, 0), "本科")

			weak := mustApply(t, env, 0, novice, 4)
			if weak.Eligible {
				t.Fatalf("novice eligible: %+v", weak.Eval())
			}
			_, err := s.Approve(ctx, hr, weak.ID, "")
			wantErr(t, "approve ineligible", err, web.EINVALID, "破格理由")
			_, err = s.Exception(ctx, hr, weak.ID, "  ")
			wantErr(t, "exception without reason", err, web.EINVALID, "破格理由须为4至500个字")
			ex, err := s.Exception(ctx, hr, weak.ID, "窗口业务骨干，市级岗位练兵一等奖")
			appMust(t, err)
			if ex.Status != certify.AppApproved || !ex.IsException() || ex.DecidedBy == nil || *ex.DecidedBy != hr {
				t.Errorf("exception %+v", ex.Application)
			}
			var detail string
			appMust(t, env.Srv.DB.NewSelect().Table("audit_log").Column("detail").
				Where("action = ? AND object_id = ?", "application.exception", ex.ID).Scan(ctx, &detail))
			if !strings.Contains(detail, "市级岗位练兵一等奖") || !strings.Contains(strings.ReplaceAll(detail, " ", ""), `"eligible":false`) {
				t.Errorf("audit detail %s", detail)
			}

			good := mustApply(t, env, 0, senior, 4)
			_, err = s.Exception(ctx, hr, good.ID, "无需破格的理由")
			wantErr(t, "exception on an eligible one", err, web.EINVALID, "无需破格")
			_, err = s.Reject(ctx, hr, good.ID, "")
			wantErr(t, "reject without note", err, web.EINVALID, "不通过的原因")
			ok, err := s.Approve(ctx, hr, good.ID, "材料齐全")
			appMust(t, err)
			_, err = s.Approve(ctx, hr, good.ID, "")
			wantErr(t, "approve twice", err, web.ECONFLICT, "已通过")
			_, err = s.Withdraw(ctx, 0, novice, ok.ID)
			wantErr(t, "withdraw another's", err, web.ENOTFOUND, "申报不存在")
			w, err := s.Withdraw(ctx, 0, senior, ok.ID)
			appMust(t, err)
			if w.Status != certify.AppWithdrawn {
				t.Errorf("withdrawn: %s", w.Status)
			}
			again := mustApply(t, env, 0, senior, 4) // the place is free again
			r, err := s.Reject(ctx, hr, again.ID, "当年培训学时未达要求")
			appMust(t, err)
			if r.Status != certify.AppRejected || r.DecisionNote != "当年培训学时未达要求" {
				t.Errorf("rejected %+v", r.Application)
			}
		})
	}
}

// TestPlaceAndReevaluate: an approved applicant goes into a session of the level held
// above their unit, never one of another level; a corrected record re-evaluates.
func TestPlaceAndReevaluate(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx, hr := env.Srv.Certify, context.Background(), userOf(t, env, "hr")
			id := setHire(t, env, "clerk065", yearsAgo(env, 0, -100), "大专")
			a := mustApply(t, env, 0, id, 5)
			if a.Eligible {
				t.Fatalf("eligible with 100 days and no hours: %+v", a.Eval())
			}
			appMust(t, s.SaveQualification(ctx, hr, &certify.Qualification{StaffID: id, PriorServiceMonths: 9}))
			re, err := s.Reevaluate(ctx, hr, a.ID)
			appMust(t, err)
			if !re.Eligible || re.Status != certify.AppSubmitted {
				t.Fatalf("after the prior service was recorded: %+v", re.Eval())
			}
			_, err = s.Place(ctx, hr, a.ID, 1)
			wantErr(t, "place before approval", err, web.ECONFLICT, "只有已通过的申报")
			_, err = s.Approve(ctx, hr, a.ID, "")
			appMust(t, err)
			county, dh := orgOf(t, env, "QS"), orgOf(t, env, "QS-DH")
			four := mustSession(t, env, "四级理论考试", 4, county.ID)
			elsewhere := mustSession(t, env, "东湖街道五级考试", 5, dh.ID)
			five := mustSession(t, env, "县中心五级理论考试", 5, county.ID)
			_, err = s.Place(ctx, hr, a.ID, four)
			wantErr(t, "another level", err, web.EINVALID, "是四级考试，不能编入五级申报人员")
			_, err = s.Place(ctx, hr, a.ID, elsewhere)
			wantErr(t, "a sibling's session", err, web.EINVALID, "不面向城关镇便民服务中心")
			opts, err := s.SessionOptions(ctx, a)
			appMust(t, err)
			if len(opts) != 1 || opts[0].ID != five {
				t.Errorf("options %+v, want only %d", opts, five)
			}
			p, err := s.Place(ctx, hr, a.ID, five)
			appMust(t, err)
			if p.Status != certify.AppPlaced || p.SessionID == nil || *p.SessionID != five || p.SessionName == nil {
				t.Errorf("placed %+v", p.Application)
			}
			in, err := env.Srv.Sessions.IsCandidate(ctx, five, userOf(t, env, "clerk065"))
			appMust(t, err)
			if !in {
				t.Error("not a candidate of the session")
			}
			_, err = s.Withdraw(ctx, 0, id, a.ID)
			wantErr(t, "withdraw after placement", err, web.ECONFLICT, "已编入考场")
		})
	}
}

// TestHeldCertificates: a valid lower certificate meets its rule; a level already held is
// refused.
func TestHeldCertificates(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			ctx := context.Background()
			id := setHire(t, env, "clerk066", yearsAgo(env, 4, 0), "高中/中专")
			issued := yearsAgo(env, 3, 0)
			insertCert(t, env, id, 5, issued, certify.CertValid)
			a := mustApply(t, env, 0, id, 4)
			r := a.Eval().Rules[0]
			if !a.Eligible || !r.Met || !strings.Contains(r.Reason, issued+" 取得五级证书") || !strings.Contains(r.Reason, "满 3 年") {
				t.Errorf("lower certificate rule %+v", r)
			}
			_, err := env.Srv.Certify.Apply(ctx, 0, id, 5)
			wantErr(t, "a level held", err, web.EINVALID, "已持有本职业五级证书")
		})
	}
}

func insertCert(t testing.TB, env *apptest.Env, staffID int64, level int, issued, status string) {
	t.Helper()
	ctx := context.Background()
	v, err := env.Srv.Standards.CurrentStandard(ctx)
	appMust(t, err)
	st, err := env.Srv.RBAC.FindStaffByID(ctx, staffID)
	appMust(t, err)
	day, err := rbac.ParseDate(issued)
	appMust(t, err)
	now := time.Now()
	c := &certify.Certificate{Number: "T-" + issued + "-" + st.EmpNo, StaffID: staffID, IDNumber: *st.IDNumber, Name: st.Name, Level: level,
		Occupation: "政务服务综合窗口办事员", StandardVersionID: v.ID, IssuingOrgID: st.OrgID, IssuedOn: *day, Status: status,
		Parts: []certify.PartScore{}, CreatedAt: now, UpdatedAt: now}
	_, err = env.Srv.DB.NewInsert().Model(c).Exec(ctx)
	appMust(t, err)
}
