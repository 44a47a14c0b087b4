package rbac

import (
	"context"
	"strings"
	"testing"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	ctx := context.Background()
	h, err := HashPassword(ctx, "Window2026ok")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("unexpected hash format %s", h)
	}
	for pw, want := range map[string]bool{"Window2026ok": true, "window2026ok": false, "": false} {
		ok, err := CheckPassword(ctx, h, pw)
		if err != nil || ok != want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	h2, _ := HashPassword(ctx, "Window2026ok")
	if h == h2 {
		t.Error("two hashes of one password must differ (salt)")
	}
}

func TestHashSlotsBoundConcurrency(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	for i := 0; i < cap(hashSlots); i++ {
		hashSlots <- struct{}{}
	}
	defer func() {
		for i := 0; i < cap(hashSlots); i++ {
			<-hashSlots
		}
	}()
	cancel()
	if _, err := HashPassword(ctx, "Window2026ok"); err == nil {
		t.Fatal("with every slot taken and the context done, hashing must give up")
	}
}

func TestValidatePassword(t *testing.T) {
	for pw, ok := range map[string]bool{"abc12345": true, "abcdefgh": false, "12345678": false, "a1": false} {
		if got := ValidatePassword(pw) == nil; got != ok {
			t.Errorf("ValidatePassword(%q) ok=%v, want %v", pw, got, ok)
		}
	}
	for i := 0; i < 50; i++ {
		if err := ValidatePassword(RandomPassword()); err != nil {
			t.Fatalf("RandomPassword made an invalid password: %v", err)
		}
	}
}
