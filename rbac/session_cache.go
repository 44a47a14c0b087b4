package rbac

import (
	"strconv"
	"sync"
	"time"
)

// Every signed-in request starts by reading its session and account. On exam day that
// read is half of what an autosave asks of the database, so on PostgreSQL, while this
// instance listens for access changes (Watch), it keeps the sessions it authenticated.
// Whatever ends a session or changes an account notifies every instance on the grants
// channel with the user's id (accessChanged), which drops that user's entries here; a
// (re)connect of the listener drops them all; an entry is used for at most sessionTTL.
// A session deleted behind the store's back (plain SQL) may so live on for sessionTTL.
// SQLite serves one instance without a listener and reads every time.

// sessionTTL is how long a kept session is used without reading it again; it is also
// how often last_seen_at moves, so the idle timeout is enforced as before.
const sessionTTL = time.Minute

// maxSessions bounds the sessions one instance keeps; past it, it starts afresh.
const maxSessions = 100000

type cachedSession struct {
	sess Session
	user User
	at   time.Time // when it was read
}

// sessionCache is the kept sessions by token hash. gen moves with every drop, so a read
// that began before a drop is not kept after it.
type sessionCache struct {
	mu  sync.Mutex
	gen uint64
	m   map[string]*cachedSession
}

func newSessionCache() *sessionCache { return &sessionCache{m: map[string]*cachedSession{}} }

// get returns copies of a kept session and account read less than sessionTTL before now.
func (c *sessionCache) get(hash string, now time.Time) (*Session, *User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.m[hash]
	if e == nil || now.Sub(e.at) >= sessionTTL || now.Before(e.at) {
		return nil, nil, false
	}
	sess, user := e.sess, e.user
	return &sess, &user, true
}

// generation is taken before reading a session from the database.
func (c *sessionCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps a session read at now, unless something was dropped since gen.
func (c *sessionCache) put(hash string, sess *Session, user *User, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.m) >= maxSessions {
		clear(c.m)
	}
	c.m[hash] = &cachedSession{sess: *sess, user: *user, at: now}
}

// touched records that last_seen_at moved.
func (c *sessionCache) touched(hash string, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.m[hash]; e != nil {
		e.sess.LastSeenAt = at
	}
}

// drop forgets one session.
func (c *sessionCache) drop(hash string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.m, hash)
}

// dropPayload forgets the sessions of the user a notice names, or all of them.
func (c *sessionCache) dropPayload(payload string) {
	id, err := strconv.ParseInt(payload, 10, 64)
	if err != nil {
		id = 0
	}
	c.dropUser(id)
}

// dropUser forgets the user's sessions; user 0 means everyone's.
func (c *sessionCache) dropUser(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if id == 0 {
		clear(c.m)
		return
	}
	for h, e := range c.m {
		if e.sess.UserID == id {
			delete(c.m, h)
		}
	}
}
