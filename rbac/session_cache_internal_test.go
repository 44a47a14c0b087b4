package rbac

import (
	"testing"
	"time"
)

func TestSessionCacheKeepsNoReadOlderThanADrop(t *testing.T) {
	c := newSessionCache()
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	gen := c.generation() // a read begins
	c.dropUser(7)         // the user's sessions end meanwhile
	c.put("h", &Session{ID: "h", UserID: 7}, &User{ID: 7}, gen, now)
	if _, _, ok := c.get("h", now); ok {
		t.Fatal("kept a session read before it was dropped")
	}
	c.put("h", &Session{ID: "h", UserID: 7}, &User{ID: 7}, c.generation(), now)
	if _, _, ok := c.get("h", now.Add(sessionTTL-time.Second)); !ok {
		t.Fatal("a fresh read was not kept")
	}
	if _, _, ok := c.get("h", now.Add(sessionTTL)); ok {
		t.Error("a read older than sessionTTL was used")
	}
	sess, _, _ := c.get("h", now)
	sess.LastSeenAt = now.Add(time.Hour) // callers get copies
	if again, _, _ := c.get("h", now); !again.LastSeenAt.IsZero() {
		t.Error("a caller's change reached the kept session")
	}
	c.dropPayload("8")
	if _, _, ok := c.get("h", now); !ok {
		t.Error("another user's notice dropped the session")
	}
	c.dropPayload("")
	if _, _, ok := c.get("h", now); ok {
		t.Error("a notice for everyone kept the session")
	}
}
