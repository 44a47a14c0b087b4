// Package sheets writes and reads the HR workbooks other than pay: the 成绩单 of an exam
// session, a clerk's annual 考核表, the roster (花名册, export and all-or-nothing import)
// and the certificate register, plus background export jobs with progress.
package sheets

import (
	"time"

	"github.com/uptrace/bun"
)

// Store reads what the workbooks hold and keeps export jobs.
type Store struct {
	db  *bun.DB
	now func() time.Time
}

// NewStore returns a sheets store over d.
func NewStore(d *bun.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: d, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}
