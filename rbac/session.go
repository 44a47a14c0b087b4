package rbac

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// Session is a signed-in browser or API client. The id stored is the SHA-256 of the token
// the client holds, so a copy of the table opens no session.
type Session struct {
	bun.BaseModel `bun:"table:sessions,alias:ss"`

	ID         string    `bun:"id,pk" json:"-"`
	UserID     int64     `bun:"user_id" json:"user_id"`
	CSRFToken  string    `bun:"csrf_token" json:"-"`
	IP         string    `bun:"ip" json:"ip"`
	UserAgent  string    `bun:"user_agent" json:"user_agent"`
	CreatedAt  time.Time `bun:"created_at" json:"created_at"`
	LastSeenAt time.Time `bun:"last_seen_at" json:"last_seen_at"`
}

// SessionPolicy sets how long sessions live and how logins are throttled.
type SessionPolicy struct {
	Idle            time.Duration // ended after this long without a request
	Absolute        time.Duration // ended this long after login, whatever the activity
	FailuresPerUser int           // failed logins for one account within Window before refusal
	FailuresPerIP   int           // failed logins from one address within Window before refusal
	Window          time.Duration
}

// DefaultSessionPolicy is what a fresh install uses.
var DefaultSessionPolicy = SessionPolicy{
	Idle: 30 * time.Minute, Absolute: 12 * time.Hour,
	FailuresPerUser: 5, FailuresPerIP: 30, Window: 15 * time.Minute,
}

// Principal is who a request acts for.
type Principal struct {
	User    *User
	Session *Session // nil when an API token authenticated the request
	Roles   []string
}

// HasRole reports whether the principal holds role at any unit.
func (p *Principal) HasRole(role string) bool { return contains(p.Roles, role) }

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// LoginAttempt is one recorded try, kept for throttling.
type LoginAttempt struct {
	bun.BaseModel `bun:"table:login_attempts,alias:la"`

	ID       int64     `bun:"id,pk,autoincrement"`
	Username string    `bun:"username"`
	IP       string    `bun:"ip"`
	OK       bool      `bun:"ok"`
	Done     bool      `bun:"done"` // false while the password is being checked
	At       time.Time `bun:"at"`
}

var errBadLogin = web.Errorf(web.EUNAUTH, "用户名或密码错误")

// dummyHash is checked when the account does not exist, so timing does not tell.
var dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$3r5u5gqL7h2n0b5x6y0q9kV3cQk0b0ZyZk5vK2FhS0E"

// Login checks a password and opens a new session, returning the token the client keeps.
// The try is written down as a failure before the throttle is consulted, so a burst of
// concurrent guesses sees itself and gets no more tries than the policy allows; a refused
// try is struck out again so that knocking on a locked account does not extend the lock.
func (s *Store) Login(ctx context.Context, p SessionPolicy, username, password, ip, ua string) (string, *Principal, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	try := &LoginAttempt{Username: username, IP: ip, At: s.now()}
	if _, err := s.db.NewInsert().Model(try).Returning("id").Exec(ctx); err != nil {
		return "", nil, err
	}
	if err := s.checkThrottle(ctx, p, try); err != nil {
		_, _ = s.db.NewDelete().Model(try).WherePK().Exec(context.WithoutCancel(ctx))
		return "", nil, err
	}
	u, err := s.FindUserByUsername(ctx, username)
	if err != nil && web.ErrorCode(err) != web.ENOTFOUND {
		return "", nil, err
	}
	ok, err := s.verify(ctx, u, password)
	if err != nil {
		return "", nil, err
	}
	if _, err := s.db.NewUpdate().Model(try).Set("ok = ?, done = ?", ok, true).WherePK().Exec(ctx); err != nil {
		return "", nil, err
	}
	if !ok {
		return "", nil, errBadLogin
	}
	return s.openSession(ctx, u, ip, ua)
}

func (s *Store) verify(ctx context.Context, u *User, password string) (bool, error) {
	if u.ID == 0 || !u.Active {
		_, err := CheckPassword(ctx, dummyHash, password)
		return false, err
	}
	return CheckPassword(ctx, u.PasswordHash, password)
}

// checkThrottle refuses try when the account has FailuresPerUser other failed tries in the
// window since its last success (tries still being checked count, so a burst cannot
// outrun the limit), or the address FailuresPerIP finished failures (tries in flight do
// not count: a hall of clerks behind one address signs in at once); the error says when
// the oldest of those leaves the window (RetryAfter).
func (s *Store) checkThrottle(ctx context.Context, p SessionPolicy, try *LoginAttempt) error {
	since := s.now().Add(-p.Window)
	last := new(LoginAttempt)
	err := s.db.NewSelect().Model(last).Where("username = ? AND ok = ? AND at > ?", try.Username, true, since).
		OrderExpr("at DESC").Limit(1).Scan(ctx)
	switch {
	case err == nil:
		since = last.At
	case !db.IsNoRows(err):
		return err
	}
	byUser, err := s.nthFailure(ctx, p.FailuresPerUser, since, try.ID, "username = ?", try.Username)
	if err != nil {
		return err
	}
	byIP, err := s.nthFailure(ctx, p.FailuresPerIP, s.now().Add(-p.Window), try.ID, "ip = ? AND done = ?", try.IP, true)
	if err != nil {
		return err
	}
	until := byUser
	if byIP.After(until) {
		until = byIP
	}
	until = until.Add(p.Window)
	if until.After(s.now()) {
		e := web.Errorf(web.ETHROTTLED, "登录失败次数过多，请%d分钟后再试", int(math.Ceil(until.Sub(s.now()).Minutes())))
		e.RetryAfter = int(math.Ceil(until.Sub(s.now()).Seconds()))
		return e
	}
	return nil
}

// nthFailure returns when the n-th most recent failed try matching where (other than try
// own) was made after since, the zero time when there are fewer than n.
func (s *Store) nthFailure(ctx context.Context, n int, since time.Time, own int64, where string, args ...any) (time.Time, error) {
	var at []time.Time
	err := s.db.NewSelect().Model((*LoginAttempt)(nil)).Column("at").Where(where, args...).
		Where("ok = ? AND at > ? AND id <> ?", false, since, own).
		OrderExpr("at DESC").Offset(int64(max(n, 1)-1)).Limit(1).Scan(ctx, &at)
	if err != nil || len(at) == 0 {
		return time.Time{}, err
	}
	return at[0], nil
}

func (s *Store) openSession(ctx context.Context, u *User, ip, ua string) (string, *Principal, error) {
	token := randomToken(32)
	now := s.now()
	sess := &Session{ID: hashToken(token), UserID: u.ID, CSRFToken: randomToken(24), IP: ip,
		UserAgent: truncate(ua, 200), CreatedAt: now, LastSeenAt: now}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(sess).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewUpdate().Model(u).Set("last_login_at = ?", now).WherePK().Exec(ctx)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return token, &Principal{User: u, Session: sess, Roles: s.enf.Roles(u.ID)}, nil
}

// Authenticate resolves a session token, ending it when idle or too old. A request more
// than a minute after the last one moves last_seen_at, so reads stay reads.
func (s *Store) Authenticate(ctx context.Context, p SessionPolicy, token string) (*Principal, error) {
	if strings.HasPrefix(token, apiTokenPrefix) {
		return s.authenticateAPIToken(ctx, token)
	}
	hash := hashToken(token)
	sess, u, err := s.lookupSession(ctx, hash)
	if err != nil {
		return nil, unauthorized(err)
	}
	now := s.now()
	if now.Sub(sess.LastSeenAt) >= p.Idle || now.Sub(sess.CreatedAt) >= p.Absolute {
		s.sessions.drop(hash)
		_, _ = s.db.NewDelete().Model(sess).WherePK().Exec(ctx)
		return nil, web.Errorf(web.EUNAUTH, "登录已过期，请重新登录")
	}
	if u == nil || !u.Active {
		return nil, web.Errorf(web.EUNAUTH, "账户已停用")
	}
	if now.Sub(sess.LastSeenAt) > time.Minute {
		sess.LastSeenAt = now
		s.sessions.touched(hash, now)
		_, _ = s.db.NewUpdate().Model(sess).Column("last_seen_at").WherePK().Exec(ctx)
	}
	return &Principal{User: u, Session: sess, Roles: s.enf.Roles(u.ID)}, nil
}

// lookupSession is findSession, answered from the sessions kept while Watch listens.
func (s *Store) lookupSession(ctx context.Context, hash string) (*Session, *User, error) {
	listening := s.watch.listening.Load()
	if listening {
		if sess, u, ok := s.sessions.get(hash, s.now()); ok {
			return sess, u, nil
		}
	}
	gen := s.sessions.generation()
	sess, u, err := s.findSession(ctx, hash)
	if err == nil && u != nil && listening {
		s.sessions.put(hash, sess, u, gen, s.now())
	}
	return sess, u, err
}

func unauthorized(err error) error {
	if db.IsNoRows(err) {
		return web.Errorf(web.EUNAUTH, "请先登录")
	}
	return err
}

// Logout ends one session, here at once and on the other instances when they hear of it.
func (s *Store) Logout(ctx context.Context, sess *Session) error {
	s.sessions.drop(sess.ID)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model(sess).WherePK().Exec(ctx); err != nil {
			return err
		}
		return grantsChanged(ctx, tx, sess.UserID)
	})
}

// PruneExpired deletes sessions past their absolute lifetime, old login attempts and ended
// rate-limit windows.
func (s *Store) PruneExpired(ctx context.Context, p SessionPolicy) error {
	now := s.now()
	if _, err := s.db.NewDelete().Model((*Session)(nil)).
		Where("created_at < ? OR last_seen_at < ?", now.Add(-p.Absolute), now.Add(-p.Idle)).Exec(ctx); err != nil {
		return err
	}
	if _, err := s.db.NewDelete().Model((*LoginAttempt)(nil)).Where("at < ?", now.Add(-24*time.Hour)).Exec(ctx); err != nil {
		return err
	}
	return s.pruneRateWindows(ctx, now)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
