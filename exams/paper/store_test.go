package paper_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/exams/paper"
)

func TestBlueprintStore(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env) {
		s := env.Srv.Papers
		first := mustCreate(t, env, level5(chengguanOrg))
		second := level5(countyOrg)
		second.Name = "五级理论第二套"
		mustCreate(t, env, second)
		got, err := s.FindBlueprintByID(ctx, first.ID)
		if err != nil || got.OwnerName != "城关镇便民服务中心" || got.OwnerPath == "" || len(got.Rows) != 8 || got.Revision != 1 || got.StandardVersionID == 0 {
			t.Fatalf("find: %+v %v", got, err)
		}
		latest, err := s.FindBlueprintFor(ctx, 5, exams.PartTheory)
		if err != nil || latest.ID != second.ID {
			t.Fatalf("latest of 五级 theory: %+v %v, want %d", latest, err, second.ID)
		}
		if _, err := s.FindBlueprintFor(ctx, 4, exams.PartTheory); web.ErrorCode(err) != web.ENOTFOUND {
			t.Errorf("no 四级 blueprint: %v", err)
		}
		// An edit based on the current revision lands and keeps the owner; a stale one is refused.
		env.Now.Advance(time.Minute)
		edit := level5(countyOrg)
		edit.Name, edit.Revision = "五级理论（修订）", 1
		if err := s.UpdateBlueprint(ctx, first.ID, edit); err != nil {
			t.Fatal(err)
		}
		got, _ = s.FindBlueprintByID(ctx, first.ID)
		if got.Name != "五级理论（修订）" || got.Revision != 2 || got.OwnerOrgID != chengguanOrg {
			t.Errorf("after edit: %+v", got)
		}
		if latest, _ := s.FindBlueprintFor(ctx, 5, exams.PartTheory); latest.ID != first.ID {
			t.Errorf("the edited blueprint is now the latest, got %d", latest.ID)
		}
		stale := level5(chengguanOrg)
		stale.Revision = 1
		if err := s.UpdateBlueprint(ctx, first.ID, stale); web.ErrorCode(err) != web.ECONFLICT {
			t.Errorf("stale edit: %v", err)
		}
		bad := exact(3, 2)
		bad.OwnerOrgID = chengguanOrg
		if err := s.CreateBlueprint(ctx, 0, bad); fieldsOf(err)["branch.2"] == "" {
			t.Errorf("a blueprint outside the tolerance was stored: %v", err)
		}
		noOwner := level5(0)
		if err := s.CreateBlueprint(ctx, 0, noOwner); fieldsOf(err)["owner_org_id"] == "" {
			t.Errorf("a blueprint without owner: %v", err)
		}
		list, err := s.FindBlueprints(ctx, paper.Filter{OwnerScope: []string{got.OwnerPath}})
		if err != nil || len(list) != 1 || list[0].ID != first.ID {
			t.Errorf("scoped list: %d %v", len(list), err)
		}
	})
}

// paperOf makes a valid fixed 五级 theory paper from seedPool's questions: one single
// choice per branch worth the branch's weight.
func paperOf(t *testing.T, pool []*bank.Question) *paper.Paper {
	t.Helper()
	weights := map[string]float64{"0.1": 5, "0.2": 25, "1": 20, "2": 25, "3": 10, "4": 10, "5": 5}
	p := &paper.Paper{Name: "五级固定卷", Level: 5, Part: exams.PartTheory, OwnerOrgID: chengguanOrg, Tolerance: 2}
	done := map[string]bool{}
	for _, q := range pool {
		if q.Type == bank.Single && !done[q.Code] {
			done[q.Code] = true
			p.Items = append(p.Items, paper.PaperItem{QuestionID: q.ID, Points: weights[q.Code]})
		}
	}
	return p
}

func TestFixedPapers(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env) {
		s := env.Srv.Papers
		pool := seedPool(t, env, 3)
		p := paperOf(t, pool)
		if err := s.CreatePaper(ctx, 0, p); err != nil {
			t.Fatal(err)
		}
		// Same questions in the same order for everyone; option order by seed.
		a, again, other := mustDraw(t, env, paper.Source{PaperID: p.ID}, 1), mustDraw(t, env, paper.Source{PaperID: p.ID}, 1), mustDraw(t, env, paper.Source{PaperID: p.ID}, 2)
		checkPaper(t, env, "fixed", a, 7)
		if itemKey(a) != itemKey(again) || itemKey(a) == itemKey(other) {
			t.Error("fixed paper draws are not reproducible by seed or ignore it")
		}
		for i := range a {
			if a[i].QuestionID != p.Items[i].QuestionID || other[i].QuestionID != p.Items[i].QuestionID || a[i].Points != p.Items[i].Points {
				t.Fatalf("item %d differs from the paper", i)
			}
		}
		// Its questions are now used: removing one retires it.
		if retired, err := env.Srv.Bank.RemoveQuestion(ctx, pool[0].FamilyID); err != nil || !retired {
			t.Errorf("a question on a fixed paper was deleted: %v %v", retired, err)
		}
		got, err := s.FindPaperByID(ctx, p.ID)
		if err != nil || got.OwnerName == "" || len(got.Items) != 7 {
			t.Fatalf("find paper: %+v %v", got, err)
		}
		edit := paperOf(t, pool)
		edit.Name, edit.Revision = "五级固定卷（修订）", 1
		edit.Items = edit.Items[1:] // pool[0] was retired; a 5-mark item goes missing
		err = s.UpdatePaper(ctx, p.ID, edit)
		if f := fieldsOf(err); f["total"] == "" || f["branch.0.1"] == "" {
			t.Errorf("edit losing branch 0.1: %v", err)
		}
	})
}

// A draw naming the revision it read may take the paper from memory, never an older
// revision's items after an edit.
func TestFixedPaperDrawFollowsRevision(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env) {
		s := env.Srv.Papers
		p := paperOf(t, seedPool(t, env, 3))
		if err := s.CreatePaper(ctx, 0, p); err != nil {
			t.Fatal(err)
		}
		first := mustDraw(t, env, paper.Source{PaperID: p.ID, Revision: 1}, 1)
		edit := paperOf(t, seedPool(t, env, 3))
		edit.Revision = 1
		slices.Reverse(edit.Items)
		if err := s.UpdatePaper(ctx, p.ID, edit); err != nil {
			t.Fatal(err)
		}
		for _, rev := range []int{2, 0} {
			got := mustDraw(t, env, paper.Source{PaperID: p.ID, Revision: rev}, 1)
			if got[0].QuestionID != edit.Items[0].QuestionID || got[0].QuestionID == first[0].QuestionID {
				t.Errorf("draw at revision %d after the edit: first question %d, want %d", rev, got[0].QuestionID, edit.Items[0].QuestionID)
			}
		}
		again := mustDraw(t, env, paper.Source{PaperID: p.ID, Revision: 2}, 1)
		if itemKey(again) != itemKey(mustDraw(t, env, paper.Source{PaperID: p.ID}, 1)) {
			t.Error("a draw from memory differs from one read from the database")
		}
	})
}

func TestFixedPaperRefusals(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env) {
		pool := seedPool(t, env, 2)
		practice := choice("1", 2, "练习题")
		practice.Pool = bank.PoolPractice
		level4 := choice("1", 2, "四级题")
		level4.Levels = bank.LevelsOf(4, 3)
		if err := env.Srv.Bank.CreateQuestions(ctx, 0, []*bank.Question{practice, level4}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name, field, text string
			mod               func(p *paper.Paper)
		}{
			{"practice pool", "item.1", "只用于练习", func(p *paper.Paper) { p.Items[0].QuestionID = practice.ID }},
			{"other level", "item.1", "不适用于五级", func(p *paper.Paper) { p.Items[0].QuestionID = level4.ID }},
			{"missing", "item.1", "不存在", func(p *paper.Paper) { p.Items[0].QuestionID = 99999 }},
			{"twice", "item.2", "不止一次", func(p *paper.Paper) { p.Items[1].QuestionID = p.Items[0].QuestionID }},
			{"outside tolerance", "branch.0.2", "偏差", func(p *paper.Paper) { p.Items[0].Points, p.Items[1].Points = 2, 28 }},
			{"skill part type", "item.1", "技能考核不能使用单选题", func(p *paper.Paper) { p.Part = exams.PartSkill }},
			{"empty", "items", "1 至 300", func(p *paper.Paper) { p.Items = nil }},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				p := paperOf(t, pool)
				c.mod(p)
				f := fieldsOf(env.Srv.Papers.CreatePaper(ctx, 0, p))
				if !strings.Contains(f[c.field], c.text) {
					t.Errorf("field %s: %v, want %q", c.field, f, c.text)
				}
			})
		}
	})
}
