package pay

import (
	"context"
	"io"
)

// JobKind is the pay sheet's kind among the background exports.
const JobKind = "paysheet"

// JobLabel is the pay sheet's name in the list of background exports.
const JobLabel = "差异化绩效工资表"

// DefaultAsyncClerks is the sheet size (clerks) above which a download runs in the
// background unless configured otherwise.
const DefaultAsyncClerks = 5000

// SheetJob says which pay sheet a background export writes: the stored run RunID, or
// the sheet of the unit OrgID (path OrgPath) for Period, read from its closed run when
// there is one by the time the job runs.
type SheetJob struct {
	OrgID   int64
	OrgPath string
	Period  string
	Title   string
	RunID   int64
}

// Jobs queues background exports; exports/sheets keeps them and app wires it in, so
// neither package imports the other.
type Jobs interface {
	QueuePaySheet(ctx context.Context, userID int64, j SheetJob) (jobID int64, err error)
}

// SetJobs hands the store the background export queue; without one every download is
// direct.
func (s *Store) SetJobs(j Jobs) { s.jobs = j }

// SetAsyncClerks sets the sheet size (clerks) above which a download is queued as a
// background export; 0 or less keeps DefaultAsyncClerks.
func (s *Store) SetAsyncClerks(n int) {
	s.asyncClerks = DefaultAsyncClerks
	if n > 0 {
		s.asyncClerks = n
	}
}

// WriteSheetJob writes a queued pay sheet to w, telling progress rows written of total.
func (s *Store) WriteSheetJob(ctx context.Context, w io.Writer, j SheetJob, progress func(done, total int)) error {
	run, err := s.jobRun(ctx, j)
	if err != nil {
		return err
	}
	if run != nil {
		progress(0, run.Clerks)
		_, err := s.ExportRun(ctx, run, w, func(done int) { progress(done, run.Clerks) })
		return err
	}
	total, err := s.CountClerks(ctx, j.OrgPath)
	if err != nil {
		return err
	}
	progress(0, total)
	_, err = s.ExportSheet(ctx, SheetQuery{Path: j.OrgPath, Period: j.Period}, j.Title, w, func(done int) { progress(done, total) })
	return err
}

// jobRun is the stored run a job reads, nil when it computes the sheet.
func (s *Store) jobRun(ctx context.Context, j SheetJob) (*Run, error) {
	if j.RunID != 0 {
		return s.FindRun(ctx, j.RunID)
	}
	return s.ClosedRun(ctx, j.OrgID, j.Period)
}
