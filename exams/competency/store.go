// Package competency tracks each clerk's mastery of the standard's branches from their
// marked exam results, shows a unit's people × branches matrix with its gaps and the
// courses that close them, and draws the certification dashboards.
package competency

import (
	"time"

	"github.com/uptrace/bun"

	"clerkskill/curriculum"
	"clerkskill/exams"
	"clerkskill/exams/certify"
)

// Store reads mastery, matrices and dashboard figures.
type Store struct {
	db        *bun.DB
	standards *exams.Store
	courses   *curriculum.Store
	register  *certify.Store
	now       func() time.Time
}

// NewStore returns a competency store over d.
func NewStore(d *bun.DB, standards *exams.Store, courses *curriculum.Store, register *certify.Store, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: d, standards: standards, courses: courses, register: register, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}
