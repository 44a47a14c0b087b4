package exports

import (
	"context"
	"io"
	"time"

	"clerkskill/app/web"
)

// ReportStore keeps the error report of a refused import for the one who uploaded it, under
// a random key the page or API hands back, for ReportTTL. With several instances behind a
// load balancer the store must be shared (exports/reports keeps them in the database), so
// the download may land on any instance.
type ReportStore interface {
	// Put writes a report with write and keeps it for owner; it returns the key. A report
	// over MaxReportBytes is refused with ETOOLARGE and nothing is kept.
	Put(ctx context.Context, owner int64, write func(io.Writer) error) (string, error)
	// Get returns owner's report under key; ENOTFOUND when there is none, it has expired or
	// it belongs to someone else.
	Get(ctx context.Context, owner int64, key string) ([]byte, error)
}

const (
	// MaxReportBytes bounds one stored report. A report is the upload plus a column, and
	// uploads are capped well below this, so only a pathological one is refused.
	MaxReportBytes = 8 << 20
	// ReportTTL is how long a report can be fetched after it was made.
	ReportTTL = time.Hour
)

// errReportTooLarge is the refusal of an oversize report; the import page then shows the
// errors without a download link.
var errReportTooLarge = web.Errorf(web.ETOOLARGE, "错误报告超过 %d MiB，无法保存：请按页面列出的错误修改后重新上传", MaxReportBytes>>20)

// BufferReport writes a report with write into memory, refusing one over MaxReportBytes
// with ETOOLARGE as soon as it grows past the limit.
func BufferReport(write func(io.Writer) error) ([]byte, error) {
	w := &cappedBuffer{max: MaxReportBytes}
	err := write(w)
	if w.over { // however the writer passed the failed write on
		return nil, errReportTooLarge
	}
	if err != nil {
		return nil, err
	}
	return w.b, nil
}

// cappedBuffer is a bytes buffer that fails a write taking it past max.
type cappedBuffer struct {
	b    []byte
	max  int
	over bool
}

func (w *cappedBuffer) Write(p []byte) (int, error) {
	if len(w.b)+len(p) > w.max {
		w.over = true
		return 0, errReportTooLarge
	}
	w.b = append(w.b, p...)
	return len(p), nil
}

// ContentType is the media type of an .xlsx workbook.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// PutReport keeps a report in rs for owner and returns its key; "" without an error when
// the report is too large to keep, since the page or API answer lists the errors anyway.
func PutReport(ctx context.Context, rs ReportStore, owner int64, write func(io.Writer) error) (string, error) {
	key, err := rs.Put(ctx, owner, write)
	if web.ErrorCode(err) == web.ETOOLARGE {
		return "", nil
	}
	return key, err
}
