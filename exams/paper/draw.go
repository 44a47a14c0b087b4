package paper

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/exams/bank"
)

// Source names where one exam part's questions come from: a blueprint drawn per
// candidate, or a fixed paper. Exactly one of the two is set.
type Source struct {
	BlueprintID int64 `json:"blueprint_id,omitempty"`
	PaperID     int64 `json:"paper_id,omitempty"`
	// Revision, with PaperID, is the fixed paper's revision as the caller read it; a draw
	// at a revision read before takes the paper from memory (see fixedPapers).
	Revision int `json:"-"`
}

// Item is one question of a candidate's paper: the question version, the points it
// carries on this paper, and the option order shown (Perm[i] is the original index of
// the option shown in place i; empty for questions without options).
type Item struct {
	QuestionID int64   `json:"question_id"`
	Points     float64 `json:"points"`
	Perm       []int   `json:"perm,omitempty"`
}

// Draw returns a candidate's own paper from src. The same seed over the same bank gives
// the same questions in the same order with the same option order; different seeds give
// different picks where the pool allows. A blueprint draws the latest active version of
// questions in the exam pool (exam or both) carrying the level, within each row's branch,
// honouring the difficulty mix where it can; questions come grouped by type. A draw that
// cannot be filled is invalid and names each branch and type short of questions.
//
// Draw only reads. Whoever stores the items must call bank.MarkUsed on their question
// ids inside the same transaction.
func (s *Store) Draw(ctx context.Context, src Source, seed int64) ([]Item, error) {
	switch {
	case src.BlueprintID != 0 && src.PaperID == 0:
		b, err := s.findBlueprintRows(ctx, src.BlueprintID)
		if err != nil {
			return nil, err
		}
		items, short, err := s.drawBlueprint(ctx, b, seed)
		if err != nil {
			return nil, err
		}
		if len(short) > 0 {
			return nil, s.shortageError(ctx, short)
		}
		return items, nil
	case src.PaperID != 0 && src.BlueprintID == 0:
		return s.drawPaper(ctx, src, seed)
	}
	return nil, web.Errorf(web.EINVALID, "试卷来源须为组卷方案或固定试卷之一")
}

// findBlueprintRows reads just what a draw needs, without the owner join.
func (s *Store) findBlueprintRows(ctx context.Context, id int64) (*Blueprint, error) {
	b := new(Blueprint)
	err := s.db.NewSelect().Model(b).Column("id", "level", "part", "mix", "spec_rows").Where("b.id = ?", id).Scan(ctx)
	return b, notFound(err, "组卷方案")
}

// candidate is what a draw needs to know of a question, no more.
type candidate struct {
	ID         int64     `bun:"id"`
	Type       bank.Type `bun:"type"`
	Code       string    `bun:"code"`
	Difficulty int       `bun:"difficulty"`
	NOptions   int       `bun:"n_options"`
}

// optionCount is the SQL for the number of options in the JSON column, 0 when none.
func (s *Store) optionCount() string {
	if db.IsPostgres(s.db) {
		return "CASE WHEN jsonb_typeof(q.options) = 'array' THEN jsonb_array_length(q.options) ELSE 0 END"
	}
	return "CASE WHEN json_type(q.options) = 'array' THEN json_array_length(q.options) ELSE 0 END"
}

// candidates loads, in one query ordered by id, every question any row of b may draw.
func (s *Store) candidates(ctx context.Context, b *Blueprint) ([]candidate, error) {
	var types []bank.Type
	var codes []string
	var args []any
	for _, r := range b.Rows {
		if !slices.Contains(types, r.Type) {
			types = append(types, r.Type)
		}
	}
	for _, code := range outerCodes(b.Rows) {
		codes = append(codes, "q.code = ? OR q.code LIKE ?")
		args = append(args, code, code+".%")
	}
	var out []candidate
	if len(b.Rows) == 0 {
		return out, nil
	}
	err := s.db.NewSelect().TableExpr("questions AS q").
		Column("q.id", "q.type", "q.code", "q.difficulty").ColumnExpr(s.optionCount()+" AS n_options").
		Where("q.latest = ? AND q.status = ?", true, bank.StatusActive).
		Where("q.pool IN (?, ?)", bank.PoolExam, bank.PoolBoth).
		Where("(q.levels & ?) <> 0", int(bank.LevelsOf(b.Level))).
		Where("q.type IN (?)", bun.In(types)).
		Where("("+strings.Join(codes, " OR ")+")", args...).
		OrderExpr("q.id").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("load draw candidates: %w", err)
	}
	return out, nil
}

// outerCodes lists the rows' branches once each, leaving out those inside another.
func outerCodes(rows []Row) []string {
	var out []string
	for _, r := range rows {
		inside := false
		for _, o := range rows {
			inside = inside || (o.Code != r.Code && exams.Within(r.Code, o.Code))
		}
		if !inside && !slices.Contains(out, r.Code) {
			out = append(out, r.Code)
		}
	}
	return out
}

// newRand is the draw's generator: the seed alone decides every pick and permutation.
func newRand(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
}

// drawBlueprint picks every row's questions and returns them grouped by type, or the
// rows that fall short.
func (s *Store) drawBlueprint(ctx context.Context, b *Blueprint, seed int64) ([]Item, []Shortage, error) {
	cands, err := s.candidates(ctx, b)
	if err != nil {
		return nil, nil, err
	}
	picks, short := pickAll(newRand(seed), b, cands)
	return picks, short, nil
}

// drawPaper gives a fixed paper's items in order, with each candidate's option order.
func (s *Store) drawPaper(ctx context.Context, src Source, seed int64) ([]Item, error) {
	fp, err := s.fixedPaper(ctx, src)
	if err != nil {
		return nil, err
	}
	rng := newRand(seed)
	out := make([]Item, len(fp.items))
	for i, it := range fp.items {
		out[i] = Item{QuestionID: it.QuestionID, Points: it.Points, Perm: perm(rng, fp.options[it.QuestionID])}
	}
	return out, nil
}

// fixedPaper returns what a draw needs of a fixed paper: from memory when src names a
// revision read before, else read (and kept under the revision read).
func (s *Store) fixedPaper(ctx context.Context, src Source) (*fixedDraw, error) {
	if fp := s.fixed.get(src.PaperID, src.Revision); fp != nil {
		return fp, nil
	}
	p := new(Paper)
	if err := s.db.NewSelect().Model(p).Column("id", "items", "revision").Where("p.id = ?", src.PaperID).Scan(ctx); err != nil {
		return nil, notFound(err, "固定试卷")
	}
	var rows []candidate
	err := s.db.NewSelect().TableExpr("questions AS q").Column("q.id", "q.type", "q.code", "q.difficulty").
		ColumnExpr(s.optionCount()+" AS n_options").Where("q.id IN (?)", bun.In(p.QuestionIDs())).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("load paper questions: %w", err)
	}
	fp := &fixedDraw{revision: p.Revision, items: p.Items, options: make(map[int64]int, len(rows))}
	for _, r := range rows {
		fp.options[r.ID] = permutable(r)
	}
	s.fixed.put(p.ID, fp)
	return fp, nil
}

// permutable is how many options a candidate's question has to shuffle: choice
// questions only.
func permutable(c candidate) int {
	if c.Type == bank.Single || c.Type == bank.Multiple {
		return c.NOptions
	}
	return 0
}

func perm(rng *rand.Rand, n int) []int {
	if n < 2 {
		return nil
	}
	return rng.Perm(n)
}

// Shortage is one row of a blueprint the bank cannot fill.
type Shortage struct {
	Code string    `json:"code"`
	Name string    `json:"name"`
	Type bank.Type `json:"type"`
	Need int       `json:"need"`
	Have int       `json:"have"`
}

// Message says what is missing, e.g. "2 受理与初审：单选题缺 3 题（需要 8 题，可用 5 题）".
func (sh Shortage) Message() string {
	return fmt.Sprintf("%s %s：%s缺 %d 题（需要 %d 题，题库中符合条件的只有 %d 题）",
		sh.Code, sh.Name, sh.Type.Label(), sh.Need-sh.Have, sh.Need, sh.Have)
}

// shortageError names every branch and type short of questions.
func (s *Store) shortageError(ctx context.Context, short []Shortage) error {
	s.nameShortages(ctx, short)
	f := make(map[string]string, len(short))
	for _, sh := range short {
		f["shortage."+sh.Code+"."+string(sh.Type)] = sh.Message()
	}
	return web.Invalid(f)
}

// nameShortages fills in branch names from the standard in force; only failed draws pay
// for reading it.
func (s *Store) nameShortages(ctx context.Context, short []Shortage) {
	sv, err := s.Standard(ctx)
	if err != nil {
		return
	}
	for i := range short {
		short[i].Name = sv.Definition.BranchName(short[i].Code)
	}
}

// CheckFillable reports the rows of a blueprint the bank cannot fill now, named by
// branch and type; an empty list means every draw will succeed. Forms call it after a
// save to warn.
func (s *Store) CheckFillable(ctx context.Context, blueprintID int64) ([]Shortage, error) {
	b, err := s.findBlueprintRows(ctx, blueprintID)
	if err != nil {
		return nil, err
	}
	_, short, err := s.drawBlueprint(ctx, b, 0)
	if err != nil {
		return nil, err
	}
	s.nameShortages(ctx, short)
	return short, nil
}
