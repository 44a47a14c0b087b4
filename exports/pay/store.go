// Package pay keeps the appraisal inputs HR imports (service ratings 好差评 and workload),
// the dated differentiated-pay policies (差异化收入分配) per org unit, and computes and
// exports the pay sheet, every figure explainable row by row.
package pay

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Levels answers each person's certified level on a day (certify.Store does).
type Levels interface {
	CurrentLevels(ctx context.Context, staffIDs []int64, on time.Time) (map[int64]int, error)
}

// Store reads and writes ratings, workload, policies and pay computations.
type Store struct {
	db     *bun.DB
	levels Levels
	now    func() time.Time
}

// NewStore returns a pay store over d.
func NewStore(d *bun.DB, levels Levels, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: d, levels: levels, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}
