package marking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// releaseOf says whether a session's results are out and since when: from a trainer's
// release, or, for a session whose results are not held, from its close.
func (s *Store) releaseOf(ctx context.Context, tx bun.IDB, sess *examSession) (bool, time.Time, error) {
	r := new(Release)
	err := tx.NewSelect().Model(r).Where("session_id = ?", sess.ID).Scan(ctx)
	switch {
	case err == nil:
		return true, r.ReleasedAt, nil
	case !db.IsNoRows(err):
		return false, time.Time{}, err
	case !sess.ResultsHeld && !s.now().Before(sess.ClosesAt):
		return true, sess.ClosesAt, nil
	}
	return false, time.Time{}, nil
}

// Release publishes a session's results to its candidates. The session must have closed
// and every item must be settled; releasing twice keeps the first release.
func (s *Store) Release(ctx context.Context, actor, sessionID int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		sess, err := findSession(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		if s.now().Before(sess.ClosesAt) {
			return web.Errorf(web.ECONFLICT, "考试尚未结束（%s结束），结束后才能发布成绩", sess.ClosesAt.Local().Format("2006-01-02 15:04"))
		}
		n, err := tx.NewSelect().Model((*ItemMark)(nil)).
			Where("session_id = ? AND status IN (?, ?)", sessionID, StatusPending, StatusArbitration).Count(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return web.Errorf(web.ECONFLICT, "还有%d道题未评完，评完后才能发布成绩", n)
		}
		r := &Release{SessionID: sessionID, ReleasedBy: &actor, ReleasedAt: s.now()}
		if _, err := tx.NewInsert().Model(r).On("CONFLICT (session_id) DO NOTHING").Exec(ctx); err != nil {
			return fmt.Errorf("release session %d: %w", sessionID, err)
		}
		return nil
	})
}

// reviewDeadline is the last moment a candidate may ask for a review.
func reviewDeadline(releasedAt time.Time, set *Settings) time.Time {
	return releasedAt.Add(time.Duration(set.ReviewDays) * 24 * time.Hour)
}
