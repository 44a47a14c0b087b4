// Package paper builds exam papers: blueprints that share marks out by the standard's
// weight tables, fixed papers, and each candidate's own reproducible draw.
package paper

import (
	"time"

	"github.com/uptrace/bun"

	"clerkskill/exams/bank"
)

// Store reads and writes blueprints and papers.
type Store struct {
	db   *bun.DB
	bank *bank.Store
	now  func() time.Time
}

// NewStore returns a paper store over d drawing from b.
func NewStore(d *bun.DB, b *bank.Store, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: d, bank: b, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}
