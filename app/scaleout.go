package app

import (
	"context"

	"clerkskill/app/db"
)

// Several instances may serve one PostgreSQL database behind a load balancer: sessions,
// login throttling, exam state and export jobs and their files are rows, grants reach the
// other instances' enforcers by LISTEN/NOTIFY (rbac.Store.Watch), and the scheduled jobs
// below run on one instance at a time by an advisory lock. SQLite serves one instance.

// SweepExams is one round of the exam loop: close overdue attempts, then mark closed
// ones. On PostgreSQL one instance sweeps at a time and the others skip the round; it
// reports whether this one swept.
func (s *Server) SweepExams(ctx context.Context) (bool, error) {
	return db.RunExclusive(ctx, s.DB, "exam-sweep", s.Sessions.Sweep)
}

// pruneSessions deletes expired sessions and old login attempts, on one instance at a time.
func (s *Server) pruneSessions(ctx context.Context) error {
	_, err := db.RunExclusive(ctx, s.DB, "prune-sessions", func(ctx context.Context) error {
		return s.RBAC.PruneExpired(ctx, s.Guards.Policy())
	})
	return err
}
