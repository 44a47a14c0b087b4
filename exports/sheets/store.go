// Package sheets writes and reads the HR workbooks other than pay: the 成绩单 of an exam
// session, a clerk's annual 考核表, the roster (花名册, export and all-or-nothing import)
// and the certificate register, plus background export jobs with progress.
package sheets

import (
	"context"
	"os"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/rbac"
)

// Hours gives a clerk's training hours (学时) in a calendar year; curriculum/training
// implements it.
type Hours interface {
	HoursFor(ctx context.Context, userID int64, year int) (float64, error)
}

// Deps are what the workbooks read from other packages.
type Deps struct {
	People *rbac.Store
	Hours  Hours
	// Dir keeps the files of background exports for a day; a temporary directory when empty.
	Dir string
}

// Store reads what the workbooks hold and keeps export jobs.
type Store struct {
	db     *bun.DB
	now    func() time.Time
	people *rbac.Store
	hours  Hours
	dir    string
	kinds  map[string]Kind // job kinds written elsewhere (RegisterKind)
}

// NewStore returns a sheets store over d.
func NewStore(d *bun.DB, deps Deps, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	if deps.Dir == "" {
		deps.Dir, _ = os.MkdirTemp("", "clerkskill-exports-")
	}
	return &Store{db: d, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) },
		people: deps.People, hours: deps.Hours, dir: deps.Dir, kinds: map[string]Kind{}}
}

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// PIIScope is where userID sees whole national ID numbers (staff:pii).
func (s *Store) PIIScope(userID int64) rbac.Scope {
	return s.people.Enforcer().Scope(userID, "staff", "pii")
}

// Scope is where userID may do act on obj.
func (s *Store) Scope(userID int64, obj, act string) rbac.Scope {
	return s.people.Enforcer().Scope(userID, obj, act)
}
