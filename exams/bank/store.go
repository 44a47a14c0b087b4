package bank

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exams"
)

// Standards gives the standard in force; questions are checked against it.
type Standards interface {
	CurrentStandard(ctx context.Context) (*exams.StandardVersion, error)
}

// Store reads and writes the question bank.
type Store struct {
	db  *bun.DB
	std Standards
	now func() time.Time
}

// NewStore returns a bank store over d, checking codes against std.
func NewStore(d *bun.DB, std Standards, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: d, std: std, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// Standard returns the definition in force.
func (s *Store) Standard(ctx context.Context) (*exams.Standard, error) {
	v, err := s.std.CurrentStandard(ctx)
	if err != nil {
		return nil, err
	}
	return v.Definition, nil
}

// Filter narrows FindQuestions. OwnerScope holds org paths; nil means every owner.
type Filter struct {
	OwnerScope  []string
	Type        Type
	Level       int
	Code        string // this branch and everything under it
	Difficulty  int
	Pool        Pool // exam: exam and both; practice: practice and both
	Status      string
	Query       string // in the stem or the knowledge point
	AllVersions bool
	Offset      int
	Limit       int
}

// FindQuestions lists questions (the latest version of each unless AllVersions) with the
// total for paging.
func (s *Store) FindQuestions(ctx context.Context, f Filter) ([]*Question, int, error) {
	var out []*Question
	q := s.db.NewSelect().Model(&out)
	q = f.apply(q)
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 50
	}
	n, err := q.OrderExpr("q.code, q.id").Offset(int64(max(f.Offset, 0))).Limit(int64(f.Limit)).ScanAndCount(ctx)
	return out, int(n), err
}

func (f Filter) apply(q *bun.SelectQuery) *bun.SelectQuery {
	if !f.AllVersions {
		q = q.Where("q.latest = ?", true)
	}
	if f.OwnerScope != nil {
		q = whereOwnerIn(q, f.OwnerScope)
	}
	if f.Type != "" {
		q = q.Where("q.type = ?", f.Type)
	}
	if f.Level > 0 {
		q = q.Where("(q.levels & ?) <> 0", int(LevelsOf(f.Level)))
	}
	if f.Code != "" {
		q = q.Where("(q.code = ? OR q.code LIKE ?)", f.Code, f.Code+".%")
	}
	if f.Difficulty > 0 {
		q = q.Where("q.difficulty = ?", f.Difficulty)
	}
	if f.Pool == PoolExam || f.Pool == PoolPractice {
		q = q.Where("q.pool IN (?, ?)", f.Pool, PoolBoth)
	}
	if f.Status != "" {
		q = q.Where("q.status = ?", f.Status)
	}
	if v := strings.TrimSpace(f.Query); v != "" {
		q = q.Where("(q.stem LIKE ? OR q.point LIKE ?)", "%"+v+"%", "%"+v+"%")
	}
	return q
}

// whereOwnerIn keeps questions whose owning unit lies in one of the subtrees.
func whereOwnerIn(q *bun.SelectQuery, scope []string) *bun.SelectQuery {
	if len(scope) == 0 {
		return q.Where("1 = 0")
	}
	return q.Where("q.owner_org_id IN (SELECT id FROM org_units WHERE "+ownerRanges(len(scope))+")", rangeArgs(scope)...)
}

func ownerRanges(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = "(path >= ? AND path < ?)"
	}
	return strings.Join(parts, " OR ")
}

func rangeArgs(scope []string) []any {
	args := make([]any, 0, 2*len(scope))
	for _, p := range scope {
		args = append(args, p, p[:len(p)-1]+"0")
	}
	return args
}

// FindQuestionByID returns one version.
func (s *Store) FindQuestionByID(ctx context.Context, id int64) (*Question, error) {
	q := new(Question)
	err := s.db.NewSelect().Model(q).Where("q.id = ?", id).Scan(ctx)
	return q, notFound(err)
}

// FindQuestionsByIDs returns the given versions keyed by id.
func (s *Store) FindQuestionsByIDs(ctx context.Context, ids []int64) (map[int64]*Question, error) {
	out := map[int64]*Question{}
	if len(ids) == 0 {
		return out, nil
	}
	var list []*Question
	if err := s.db.NewSelect().Model(&list).Where("q.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	for _, q := range list {
		out[q.ID] = q
	}
	return out, nil
}

// FindVersions lists every version of a question, newest first.
func (s *Store) FindVersions(ctx context.Context, familyID int64) ([]*Question, error) {
	var out []*Question
	err := s.db.NewSelect().Model(&out).Where("q.family_id = ?", familyID).OrderExpr("q.version DESC").Scan(ctx)
	return out, err
}

func notFound(err error) error {
	if db.IsNoRows(err) {
		return web.Errorf(web.ENOTFOUND, "题目不存在")
	}
	return err
}

// CreateQuestion adds a new question as version 1.
func (s *Store) CreateQuestion(ctx context.Context, actor int64, q *Question) error {
	return s.CreateQuestions(ctx, actor, []*Question{q})
}

// CreateQuestions adds many questions in one transaction: all or none.
func (s *Store) CreateQuestions(ctx context.Context, actor int64, qs []*Question) error {
	return s.ImportQuestions(ctx, actor, qs, nil)
}

func (s *Store) insertFirst(ctx context.Context, tx bun.Tx, actor int64, q *Question) error {
	q.Version, q.Latest, q.Status, q.Used = 1, true, StatusActive, false
	q.CreatedAt = s.now()
	if actor != 0 {
		q.CreatedBy = &actor
	}
	if _, err := tx.NewInsert().Model(q).Returning("id").Exec(ctx); err != nil {
		return err
	}
	q.FamilyID = q.ID
	_, err := tx.NewUpdate().Model(q).Column("family_id").WherePK().Exec(ctx)
	return err
}

// UpdateQuestion saves an edit as a new version of the family of id, which must be its
// latest version: an edit based on an older version is refused, so no change is lost.
func (s *Store) UpdateQuestion(ctx context.Context, actor, id int64, q *Question) error {
	std, err := s.Standard(ctx)
	if err != nil {
		return err
	}
	if err := q.Validate(std); err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		prev := new(Question)
		if err := tx.NewSelect().Model(prev).Where("q.id = ?", id).Scan(ctx); err != nil {
			return notFound(err)
		}
		if !prev.Latest {
			return web.Errorf(web.ECONFLICT, "该题已有更新的版本（可能已被他人修改），请刷新后再编辑")
		}
		res, err := tx.NewUpdate().Model(prev).Set("latest = ?", false).Where("id = ? AND latest = ?", prev.ID, true).Exec(ctx)
		if n, _ := res.RowsAffected(); err == nil && n == 0 {
			return web.Errorf(web.ECONFLICT, "该题已被他人修改，请刷新后再编辑")
		} else if err != nil {
			return err
		}
		return s.insertNext(ctx, tx, actor, prev, q)
	})
}

func (s *Store) insertNext(ctx context.Context, tx bun.Tx, actor int64, prev, q *Question) error {
	q.ID = 0
	q.FamilyID, q.Version, q.Latest, q.Status, q.Used = prev.FamilyID, prev.Version+1, true, prev.Status, false
	q.OwnerOrgID, q.CreatedAt = prev.OwnerOrgID, s.now()
	if actor != 0 {
		q.CreatedBy = &actor
	}
	_, err := tx.NewInsert().Model(q).Returning("id").Exec(ctx)
	if db.IsUniqueViolation(err) {
		return web.Errorf(web.ECONFLICT, "该题已被他人修改，请刷新后再编辑")
	}
	return err
}

// RemoveQuestion deletes a question nothing has used; a used one is retired instead, every
// version kept. Used means marked used by a paper or attempt, or referenced by any record
// (practice history, a paper): the database refuses the delete and the question is retired.
// It reports which happened.
func (s *Store) RemoveQuestion(ctx context.Context, familyID int64) (retired bool, err error) {
	retired, err = s.deleteUnused(ctx, familyID)
	if db.IsForeignKeyViolation(err) {
		return true, s.SetStatus(ctx, familyID, StatusRetired)
	}
	return retired, err
}

func (s *Store) deleteUnused(ctx context.Context, familyID int64) (retired bool, err error) {
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		used, err := tx.NewSelect().Model((*Question)(nil)).Where("family_id = ? AND used = ?", familyID, true).Exists(ctx)
		if err != nil {
			return err
		}
		if used {
			retired = true
			return setStatus(ctx, tx, familyID, StatusRetired)
		}
		res, err := tx.NewDelete().Model((*Question)(nil)).Where("family_id = ?", familyID).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return web.Errorf(web.ENOTFOUND, "题目不存在")
		}
		return nil
	})
	return retired, err
}

// SetStatus retires a question or brings a retired one back.
func (s *Store) SetStatus(ctx context.Context, familyID int64, status string) error {
	if status != StatusActive && status != StatusRetired {
		return web.Errorf(web.EINVALID, "状态须为 active 或 retired")
	}
	return setStatus(ctx, s.db, familyID, status)
}

func setStatus(ctx context.Context, tx bun.IDB, familyID int64, status string) error {
	res, err := tx.NewUpdate().Model((*Question)(nil)).Set("status = ?", status).Where("family_id = ?", familyID).Exec(ctx)
	if n, _ := res.RowsAffected(); err == nil && n == 0 {
		return web.Errorf(web.ENOTFOUND, "题目不存在")
	}
	return err
}

// MarkUsed records, inside the caller's transaction, that papers or attempts refer to
// these versions, so they are retired rather than deleted from now on.
func MarkUsed(ctx context.Context, tx bun.IDB, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := tx.NewUpdate().Model((*Question)(nil)).Set("used = ?", true).Where("id IN (?) AND used = ?", bun.In(ids), false).Exec(ctx)
	return err
}
