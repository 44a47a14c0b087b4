package paper

import (
	"context"
	"fmt"

	"clerkskill/exams"
	"clerkskill/exams/bank"
)

// demoBlueprint is one demo blueprint: level, part and rows of "code type count points".
type demoBlueprint struct {
	level int
	part  string
	rows  []Row
}

func row(code string, t bank.Type, count int, points float64) Row {
	return Row{Code: code, Type: t, Count: count, Points: points}
}

// demoBlueprints match the default standard's weight tables exactly and draw from the
// demo bank (exams/demo/questions.yaml). Theory papers give 单选 2 分, 多选 3 分, 判断 1 分,
// 填空 2 分 and 简答 10 分; skill papers give each branch one practical task worth its weight
// (the task's rubric is marked out of its own score and scaled to those points).
var demoBlueprints = []demoBlueprint{
	{5, exams.PartTheory, []Row{
		row("0.1", bank.Single, 2, 2), row("0.1", bank.Judge, 1, 1),
		row("0.2", bank.Single, 6, 2), row("0.2", bank.Multiple, 2, 3), row("0.2", bank.Judge, 3, 1), row("0.2", bank.Fill, 2, 2),
		row("1", bank.Single, 5, 2), row("1", bank.Multiple, 1, 3), row("1", bank.Judge, 3, 1), row("1", bank.Fill, 2, 2),
		row("2", bank.Single, 6, 2), row("2", bank.Multiple, 3, 3), row("2", bank.Judge, 2, 1), row("2", bank.Fill, 1, 2),
		row("3", bank.Single, 2, 2), row("3", bank.Multiple, 1, 3), row("3", bank.Judge, 1, 1), row("3", bank.Fill, 1, 2),
		row("4", bank.Single, 3, 2), row("4", bank.Multiple, 1, 3), row("4", bank.Judge, 1, 1),
		row("5", bank.Single, 1, 2), row("5", bank.Multiple, 1, 3),
	}},
	{4, exams.PartTheory, []Row{
		row("0.1", bank.Single, 2, 2), row("0.1", bank.Judge, 1, 1),
		row("0.2", bank.Single, 3, 2), row("0.2", bank.Multiple, 1, 3), row("0.2", bank.Judge, 1, 1), row("0.2", bank.Short, 1, 10),
		row("1", bank.Single, 3, 2), row("1", bank.Judge, 2, 1), row("1", bank.Fill, 1, 2), row("1", bank.Short, 1, 10),
		row("2", bank.Single, 5, 2), row("2", bank.Multiple, 3, 3), row("2", bank.Judge, 2, 1), row("2", bank.Fill, 2, 2),
		row("3", bank.Single, 2, 2), row("3", bank.Multiple, 1, 3), row("3", bank.Judge, 1, 1), row("3", bank.Fill, 1, 2),
		row("4", bank.Single, 2, 2), row("4", bank.Multiple, 1, 3), row("4", bank.Judge, 1, 1), row("4", bank.Fill, 1, 2),
		row("5", bank.Single, 2, 2), row("5", bank.Multiple, 1, 3), row("5", bank.Judge, 1, 1), row("5", bank.Fill, 1, 2),
	}},
	{3, exams.PartTheory, []Row{
		row("0.1", bank.Single, 2, 2), row("0.1", bank.Judge, 1, 1),
		row("0.2", bank.Single, 1, 2), row("0.2", bank.Multiple, 1, 3), row("0.2", bank.Short, 1, 10),
		row("1", bank.Single, 1, 2), row("1", bank.Multiple, 1, 3), row("1", bank.Short, 1, 10),
		row("2", bank.Single, 2, 2), row("2", bank.Multiple, 1, 3), row("2", bank.Judge, 1, 1), row("2", bank.Fill, 1, 2), row("2", bank.Short, 1, 10),
		row("3", bank.Single, 2, 2), row("3", bank.Multiple, 1, 3), row("3", bank.Judge, 1, 1), row("3", bank.Fill, 1, 2),
		row("4", bank.Single, 2, 2), row("4", bank.Multiple, 1, 3), row("4", bank.Judge, 1, 1), row("4", bank.Fill, 1, 2),
		row("5", bank.Single, 2, 2), row("5", bank.Multiple, 2, 3),
		row("6", bank.Single, 1, 2), row("6", bank.Multiple, 1, 3), row("6", bank.Short, 1, 10),
	}},
	{5, exams.PartSkill, []Row{
		row("1", bank.Practical, 1, 25), row("2", bank.Practical, 1, 35), row("3", bank.Practical, 1, 10),
		row("4", bank.Practical, 1, 20), row("5", bank.Practical, 1, 10),
	}},
	{4, exams.PartSkill, []Row{
		row("1", bank.Practical, 1, 20), row("2", bank.Practical, 1, 35), row("3", bank.Practical, 1, 15),
		row("4", bank.Practical, 1, 15), row("5", bank.Practical, 1, 15),
	}},
	{3, exams.PartSkill, []Row{
		row("1", bank.Practical, 1, 15), row("2", bank.Practical, 1, 25), row("3", bank.Practical, 1, 10),
		row("4", bank.Practical, 1, 10), row("5", bank.Practical, 1, 15), row("6", bank.Practical, 1, 25),
	}},
}

// DemoBlueprintName is the name a demo blueprint carries, e.g. "五级理论知识组卷方案（演示）".
func DemoBlueprintName(level int, part string) string {
	return exams.LevelName(level) + exams.PartLabel(part) + "组卷方案（演示）"
}

// SeedDemo stores the demo blueprints, owned by owner, when there are none yet, and a
// fixed 四级 theory paper drawn from the 四级 blueprint. It returns how many blueprints
// it stored.
func (s *Store) SeedDemo(ctx context.Context, owner int64) (int, error) {
	n, err := s.db.NewSelect().Model((*Blueprint)(nil)).Count(ctx)
	if err != nil || n > 0 {
		return 0, err
	}
	var level4 *Blueprint
	for _, d := range demoBlueprints {
		b := &Blueprint{Name: DemoBlueprintName(d.level, d.part), Level: d.level, Part: d.part, OwnerOrgID: owner,
			Tolerance: DefaultTolerance, Mix: DefaultMix, Rows: d.rows,
			Note: "演示方案：各分支分值与默认标准的权重表一致；每位考生按各自的随机种子抽题、打乱选项顺序。"}
		if err := s.CreateBlueprint(ctx, 0, b); err != nil {
			return 0, fmt.Errorf("demo blueprint %s: %w", b.Name, err)
		}
		if d.level == 4 && d.part == exams.PartTheory {
			level4 = b
		}
	}
	return len(demoBlueprints), s.seedDemoPaper(ctx, owner, level4)
}

// seedDemoPaper fixes one draw of the 四级 theory blueprint as a fixed paper.
func (s *Store) seedDemoPaper(ctx context.Context, owner int64, b *Blueprint) error {
	items, err := s.Draw(ctx, Source{BlueprintID: b.ID}, 2026)
	if err != nil {
		return fmt.Errorf("demo paper: %w", err)
	}
	p := &Paper{Name: "四级理论知识固定试卷（演示）", Level: 4, Part: exams.PartTheory, OwnerOrgID: owner,
		Tolerance: DefaultTolerance, Note: "演示：由四级理论知识组卷方案抽出一份后固定，所有考生题目相同，仅选项顺序各不相同。"}
	for _, it := range items {
		p.Items = append(p.Items, PaperItem{QuestionID: it.QuestionID, Points: it.Points})
	}
	if err := s.CreatePaper(ctx, 0, p); err != nil {
		return fmt.Errorf("demo paper: %w", err)
	}
	return nil
}
