package sheets

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// A finished export's workbook lives in export_job_chunks, so any instance can serve the
// download whichever one ran the job. It is written to a scratch file first (the workbook
// is built in one go), then copied in pieces in one transaction; a download reads one
// piece at a time.

const (
	chunkSize   = 1 << 20   // one row of export_job_chunks
	maxJobBytes = 256 << 20 // a bigger workbook fails the job: export a smaller scope
)

// jobChunk is one piece of a finished export's workbook.
type jobChunk struct {
	bun.BaseModel `bun:"table:export_job_chunks,alias:jc"`

	JobID int64  `bun:"job_id,pk"`
	Seq   int    `bun:"seq,pk"`
	Data  []byte `bun:"data"`
}

// buildJobFile writes the job's workbook to a scratch file under the store's directory and
// stores it as the job's file; the scratch file is removed either way.
func (s *Store) buildJobFile(ctx context.Context, j *Job) error {
	if err := os.MkdirAll(s.dir, 0o750); err != nil {
		return err
	}
	f, err := os.CreateTemp(s.dir, fmt.Sprintf("export-%d-*.part", j.ID))
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if err := s.writeJob(ctx, f, j); err != nil {
		return err
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	if size > maxJobBytes {
		return web.Errorf(web.EINVALID, "导出文件过大（超过%d MB），请缩小范围后重试", maxJobBytes>>20)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	return s.saveJobFile(ctx, j.ID, f)
}

// saveJobFile replaces the job's file with what r holds, in one transaction: a job taken
// up again after its runner died leaves no pieces of the first try.
func (s *Store) saveJobFile(ctx context.Context, jobID int64, r io.Reader) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*jobChunk)(nil)).Where("job_id = ?", jobID).Exec(ctx); err != nil {
			return err
		}
		buf := make([]byte, chunkSize)
		for seq := 0; ; seq++ {
			n, err := io.ReadFull(r, buf)
			if n > 0 {
				if _, ierr := tx.NewInsert().Model(&jobChunk{JobID: jobID, Seq: seq, Data: buf[:n]}).Exec(ctx); ierr != nil {
					return fmt.Errorf("store export piece %d: %w", seq, ierr)
				}
			}
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return nil
			}
			if err != nil {
				return err
			}
		}
	})
}

// openJobFile returns a reader over a job's stored workbook and its size in bytes.
func (s *Store) openJobFile(ctx context.Context, jobID int64) (io.Reader, int, error) {
	var size int64
	err := s.db.NewSelect().Model((*jobChunk)(nil)).ColumnExpr("COALESCE(SUM(LENGTH(data)), 0)").
		Where("job_id = ?", jobID).Scan(ctx, &size)
	if err != nil {
		return nil, 0, err
	}
	if size == 0 {
		return nil, 0, web.Errorf(web.ENOTFOUND, "导出文件已过期，请重新导出")
	}
	return &chunkReader{ctx: ctx, db: s.db, jobID: jobID}, int(size), nil
}

// chunkReader reads a stored workbook one piece (one query) at a time.
type chunkReader struct {
	ctx   context.Context
	db    bun.IDB
	jobID int64
	next  int
	buf   []byte
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.buf) == 0 {
		var c jobChunk
		err := r.db.NewSelect().Model(&c).Where("job_id = ? AND seq = ?", r.jobID, r.next).Scan(r.ctx)
		if db.IsNoRows(err) {
			return 0, io.EOF
		}
		if err != nil {
			return 0, err
		}
		r.buf, r.next = c.Data, r.next+1
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}
