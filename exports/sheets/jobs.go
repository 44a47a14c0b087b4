package sheets

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exports"
	"clerkskill/rbac"
)

// Job kinds and states.
const (
	KindRoster       = "roster"
	KindCertificates = "certificates"
	KindAssessment   = "assessment"

	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// AsyncRows is the size from which a roster or register export runs in the background.
const AsyncRows = 20000

// jobTTL is how long a finished export's file is kept; staleClaim is when a running job
// whose instance died is taken up again.
const (
	jobTTL     = 24 * time.Hour
	staleClaim = 30 * time.Minute
)

var kindLabels = map[string]string{KindRoster: "花名册", KindCertificates: "证书登记", KindAssessment: "年度考核表"}

// JobParams say what a job exports: the requester's scope for the kind, or one unit (and
// person) and year for assessments. Kinds registered from elsewhere (RegisterKind) read
// the unit (Path, OrgID), Period and RunID; Title names the file.
type JobParams struct {
	Scope   []string `json:"scope,omitempty"`
	Path    string   `json:"path,omitempty"`
	StaffID int64    `json:"staff_id,omitempty"`
	Year    int      `json:"year,omitempty"`
	OrgID   int64    `json:"org_id,omitempty"`
	Period  string   `json:"period,omitempty"`
	RunID   int64    `json:"run_id,omitempty"`
	Title   string   `json:"title,omitempty"`
}

// Kind is a job kind whose workbook another package writes, such as the pay sheet; app
// registers it at start, so this package need not import that one. Obj and Act are the
// permission needed at the job's unit to follow and fetch it. Write reports progress as
// rows written of total.
type Kind struct {
	Label    string
	Obj, Act string
	Write    func(ctx context.Context, w io.Writer, j *Job, progress func(done, total int)) error
}

// RegisterKind adds a job kind written outside this package. Call it while wiring,
// before RunJobs starts.
func (s *Store) RegisterKind(name string, k Kind) { s.kinds[name] = k }

// kindLabel is a kind's Chinese name, built in or registered.
func (s *Store) kindLabel(kind string) string {
	if l, ok := kindLabels[kind]; ok {
		return l
	}
	return s.kinds[kind].Label
}

// jobGuard is the permission that lets one follow and fetch a job of kind at its unit.
func (s *Store) jobGuard(kind string) (obj, act string) {
	if k, ok := s.kinds[kind]; ok && k.Obj != "" {
		return k.Obj, k.Act
	}
	return "export", "use"
}

// Job is a background export.
type Job struct {
	bun.BaseModel `bun:"table:export_jobs,alias:j"`

	ID         int64      `bun:"id,pk,autoincrement" json:"id"`
	UserID     int64      `bun:"user_id" json:"-"`
	Kind       string     `bun:"kind" json:"kind"`
	Params     JobParams  `bun:"params" json:"-"`
	OrgPath    string     `bun:"org_path" json:"-"`
	PIIScope   []string   `bun:"pii_scope" json:"-"`
	Status     string     `bun:"status" json:"status"`
	DoneRows   int        `bun:"done_rows" json:"done_rows"`
	TotalRows  int        `bun:"total_rows" json:"total_rows"`
	Filename   string     `bun:"filename" json:"filename"`
	Error      string     `bun:"error" json:"error,omitempty"`
	ClaimedAt  *time.Time `bun:"claimed_at" json:"-"`
	FinishedAt *time.Time `bun:"finished_at" json:"finished_at,omitempty"`
	ExpiresAt  *time.Time `bun:"expires_at" json:"expires_at,omitempty"`
	CreatedAt  time.Time  `bun:"created_at" json:"created_at"`
}

// Label is the kind's Chinese name.
func (j *Job) Label() string { return kindLabels[j.Kind] }

// Percent is the share of rows written, 0–100.
func (j *Job) Percent() int {
	if j.Status == JobDone {
		return 100
	}
	if j.TotalRows == 0 {
		return 0
	}
	return min(99, j.DoneRows*100/j.TotalRows)
}

// QueueJob records a background export for userID.
func (s *Store) QueueJob(ctx context.Context, userID int64, kind string, p JobParams) (*Job, error) {
	j := &Job{UserID: userID, Kind: kind, Params: p, OrgPath: p.orgPath(), PIIScope: s.PIIScope(userID), Status: JobQueued,
		CreatedAt: s.now(), Filename: fmt.Sprintf("%s-%s.xlsx", s.kindLabel(kind), s.now().Format("20060102-150405"))}
	if p.Title != "" {
		j.Filename = p.Title + ".xlsx"
	}
	if j.PIIScope == nil {
		j.PIIScope = []string{}
	}
	_, err := s.db.NewInsert().Model(j).Returning("id").Exec(ctx)
	return j, err
}

// orgPath is the unit a job covers: the assessed unit, or the first subtree exported.
func (p JobParams) orgPath() string {
	if p.Path != "" || len(p.Scope) == 0 {
		return p.Path
	}
	return p.Scope[0]
}

// FindJob returns a job; the caller checks export:use at its OrgPath.
func (s *Store) FindJob(ctx context.Context, id int64) (*Job, error) {
	j := new(Job)
	err := s.db.NewSelect().Model(j).Where("j.id = ?", id).Scan(ctx)
	return j, notFound(err, "导出任务")
}

// FindJobs lists userID's jobs of the last day, newest first.
func (s *Store) FindJobs(ctx context.Context, userID int64) ([]*Job, error) {
	var out []*Job
	err := s.db.NewSelect().Model(&out).Where("j.user_id = ? AND j.created_at > ?", userID, s.now().Add(-jobTTL)).
		OrderExpr("j.id DESC").Limit(20).Scan(ctx)
	return out, err
}

// claimJob takes the oldest queued job (or one whose runner died). On PostgreSQL the row
// lock with SKIP LOCKED lets exactly one of several instances take it; SQLite serves one.
func (s *Store) claimJob(ctx context.Context) (*Job, error) {
	var job *Job
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		j := new(Job)
		q := tx.NewSelect().Model(j).Where("j.status = ? OR (j.status = ? AND j.claimed_at < ?)", JobQueued, JobRunning,
			s.now().Add(-staleClaim)).OrderExpr("j.id").Limit(1)
		if db.IsPostgres(tx) {
			q = q.For("UPDATE SKIP LOCKED")
		}
		if err := q.Scan(ctx); err != nil {
			if db.IsNoRows(err) {
				return nil
			}
			return err
		}
		now := s.now()
		j.Status, j.ClaimedAt, j.DoneRows = JobRunning, &now, 0
		_, err := tx.NewUpdate().Model(j).Column("status", "claimed_at", "done_rows").WherePK().Exec(ctx)
		job = j
		return err
	})
	return job, err
}

// RunNextJob claims and runs one job; it reports whether there was one.
func (s *Store) RunNextJob(ctx context.Context) (bool, error) {
	j, err := s.claimJob(ctx)
	if err != nil || j == nil {
		return false, err
	}
	runErr := s.buildJobFile(ctx, j)
	now := s.now()
	j.FinishedAt = &now
	j.Status = JobDone
	if runErr != nil {
		j.Status, j.Error = JobFailed, web.ErrorMessage(runErr)
	} else {
		exp := now.Add(jobTTL)
		j.ExpiresAt = &exp
	}
	_, err = s.db.NewUpdate().Model(j).Column("status", "error", "finished_at", "expires_at", "done_rows", "total_rows").
		WherePK().Exec(ctx)
	return true, err
}

func (s *Store) writeJob(ctx context.Context, w io.Writer, j *Job) error {
	ids := exports.IDView{PII: rbac.Scope(j.PIIScope)}
	progress := func(done, total int) {
		j.DoneRows, j.TotalRows = done, total
		_, _ = s.db.NewUpdate().Model(j).Column("done_rows", "total_rows").WherePK().Exec(ctx)
	}
	var err error
	switch j.Kind {
	case KindRoster:
		_, err = s.WriteRoster(ctx, w, rbac.Scope(j.Params.Scope), ids, progress)
	case KindCertificates:
		_, err = s.WriteRegister(ctx, w, rbac.Scope(j.Params.Scope), ids, progress)
	case KindAssessment:
		err = s.WriteAssessmentBook(ctx, w, j.Params.Path, j.Params.StaffID, j.Params.Year, ids)
	default:
		k, ok := s.kinds[j.Kind]
		if !ok {
			return fmt.Errorf("unknown export kind %q", j.Kind)
		}
		err = k.Write(ctx, w, j, progress)
	}
	return err
}

// WriteAssessmentBook reads and writes the 考核表 workbook of a unit (or one person).
func (s *Store) WriteAssessmentBook(ctx context.Context, w io.Writer, path string, staffID int64, year int, ids exports.IDView) error {
	list, err := s.Assessments(ctx, path, staffID, year)
	if err != nil {
		return err
	}
	return WriteAssessments(w, year, list, ids)
}

// OpenJobFile returns a reader over a finished job's workbook, stored in the database
// (jobfile.go), and its size in bytes.
func (s *Store) OpenJobFile(ctx context.Context, j *Job) (io.Reader, int, error) {
	if j.Status != JobDone {
		return nil, 0, web.Errorf(web.ECONFLICT, "导出尚未完成")
	}
	return s.openJobFile(ctx, j.ID)
}

// PruneJobs removes the rows of jobs past their day, their files with them.
func (s *Store) PruneJobs(ctx context.Context) error {
	var old []int64
	err := s.db.NewSelect().Model((*Job)(nil)).Column("id").
		Where("(expires_at IS NOT NULL AND expires_at < ?) OR created_at < ?", s.now(), s.now().Add(-2*jobTTL)).Scan(ctx, &old)
	if err != nil || len(old) == 0 {
		return err
	}
	_, err = s.db.NewDelete().Model((*Job)(nil)).Where("id IN (?)", bun.In(old)).Exec(ctx)
	return err
}

// RunJobs runs queued exports every couple of seconds and prunes old ones, until ctx
// ends. With several instances each job runs on one (claimJob) and one prunes at a time.
func (s *Store) RunJobs(ctx context.Context, logf func(msg string, args ...any)) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for ran := true; ran && ctx.Err() == nil; {
				var err error
				if ran, err = s.RunNextJob(ctx); err != nil && ctx.Err() == nil {
					logf("export job", "err", err)
				}
			}
			if _, err := db.RunExclusive(ctx, s.db, "export-prune", s.PruneJobs); err != nil && ctx.Err() == nil {
				logf("prune export jobs", "err", err)
			}
		}
	}
}
