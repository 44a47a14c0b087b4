package pay_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/exports"
	"clerkskill/exports/pay"
	"clerkskill/rbac"
)

// The demo roster: QS0001–QS0060 sit in the county centre (QS), QS0061–QS0080 in 城关镇
// (QS-CG) and QS0081–QS0090 in its village stations, QS0091–QS0110 in 东湖街道 (QS-DH).
const (
	countyCode    = "QS"
	chengguanCode = "QS-CG"
	donghuCode    = "QS-DH"
)

// fixedLevels answers certified levels from a map, for computations that need a level
// without running an exam session; the real certify store is used in the HTTP tests.
type fixedLevels map[int64]int

func (f fixedLevels) CurrentLevels(_ context.Context, ids []int64, _ time.Time) (map[int64]int, error) {
	out := map[int64]int{}
	for _, id := range ids {
		if lv, ok := f[id]; ok {
			out[id] = lv
		}
	}
	return out, nil
}

// payEnv is a fresh database holding the demo people, with a pay store whose levels
// come from levels.
type payEnv struct {
	T      testing.TB
	DB     *bun.DB
	store  *pay.Store
	levels fixedLevels
}

func newPayEnv(t *testing.T, dialect string) *payEnv {
	t.Helper()
	d := dbtest.New(t, dialect)
	people, err := rbac.NewStore(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := people.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	lv := fixedLevels{}
	return &payEnv{T: t, DB: d, store: pay.NewStore(d, lv, nil), levels: lv}
}

func (e *payEnv) unit(code string) *pay.Unit {
	e.T.Helper()
	u, err := e.store.FindUnitByCode(context.Background(), code)
	if err != nil {
		e.T.Fatal(err)
	}
	return u
}

func (e *payEnv) staffID(empNo string) int64 {
	e.T.Helper()
	var id int64
	err := e.DB.NewSelect().Table("staff").Column("id").Where("emp_no = ?", empNo).Scan(context.Background(), &id)
	if err != nil {
		e.T.Fatal(err)
	}
	return id
}

func (e *payEnv) scope(code string) rbac.Scope { return rbac.Scope{e.unit(code).Path} }

func day(s string) rbac.Date {
	d, err := rbac.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return *d
}

func dayPtr(s string) *rbac.Date { d := day(s); return &d }

// countyRules: 5/4/3/2/1 points, weights 30/50/20, workload against the unit's highest,
// tiers ≥90 ×1.2, ≥75 ×1.0, else ×0.8, base 1000.
func countyRules() pay.Rules { return pay.DefaultRules() }

// chengguanRules: another region's 10/8/6/3/0 points, weights 20/60/20, workload against
// a target of 200 a month, tiers ≥85 ×1.5, ≥60 ×1.0, else ×0.5, base 800.
func chengguanRules() pay.Rules {
	return pay.Rules{Allowances: map[int]float64{5: 150, 4: 250, 3: 350, 2: 450, 1: 600},
		WeightExam: 20, WeightService: 60, WeightWorkload: 20, GradePoints: [5]float64{10, 8, 6, 3, 0},
		WorkloadScale: pay.ScaleTarget, WorkloadTarget: 200,
		Tiers: []pay.Tier{{Name: "三档", Min: 0, Coefficient: 0.5}, {Name: "一档", Min: 85, Coefficient: 1.5}, {Name: "二档", Min: 60, Coefficient: 1.0}},
		Base:  800}
}

func (e *payEnv) mustPolicy(code, from string, r pay.Rules) *pay.Policy {
	e.T.Helper()
	p := &pay.Policy{OrgID: e.unit(code).ID, EffectiveFrom: day(from), Rules: r, Note: "测试政策"}
	if err := e.store.CreatePolicy(context.Background(), 0, p); err != nil {
		e.T.Fatalf("create policy: %v", err)
	}
	return p
}

func (e *payEnv) mustRatings(code string, in ...pay.RatingInput) {
	e.T.Helper()
	for i := range in {
		in[i].Row = i + 2
		if in[i].Count == 0 {
			in[i].Count = 1
		}
		if in[i].Period == "" {
			in[i].Period = pay.PeriodOf(in[i].RatedOn.Time)
		}
	}
	rep := &exports.Report{Rows: len(in)}
	if _, err := e.store.ImportRatings(context.Background(), 0, e.scope(code), in, rep, nil); err != nil {
		e.T.Fatalf("import ratings: %v %v", err, rep.Errors)
	}
}

func (e *payEnv) mustWorkload(code string, in ...pay.WorkloadInput) {
	e.T.Helper()
	for i := range in {
		in[i].Row = i + 2
	}
	rep := &exports.Report{Rows: len(in)}
	if _, err := e.store.ImportWorkload(context.Background(), 0, e.scope(code), in, rep, nil); err != nil {
		e.T.Fatalf("import workload: %v %v", err, rep.Errors)
	}
}

// sheet computes the pay sheet of the unit with code and returns its rows by 工号.
func (e *payEnv) sheet(code, period string) map[string]*pay.Row {
	e.T.Helper()
	out := map[string]*pay.Row{}
	err := e.store.ComputeSheet(context.Background(), pay.SheetQuery{Path: e.unit(code).Path, Period: period}, func(r *pay.Row) error {
		out[r.EmpNo] = r
		return nil
	})
	if err != nil {
		e.T.Fatal(err)
	}
	return out
}

// wantCode fails unless err is an application error with code whose message has text.
func wantCode(t *testing.T, what string, err error, code, text string) {
	t.Helper()
	if web.ErrorCode(err) != code || !strings.Contains(web.ErrorMessage(err), text) {
		t.Errorf("%s: got %v, want %s containing %q", what, err, code, text)
	}
}
