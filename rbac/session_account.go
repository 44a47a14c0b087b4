package rbac

import "context"

// sessionAccount is a session with its account, read in one round trip: every signed-in
// request starts with this read, so it is one query, not two.
type sessionAccount struct {
	Session `bun:",extend"`
	User    *User `bun:"rel:belongs-to,join:user_id=id"`
}

// findSession returns the session whose token hashes to id and its account (nil when the
// account is gone).
func (s *Store) findSession(ctx context.Context, id string) (*Session, *User, error) {
	sa := new(sessionAccount)
	if err := s.db.NewSelect().Model(sa).Relation("User").Where("ss.id = ?", id).Scan(ctx); err != nil {
		return nil, nil, err
	}
	if sa.User == nil || sa.User.ID == 0 {
		return &sa.Session, nil, nil
	}
	return &sa.Session, sa.User, nil
}
