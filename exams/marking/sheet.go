package marking

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/exams/bank"
)

// A paper score sheet (纸质评分表) is filled in at a simulated window on exam day; an
// assessor enters it afterwards as a grid of candidates × rubric criteria. Each row is
// the assessor's mark of that candidate's task, exactly as if marked on the marking page.

// SheetRow is one candidate on a score sheet with the caller's marks, if any.
type SheetRow struct {
	AttemptID int64     `json:"attempt_id"`
	Idx       int       `json:"idx"`
	Name      string    `json:"name"`
	Seat      string    `json:"seat"`
	Status    string    `json:"status"`
	Criteria  []float64 `json:"criteria,omitempty"`
	Open      bool      `json:"open"` // the caller may enter or change this row
}

// Sheet is the grid for one practical task of a session.
type Sheet struct {
	Session   *examSession     `json:"session"`
	Questions []*bank.Question `json:"-"`
	Question  *bank.Question   `json:"question"`
	Rows      []SheetRow       `json:"rows"`
}

// Value is the caller's mark in criterion k of row, "" when none.
func (r SheetRow) Value(k int) string {
	if k < len(r.Criteria) {
		return fmtNum(r.Criteria[k])
	}
	return ""
}

type sheetItem struct {
	ItemMark `bun:",extend"`
	Name     string `bun:"name,scanonly"`
	Seat     string `bun:"seat,scanonly"`
}

// FindSheet returns the score sheet of one practical task (questionID; 0 picks the
// session's first) in a session the caller assesses.
func (s *Store) FindSheet(ctx context.Context, actor, sessionID, questionID int64) (*Sheet, error) {
	if err := mustAssess(ctx, s.db, sessionID, actor); err != nil {
		return nil, err
	}
	sh := &Sheet{Rows: []SheetRow{}}
	var err error
	if sh.Session, err = findSession(ctx, s.db, sessionID); err != nil {
		return nil, err
	}
	var ids []int64
	err = s.db.NewSelect().Model((*ItemMark)(nil)).Distinct().Column("question_id").
		Where("session_id = ? AND qtype = ?", sessionID, bank.Practical).Order("question_id").Scan(ctx, &ids)
	if err != nil || len(ids) == 0 {
		return sh, err
	}
	qs, err := loadQuestions(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		sh.Questions = append(sh.Questions, qs[id])
	}
	if sh.Question = qs[questionID]; sh.Question == nil {
		sh.Question = sh.Questions[0]
	}
	return sh, s.fillSheet(ctx, actor, sh)
}

func (s *Store) fillSheet(ctx context.Context, actor int64, sh *Sheet) error {
	var items []sheetItem
	err := s.db.NewSelect().Model(&items).ColumnExpr("im.*").ColumnExpr("u.display_name AS name, COALESCE(sc.seat, '') AS seat").
		Join("JOIN attempts AS a ON a.id = im.attempt_id").Join("JOIN users AS u ON u.id = a.user_id").
		Join("LEFT JOIN session_candidates AS sc ON sc.session_id = a.session_id AND sc.user_id = a.user_id").
		Where("im.session_id = ? AND im.question_id = ?", sh.Session.ID, sh.Question.ID).
		OrderExpr("seat, u.display_name, im.attempt_id").Scan(ctx)
	if err != nil {
		return err
	}
	_, marks, err := sessionHandItems(ctx, s.db, sh.Session.ID)
	if err != nil {
		return err
	}
	for i := range items {
		it := &items[i]
		k := itemKey{it.AttemptID, it.Idx}
		row := SheetRow{AttemptID: it.AttemptID, Idx: it.Idx, Name: it.Name, Seat: it.Seat, Status: it.Status}
		if mine := findMine(marks[k], actor); mine != nil {
			row.Criteria, row.Open = mine.Criteria, true
		} else {
			row.Open = nextRole(&it.ItemMark, marks[k]) != ""
		}
		sh.Rows = append(sh.Rows, row)
	}
	return nil
}

// SheetEntry is one filled row of a score sheet.
type SheetEntry struct {
	AttemptID int64     `json:"attempt_id"`
	Idx       int       `json:"idx"`
	Criteria  []float64 `json:"criteria"`
}

// SaveSheet enters a score sheet for one practical task: every row or none, so a typing
// slip in one row leaves the sheet to be corrected and sent again.
func (s *Store) SaveSheet(ctx context.Context, actor, sessionID, questionID int64, rows []SheetEntry, reason string) (int, error) {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := mustAssess(ctx, tx, sessionID, actor); err != nil {
			return err
		}
		if len(rows) == 0 {
			return web.Invalid(map[string]string{"rows": "评分表中没有填写任何分数"})
		}
		for i, r := range rows {
			m, err := lockItem(ctx, tx, sessionID, r.AttemptID, r.Idx)
			if err != nil {
				return err
			}
			if m.QuestionID != questionID {
				return web.Invalid(map[string]string{"rows": fmt.Sprintf("第%d行不是这道实操题", i+1)})
			}
			in := MarkInput{AttemptID: r.AttemptID, Idx: r.Idx, Criteria: r.Criteria, Reason: reason}
			if _, err := s.saveMark(ctx, tx, actor, sessionID, in, "sheet"); err != nil {
				return rowError(i, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(rows), nil
}

// rowError names the sheet row a problem is in.
func rowError(i int, err error) error {
	if web.ErrorCode(err) == web.EINTERNAL {
		return err
	}
	return web.Errorf(web.ErrorCode(err), "第%d行：%s", i+1, web.ErrorMessage(err))
}
