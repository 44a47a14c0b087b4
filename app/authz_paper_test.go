package app_test

import (
	"context"
	"fmt"

	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/exams/paper"
)

// fiveTheory is the default profile's 五级 理论知识 weight table: one judge question per
// branch worth its weight makes a paper that satisfies it.
var fiveTheory = []struct {
	code   string
	points float64
}{{"0.1", 5}, {"0.2", 25}, {"1", 20}, {"2", 25}, {"3", 10}, {"4", 10}, {"5", 5}}

// blueprintID returns the group's blueprint, owned by the group's township unit.
func (fx *fixture) blueprintID(group string) int64 {
	ctx := context.Background()
	name := "权限矩阵方案-" + group
	list, err := fx.env.Srv.Papers.FindBlueprints(ctx, paper.Filter{})
	if err != nil {
		fx.t.Fatal(err)
	}
	for _, b := range list {
		if b.Name == name {
			return b.ID
		}
	}
	b := &paper.Blueprint{Name: name, Level: 5, Part: exams.PartTheory, OwnerOrgID: fx.orgs[group].ID,
		Tolerance: 2, Mix: paper.DefaultMix}
	for _, w := range fiveTheory {
		b.Rows = append(b.Rows, paper.Row{Code: w.code, Type: bank.Judge, Count: 1, Points: w.points})
	}
	if err := fx.env.Srv.Papers.CreateBlueprint(ctx, 0, b); err != nil {
		fx.t.Fatal(err)
	}
	return b.ID
}

// paperID returns the group's fixed paper, made of judge questions of the group's unit.
func (fx *fixture) paperID(group string) int64 {
	ctx := context.Background()
	name := "权限矩阵试卷-" + group
	list, err := fx.env.Srv.Papers.FindPapers(ctx, paper.Filter{})
	if err != nil {
		fx.t.Fatal(err)
	}
	for _, p := range list {
		if p.Name == name {
			return p.ID
		}
	}
	p := &paper.Paper{Name: name, Level: 5, Part: exams.PartTheory, OwnerOrgID: fx.orgs[group].ID, Tolerance: 2}
	for _, w := range fiveTheory {
		q := &bank.Question{Type: bank.Judge, Levels: bank.LevelsOf(5), Code: w.code, Difficulty: 2, Score: 1,
			Stem: fmt.Sprintf("（%s）窗口人员应当依法办事、热情服务。", w.code), Answer: bank.Answer{Judge: new(true)},
			Pool: bank.PoolExam, OwnerOrgID: fx.orgs[group].ID}
		if err := fx.env.Srv.Bank.CreateQuestion(ctx, 0, q); err != nil {
			fx.t.Fatal(err)
		}
		p.Items = append(p.Items, paper.PaperItem{QuestionID: q.ID, Points: w.points})
	}
	if err := fx.env.Srv.Papers.CreatePaper(ctx, 0, p); err != nil {
		fx.t.Fatal(err)
	}
	return p.ID
}
