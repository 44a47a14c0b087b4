package exams

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

var diffKinds = []struct{ Kind, Label string }{
	{DiffMeta, "基本信息"},
	{DiffLevel, "等级"},
	{DiffPart, "考核、及格分与时长"},
	{DiffWeight, "权重"},
	{DiffNode, "职业功能与工作内容"},
	{DiffRequirement, "技能要求与相关知识要求"},
	{DiffEligibility, "申报条件"},
	{DiffRatio, "监考与评审"},
}

// comparison is what /standard/compare shows and the API returns.
type comparison struct {
	A           *StandardVersion `json:"a"`
	B           *StandardVersion `json:"b"`
	Differences []Difference     `json:"differences"`
}

type comparePage struct {
	A, B     *StandardVersion
	Count    int
	Groups   []diffGroup
	Versions []versionRow
}

type diffGroup struct {
	Label string
	Items []diffRow
}

type diffRow struct {
	Difference
	LevelName, PartName string
}

// comparePair loads the two versions named by ?a= and ?b=; a missing one defaults to the
// previous version (a) and the current one (b).
func (h *Handler) comparePair(c *fiber.Ctx) (*comparison, error) {
	ctx := c.UserContext()
	cur, err := h.store.CurrentStandard(ctx)
	if err != nil {
		return nil, err
	}
	b, err := h.versionOr(ctx, c.Query("b"), cur)
	if err != nil {
		return nil, err
	}
	prev := cur
	if c.Query("a") == "" && cur.VersionNo > 1 {
		if prev, err = h.previousVersion(ctx); err != nil {
			return nil, err
		}
	}
	a, err := h.versionOr(ctx, c.Query("a"), prev)
	if err != nil {
		return nil, err
	}
	return &comparison{A: a, B: b, Differences: CompareStandards(a.Definition, b.Definition)}, nil
}

func (h *Handler) versionOr(ctx context.Context, raw string, def *StandardVersion) (*StandardVersion, error) {
	if raw == "" {
		return def, nil
	}
	id, err := rbac.ParseID(raw)
	if err != nil {
		return nil, err
	}
	return h.store.FindStandardVersionByID(ctx, id)
}

func (h *Handler) previousVersion(ctx context.Context) (*StandardVersion, error) {
	list, err := h.store.FindStandardVersions(ctx)
	if err != nil {
		return nil, err
	}
	if len(list) < 2 {
		return nil, web.Errorf(web.ENOTFOUND, "没有上一个标准版本")
	}
	return list[1], nil
}

func (h *Handler) compareVersions(c *fiber.Ctx) error {
	cmp, err := h.comparePair(c)
	if err != nil {
		return err
	}
	rows, err := h.versionRows(c)
	if err != nil {
		return err
	}
	data := comparePage{A: cmp.A, B: cmp.B, Count: len(cmp.Differences), Groups: groupDiffs(cmp.Differences), Versions: rows}
	return h.render(c, fiber.StatusOK, "standard_compare", "比较标准版本", data)
}

// groupDiffs sorts differences into the kinds' display order, dropping empty groups.
func groupDiffs(diffs []Difference) []diffGroup {
	var out []diffGroup
	for _, k := range diffKinds {
		g := diffGroup{Label: k.Label}
		for _, d := range diffs {
			if d.Kind != k.Kind {
				continue
			}
			row := diffRow{Difference: d, PartName: PartLabel(d.Part)}
			if d.Level != 0 {
				row.LevelName = LevelName(d.Level)
			}
			g.Items = append(g.Items, row)
		}
		if len(g.Items) > 0 {
			out = append(out, g)
		}
	}
	return out
}
