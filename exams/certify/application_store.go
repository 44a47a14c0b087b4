package certify

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exams"
)

// Apply files an application of the person for a level, with the evaluation of its
// rules today. One open application per person and level: when one exists (or a
// concurrent apply wins the race) the answer is a conflict naming it. actor is the clerk
// applying for themselves or HR applying for them.
func (s *Store) Apply(ctx context.Context, actor, staffID int64, level int) (*ApplicationRow, error) {
	p, err := findApplicant(ctx, s.db, staffID)
	if err != nil {
		return nil, err
	}
	if !p.Active {
		return nil, web.Invalid(map[string]string{"person": p.Name + " 已停用，不能申报"})
	}
	if err := s.refuseHeldLevel(ctx, staffID, level); err != nil {
		return nil, err
	}
	ev, err := s.evaluate(ctx, s.db, staffID, level)
	if err != nil {
		return nil, err
	}
	a, err := s.newApplication(actor, p, ev)
	if err != nil {
		return nil, err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(a).Returning("id").Exec(ctx); err != nil {
			return err
		}
		return s.auditApply(ctx, tx, actor, "application.create", "cert_application", a.ID, a.OrgID,
			map[string]any{"staff_id": staffID, "level": level, "eligible": a.Eligible})
	})
	if db.IsUniqueViolation(err) {
		return nil, s.openConflict(ctx, staffID, level)
	}
	if err != nil {
		return nil, fmt.Errorf("apply: %w", err)
	}
	return s.FindApplicationByID(ctx, a.ID)
}

func (s *Store) newApplication(actor int64, p *Applicant, ev *Evaluation) (*Application, error) {
	b, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	now := s.now()
	a := &Application{StaffID: p.StaffID, OrgID: p.OrgID, Level: ev.Level, StandardVersionID: ev.StandardVersionID,
		Status: AppSubmitted, Eligible: ev.Eligible, Evaluation: b, CreatedAt: now, UpdatedAt: now}
	if actor != 0 {
		a.CreatedBy = &actor
	}
	return a, nil
}

// refuseHeldLevel refuses a level the person already holds, or a lower one.
func (s *Store) refuseHeldLevel(ctx context.Context, staffID int64, level int) error {
	held, err := heldCerts(ctx, s.db, staffID, dateOf(s.now()))
	if err != nil {
		return err
	}
	for _, c := range held {
		if c.Level <= level {
			return web.Invalid(map[string]string{"level": fmt.Sprintf("已持有本职业%s证书（%s），无需申报%s", exams.LevelName(c.Level), c.Number, exams.LevelName(level))})
		}
	}
	return nil
}

// openConflict names the open application that holds the person's place for the level.
func (s *Store) openConflict(ctx context.Context, staffID int64, level int) error {
	list, _, err := s.FindApplications(ctx, ApplicationFilter{StaffID: staffID, Level: level, Limit: 20})
	if err != nil {
		return err
	}
	for _, a := range list {
		if a.Open() {
			return web.Errorf(web.ECONFLICT, "%s已有一份%s申报（第 %d 号，%s），不能重复申报", a.Name, a.LevelName(), a.ID, a.StatusLabel())
		}
	}
	return web.Errorf(web.ECONFLICT, "已有一份未结束的%s申报，不能重复申报", exams.LevelName(level))
}
