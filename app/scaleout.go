package app

import (
	"context"

	"clerkskill/app/db"
)

// Several instances may serve one PostgreSQL database behind a load balancer: sessions,
// login throttling and look-up limits, exam state, export jobs and their files, import
// error reports, attachments and evidence are rows; grant changes and ended sessions reach
// the other instances by LISTEN/NOTIFY (rbac.Store.Watch); the scheduled jobs below run
// on one instance at a time by an advisory lock. SQLite serves one instance.

// SweepExams is one round of the exam loop: close overdue attempts, then mark closed
// ones. On PostgreSQL one instance sweeps at a time and the others skip the round; it
// reports whether this one swept.
func (s *Server) SweepExams(ctx context.Context) (bool, error) {
	return db.RunExclusive(ctx, s.DB, "exam-sweep", s.Sessions.Sweep)
}

// pruneSessions deletes expired sessions, old login attempts and look-up windows, and
// expired import error reports, on one instance at a time.
func (s *Server) pruneSessions(ctx context.Context) error {
	_, err := db.RunExclusive(ctx, s.DB, "prune-sessions", func(ctx context.Context) error {
		if err := s.RBAC.PruneExpired(ctx, s.Guards.Policy()); err != nil {
			return err
		}
		_, err := s.Reports.Prune(ctx)
		return err
	})
	return err
}
