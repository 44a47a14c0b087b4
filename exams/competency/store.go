// Package competency tracks each clerk's mastery of the standard's branches from their
// marked exam results, shows a unit's people × branches matrix with its gaps and the
// courses that close them, and draws the certification dashboards.
package competency

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/curriculum"
	"clerkskill/exams"
)

// Levels is the certificate register as dashboards read it (exams/certify implements it).
type Levels interface {
	// CurrentLevels returns each person's best level valid on the day; people without
	// one are absent.
	CurrentLevels(ctx context.Context, staffIDs []int64, on time.Time) (map[int64]int, error)
}

// Store reads mastery, matrices and dashboard figures.
type Store struct {
	db        *bun.DB
	standards *exams.Store
	courses   *curriculum.Store
	register  Levels
	now       func() time.Time
}

// NewStore returns a competency store over d.
func NewStore(d *bun.DB, standards *exams.Store, courses *curriculum.Store, register Levels, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: d, standards: standards, courses: courses, register: register, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}
