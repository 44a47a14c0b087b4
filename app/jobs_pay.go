package app

import (
	"context"
	"io"

	"clerkskill/exports/pay"
	"clerkskill/exports/sheets"
)

// payJobs queues pay sheets among the background exports of exports/sheets, so that
// neither package imports the other.
type payJobs struct{ sheets *sheets.Store }

func (p payJobs) QueuePaySheet(ctx context.Context, userID int64, j pay.SheetJob) (int64, error) {
	job, err := p.sheets.QueueJob(ctx, userID, pay.JobKind, sheets.JobParams{Path: j.OrgPath, OrgID: j.OrgID,
		Period: j.Period, RunID: j.RunID, Title: j.Title})
	if err != nil {
		return 0, err
	}
	return job.ID, nil
}

// wirePayJobs makes the pay sheet a background export kind (followed and fetched by
// those who may read pay at its unit) and lets pay queue it above asyncClerks clerks.
func wirePayJobs(p *pay.Store, s *sheets.Store, asyncClerks int) {
	s.RegisterKind(pay.JobKind, sheets.Kind{Label: pay.JobLabel, Obj: "pay", Act: "read",
		Write: func(ctx context.Context, w io.Writer, j *sheets.Job, progress func(done, total int)) error {
			sj := pay.SheetJob{OrgID: j.Params.OrgID, OrgPath: j.Params.Path, Period: j.Params.Period,
				Title: j.Params.Title, RunID: j.Params.RunID}
			return p.WriteSheetJob(ctx, w, sj, progress)
		}})
	p.SetJobs(payJobs{sheets: s})
	p.SetAsyncClerks(asyncClerks)
}
