package paper

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"clerkskill/exams/bank"
)

// FindPapers lists fixed papers with their owning unit, newest first within level and
// part.
func (s *Store) FindPapers(ctx context.Context, f Filter) ([]*Paper, error) {
	var out []*Paper
	err := f.apply(ownedBy(s.db.NewSelect().Model(&out), "p"), "p").Scan(ctx)
	return out, err
}

// FindPaperByID returns one fixed paper with its owning unit.
func (s *Store) FindPaperByID(ctx context.Context, id int64) (*Paper, error) {
	p := new(Paper)
	err := ownedBy(s.db.NewSelect().Model(p), "p").Where("p.id = ?", id).Scan(ctx)
	return p, notFound(err, "固定试卷")
}

// PaperQuestions loads the question versions a paper names, keyed by id, in one query.
func (s *Store) PaperQuestions(ctx context.Context, p *Paper) (map[int64]*bank.Question, error) {
	return s.bank.FindQuestionsByIDs(ctx, p.QuestionIDs())
}

// CreatePaper validates p and stores it; its questions are marked used, so from now on
// they are retired rather than deleted.
func (s *Store) CreatePaper(ctx context.Context, actor int64, p *Paper) error {
	if err := s.validatePaper(ctx, p); err != nil {
		return err
	}
	if err := checkOwned(p.OwnerOrgID); err != nil {
		return err
	}
	p.ID, p.Revision, p.CreatedAt, p.UpdatedAt = 0, 1, s.now(), s.now()
	if actor != 0 {
		p.CreatedBy = &actor
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(p).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert paper: %w", err)
		}
		return bank.MarkUsed(ctx, tx, p.QuestionIDs())
	})
}

// UpdatePaper replaces paper id with p, which must be based on its current revision.
func (s *Store) UpdatePaper(ctx context.Context, id int64, p *Paper) error {
	if err := s.validatePaper(ctx, p); err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		prev := new(Paper)
		if err := tx.NewSelect().Model(prev).Where("p.id = ?", id).Scan(ctx); err != nil {
			return notFound(err, "固定试卷")
		}
		if p.Revision != prev.Revision {
			return staleEdit("固定试卷")
		}
		p.ID, p.OwnerOrgID, p.CreatedBy, p.CreatedAt = id, prev.OwnerOrgID, prev.CreatedBy, prev.CreatedAt
		p.Revision, p.UpdatedAt = prev.Revision+1, s.now()
		res, err := tx.NewUpdate().Model(p).ExcludeColumn("id", "owner_org_id", "created_by", "created_at").
			Where("id = ? AND revision = ?", id, prev.Revision).Exec(ctx)
		if err != nil {
			return fmt.Errorf("update paper: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return staleEdit("固定试卷")
		}
		return bank.MarkUsed(ctx, tx, p.QuestionIDs())
	})
}

// validatePaper checks p against the standard in force and its questions, and records
// the standard version it was checked against.
func (s *Store) validatePaper(ctx context.Context, p *Paper) error {
	sv, err := s.Standard(ctx)
	if err != nil {
		return err
	}
	qs, err := s.PaperQuestions(ctx, p)
	if err != nil {
		return err
	}
	p.StandardVersionID = sv.ID
	return p.Validate(sv.Definition, qs)
}
