package paper

import (
	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

// listOut is a list answer.
type listOut[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func (h *Handler) apiListBlueprints(c *fiber.Ctx) error {
	f, err := listFilter(c)
	if err != nil {
		return err
	}
	list, err := h.store.FindBlueprints(c.UserContext(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*Blueprint{}
	}
	return c.JSON(listOut[*Blueprint]{Items: list, Total: len(list)})
}

// BlueprintInput is the API body that creates a blueprint or changes one. On a change,
// fields left out keep their value; send revision to refuse the change when someone else
// saved in between. The owner is set at creation and then kept.
type BlueprintInput struct {
	Name       string  `json:"name"`
	Level      int     `json:"level"`
	Part       string  `json:"part"`
	OwnerOrgID int64   `json:"owner_org_id"`
	Tolerance  float64 `json:"tolerance"`
	Mix        Mix     `json:"mix"`
	Rows       []Row   `json:"rows"`
	Note       string  `json:"note"`
	Revision   int     `json:"revision"`
}

func (in BlueprintInput) blueprint() *Blueprint {
	return &Blueprint{Name: in.Name, Level: in.Level, Part: in.Part, OwnerOrgID: in.OwnerOrgID, Tolerance: in.Tolerance,
		Mix: in.Mix, Rows: in.Rows, Note: in.Note, Revision: in.Revision}
}

// blueprintOut is a blueprint with its comparison against the weight table and the rows
// the bank cannot fill now.
type blueprintOut struct {
	*Blueprint
	Balance   *Balance   `json:"balance"`
	Shortages []Shortage `json:"shortages"`
}

func (h *Handler) blueprintOut(c *fiber.Ctx, b *Blueprint) error {
	sv, err := h.store.Standard(c.UserContext())
	if err != nil {
		return err
	}
	short, err := h.store.CheckFillable(c.UserContext(), b.ID)
	if err != nil {
		return err
	}
	if short == nil {
		short = []Shortage{}
	}
	return c.JSON(blueprintOut{Blueprint: b, Balance: b.Balance(sv.Definition), Shortages: short})
}

func (h *Handler) apiCreateBlueprint(c *fiber.Ctx) error {
	in := BlueprintInput{Tolerance: DefaultTolerance, Mix: DefaultMix}
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	b := in.blueprint()
	if err := h.saveBlueprint(c, b, nil, nil); err != nil {
		return err
	}
	b, err := h.store.FindBlueprintByID(c.UserContext(), b.ID)
	if err != nil {
		return err
	}
	c.Status(fiber.StatusCreated)
	return h.blueprintOut(c, b)
}

func (h *Handler) apiShowBlueprint(c *fiber.Ctx) error {
	b, err := h.blueprintParam(c, "read")
	if err != nil {
		return err
	}
	return h.blueprintOut(c, b)
}

func (h *Handler) apiUpdateBlueprint(c *fiber.Ctx) error {
	prev, err := h.blueprintParam(c, "write")
	if err != nil {
		return err
	}
	in := BlueprintInput{Name: prev.Name, Level: prev.Level, Part: prev.Part, OwnerOrgID: prev.OwnerOrgID,
		Tolerance: prev.Tolerance, Mix: prev.Mix, Rows: prev.Rows, Note: prev.Note, Revision: prev.Revision}
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	if in.OwnerOrgID != prev.OwnerOrgID {
		fields["owner_org_id"] = "所属单位在编辑时不能更改"
	}
	if err := h.saveBlueprint(c, in.blueprint(), prev, fields); err != nil {
		return err
	}
	b, err := h.store.FindBlueprintByID(c.UserContext(), prev.ID)
	if err != nil {
		return err
	}
	return h.blueprintOut(c, b)
}

func (h *Handler) apiDrawBlueprint(c *fiber.Ctx) error {
	b, err := h.blueprintParam(c, "read")
	if err != nil {
		return err
	}
	return h.apiDraw(c, Source{BlueprintID: b.ID})
}

// apiDraw answers a preview of src's draw with the seed asked for (or a fresh one).
func (h *Handler) apiDraw(c *fiber.Ctx, src Source) error {
	seed, err := seedParam(c)
	if err != nil {
		return err
	}
	p, err := h.store.PreviewDraw(c.UserContext(), src, seed)
	if err != nil {
		return err
	}
	if p.Items == nil {
		p.Items = []PreviewItem{}
	}
	return c.JSON(p)
}

func (h *Handler) apiListPapers(c *fiber.Ctx) error {
	f, err := listFilter(c)
	if err != nil {
		return err
	}
	list, err := h.store.FindPapers(c.UserContext(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*Paper{}
	}
	return c.JSON(listOut[*Paper]{Items: list, Total: len(list)})
}

// PaperInput is the API body that creates a fixed paper or changes one; as with
// blueprints, fields left out keep their value on a change.
type PaperInput struct {
	Name       string      `json:"name"`
	Level      int         `json:"level"`
	Part       string      `json:"part"`
	OwnerOrgID int64       `json:"owner_org_id"`
	Tolerance  float64     `json:"tolerance"`
	Items      []PaperItem `json:"items"`
	Note       string      `json:"note"`
	Revision   int         `json:"revision"`
}

func (in PaperInput) paper() *Paper {
	return &Paper{Name: in.Name, Level: in.Level, Part: in.Part, OwnerOrgID: in.OwnerOrgID, Tolerance: in.Tolerance,
		Items: in.Items, Note: in.Note, Revision: in.Revision}
}

// paperOut is a fixed paper with its comparison against the weight table.
type paperOut struct {
	*Paper
	Balance *Balance `json:"balance"`
}

func (h *Handler) paperOut(c *fiber.Ctx, p *Paper) error {
	sv, err := h.store.Standard(c.UserContext())
	if err != nil {
		return err
	}
	qs, err := h.store.PaperQuestions(c.UserContext(), p)
	if err != nil {
		return err
	}
	return c.JSON(paperOut{Paper: p, Balance: p.Balance(sv.Definition, qs)})
}

func (h *Handler) apiCreatePaper(c *fiber.Ctx) error {
	in := PaperInput{Tolerance: DefaultTolerance}
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	p := in.paper()
	if err := h.savePaper(c, p, nil, nil); err != nil {
		return err
	}
	p, err := h.store.FindPaperByID(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	c.Status(fiber.StatusCreated)
	return h.paperOut(c, p)
}

func (h *Handler) apiShowPaper(c *fiber.Ctx) error {
	p, err := h.paperParam(c, "read")
	if err != nil {
		return err
	}
	return h.paperOut(c, p)
}

func (h *Handler) apiUpdatePaper(c *fiber.Ctx) error {
	prev, err := h.paperParam(c, "write")
	if err != nil {
		return err
	}
	in := PaperInput{Name: prev.Name, Level: prev.Level, Part: prev.Part, OwnerOrgID: prev.OwnerOrgID,
		Tolerance: prev.Tolerance, Items: prev.Items, Note: prev.Note, Revision: prev.Revision}
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	if in.OwnerOrgID != prev.OwnerOrgID {
		fields["owner_org_id"] = "所属单位在编辑时不能更改"
	}
	if err := h.savePaper(c, in.paper(), prev, fields); err != nil {
		return err
	}
	p, err := h.store.FindPaperByID(c.UserContext(), prev.ID)
	if err != nil {
		return err
	}
	return h.paperOut(c, p)
}

func (h *Handler) apiDrawPaper(c *fiber.Ctx) error {
	p, err := h.paperParam(c, "read")
	if err != nil {
		return err
	}
	return h.apiDraw(c, Source{PaperID: p.ID})
}
