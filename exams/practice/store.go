// Package practice lets clerks practise from the practice pool with immediate feedback,
// a wrong-answer notebook (错题本) and progress per branch of the standard.
package practice

import (
	"time"

	"github.com/uptrace/bun"

	"clerkskill/exams/bank"
)

// Store reads and writes practice sessions and notebooks.
type Store struct {
	db   *bun.DB
	bank *bank.Store
	now  func() time.Time
}

// NewStore returns a practice store over d drawing from b.
func NewStore(d *bun.DB, b *bank.Store, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: d, bank: b, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}
