package marking

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/exams/bank"
)

// Store marks attempts and keeps marks, audit, releases, results and reviews.
type Store struct {
	db        *bun.DB
	standards *exams.Store
	now       func() time.Time
	versions  sync.Map // standard version id → *exams.Standard; versions never change
	questions sync.Map // question version id → *bank.Question, for grading; see paperQuestions
	cached    atomic.Int64
}

// maxCachedQuestions bounds the question cache; past it the cache starts afresh.
const maxCachedQuestions = 20000

// NewStore returns a marking store over d that reads standard versions from standards.
func NewStore(d *bun.DB, standards *exams.Store, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: d, standards: standards, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// MarkAttempt marks a closed attempt: objective items get their score at once (with the
// question's partial credit, scaled to the item's points on the paper), hand-marked ones
// join the marking queue, and the part result is computed. It is idempotent: a second
// call, even a concurrent one, finds the attempt claimed and leaves the one set of marks
// alone.
func (s *Store) MarkAttempt(ctx context.Context, attemptID int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return s.MarkAttemptTx(ctx, tx, attemptID)
	})
}

// MarkAttemptTx is MarkAttempt inside the caller's transaction: the exam-session engine
// marks in the transaction that closes the attempt, so a submit commits once.
func (s *Store) MarkAttemptTx(ctx context.Context, tx bun.IDB, attemptID int64) error {
	a, err := findAttempt(ctx, tx, attemptID)
	if err != nil {
		return err
	}
	if a.Status == attemptOpen {
		return web.Errorf(web.ECONFLICT, "答卷尚未交卷，不能评分")
	}
	claim := &markedAttempt{AttemptID: a.ID, SessionID: a.SessionID, MarkedAt: s.now()}
	res, err := tx.NewInsert().Model(claim).On("CONFLICT (attempt_id) DO NOTHING").Exec(ctx)
	if err != nil {
		return fmt.Errorf("claim attempt %d: %w", a.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	return s.markItems(ctx, tx, a)
}

// markItems writes the item marks of a claimed attempt, audits the automatic scores and
// stores the part result.
func (s *Store) markItems(ctx context.Context, tx bun.IDB, a *attempt) error {
	items, answers, err := loadPaper(ctx, tx, a.ID)
	if err != nil {
		return err
	}
	qs, err := s.paperQuestions(ctx, tx, items)
	if err != nil {
		return err
	}
	set, err := findSettings(ctx, tx, a.SessionID)
	if err != nil {
		return err
	}
	now := s.now()
	marks := make([]*ItemMark, 0, len(items))
	var audit []*AuditEntry
	for _, it := range items {
		q := qs[it.QuestionID]
		if q == nil {
			return fmt.Errorf("attempt %d item %d: question %d missing", a.ID, it.Idx, it.QuestionID)
		}
		m := markItem(a, it, q, answers[it.Idx], set, now)
		marks = append(marks, m)
		if m.Score != nil {
			audit = append(audit, &AuditEntry{SessionID: a.SessionID, AttemptID: a.ID, Idx: m.Idx, At: now,
				NewScore: m.Score, Source: SourceAuto, Reason: "客观题自动判分"})
		}
	}
	if len(marks) > 0 {
		if _, err := tx.NewInsert().Model(&marks).Exec(ctx); err != nil {
			return fmt.Errorf("insert item marks: %w", err)
		}
	}
	if len(audit) > 0 {
		if _, err := tx.NewInsert().Model(&audit).Exec(ctx); err != nil {
			return fmt.Errorf("insert audit: %w", err)
		}
	}
	return s.storeResult(ctx, tx, a, marks)
}

// loadPaper reads an attempt's items in order and its saved answers by index.
func loadPaper(ctx context.Context, tx bun.IDB, attemptID int64) ([]attemptItem, map[int]*bank.Response, error) {
	var items []attemptItem
	if err := tx.NewSelect().Model(&items).Where("attempt_id = ?", attemptID).Order("idx").Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("load attempt items: %w", err)
	}
	var ans []attemptAnswer
	if err := tx.NewSelect().Model(&ans).Where("attempt_id = ?", attemptID).Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("load answers: %w", err)
	}
	byIdx := make(map[int]*bank.Response, len(ans))
	for i := range ans {
		byIdx[ans[i].Idx] = &ans[i].Response
	}
	return items, byIdx, nil
}

// paperQuestions returns the question versions on a paper. The bank never edits a version
// in place (an edit makes a new version; only status, latest and used flags change), so
// what grading reads of a version never changes and is kept once loaded.
func (s *Store) paperQuestions(ctx context.Context, tx bun.IDB, items []attemptItem) (map[int64]*bank.Question, error) {
	out := make(map[int64]*bank.Question, len(items))
	var missing []int64
	for _, it := range items {
		if q, ok := s.questions.Load(it.QuestionID); ok {
			out[it.QuestionID] = q.(*bank.Question)
		} else if _, seen := out[it.QuestionID]; !seen {
			missing = append(missing, it.QuestionID)
		}
	}
	loaded, err := loadQuestions(ctx, tx, missing)
	if err != nil {
		return nil, err
	}
	if s.cached.Add(int64(len(loaded))) > maxCachedQuestions {
		s.questions.Clear()
		s.cached.Store(int64(len(loaded)))
	}
	for id, q := range loaded {
		s.questions.Store(id, q)
		out[id] = q
	}
	return out, nil
}

// markItem is the first mark of one item: objective items are graded with the
// question's partial credit and scaled from its own score to the item's points; others
// wait for an assessor.
func markItem(a *attempt, it attemptItem, q *bank.Question, r *bank.Response, set *Settings, now time.Time) *ItemMark {
	m := &ItemMark{AttemptID: a.ID, Idx: it.Idx, SessionID: a.SessionID, QuestionID: q.ID, Type: q.Type,
		Code: q.Code, Points: it.Points, Status: StatusPending, UpdatedAt: now}
	resp := bank.Response{}
	if r != nil {
		resp = *r
	}
	m.Choice, m.Answered = choiceOf(q.Type, resp)
	if !q.Type.Objective() {
		m.DoubleMarked = set.DoublePractical && q.Type == bank.Practical
		return m
	}
	res, _ := q.Grade(resp)
	m.Score, m.Status = ptr(scale(res.Points, q.Score, it.Points)), StatusAuto
	return m
}

// scale turns marks on a question's own scale into the item's points on the paper.
func scale(raw float64, questionScore int, points float64) float64 {
	if questionScore <= 0 {
		return 0
	}
	return round2(raw / float64(questionScore) * points)
}

// choiceOf records what was chosen for item analysis (sorted original letters, or T/F
// for a judgement) and whether anything was answered at all.
func choiceOf(t bank.Type, r bank.Response) (string, bool) {
	switch t {
	case bank.Single, bank.Multiple:
		var b []byte
		for _, c := range []byte(strings.ToUpper(r.Choice)) {
			if strings.IndexByte(bank.Letters, c) >= 0 && !slices.Contains(b, c) {
				b = append(b, c)
			}
		}
		slices.Sort(b)
		return string(b), len(b) > 0
	case bank.Judge:
		if r.Judge == nil {
			return "", false
		}
		if *r.Judge {
			return "T", true
		}
		return "F", true
	case bank.Fill:
		return "", slices.ContainsFunc(r.Blanks, func(s string) bool { return strings.TrimSpace(s) != "" })
	}
	return "", strings.TrimSpace(r.Text) != ""
}

// FindSettings returns a session's marking settings, the defaults when none are saved.
func (s *Store) FindSettings(ctx context.Context, sessionID int64) (*Settings, error) {
	return findSettings(ctx, s.db, sessionID)
}

func findSettings(ctx context.Context, tx bun.IDB, sessionID int64) (*Settings, error) {
	set := &Settings{SessionID: sessionID}
	err := tx.NewSelect().Model(set).WherePK().Scan(ctx)
	if db.IsNoRows(err) {
		return &Settings{SessionID: sessionID, ReviewDays: DefaultReviewDays}, nil
	}
	return set, err
}

// SaveSettings stores a session's marking settings. Items already waiting for marks keep
// the double-marking rule they were queued with.
func (s *Store) SaveSettings(ctx context.Context, actor int64, set *Settings) error {
	if err := set.Validate(); err != nil {
		return err
	}
	set.UpdatedBy, set.UpdatedAt = &actor, s.now()
	_, err := s.db.NewInsert().Model(set).On("CONFLICT (session_id) DO UPDATE").
		Set("double_practical = EXCLUDED.double_practical").Set("margin = EXCLUDED.margin").
		Set("review_days = EXCLUDED.review_days").Set("updated_by = EXCLUDED.updated_by").
		Set("updated_at = EXCLUDED.updated_at").Exec(ctx)
	return err
}

// standard returns a standard version's definition; versions never change, so they are
// kept once loaded. It reads through tx, never the pool: on SQLite a transaction holds the
// one write lock, and a second connection taken inside it waits behind writers that wait
// for this one, until busy_timeout fails them (seen as minutes-long stalls and 503s when
// 500 candidates submit at once right after a restart, with the cache still empty).
func (s *Store) standard(ctx context.Context, tx bun.IDB, id int64) (*exams.Standard, error) {
	if v, ok := s.versions.Load(id); ok {
		return v.(*exams.Standard), nil
	}
	v := new(exams.StandardVersion)
	if err := tx.NewSelect().Model(v).Where("sv.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("standard version %d: %w", id, err)
	}
	s.versions.Store(id, v.Definition)
	return v.Definition, nil
}
