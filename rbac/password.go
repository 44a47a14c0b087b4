package rbac

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"

	"clerkskill/app/web"
)

// Argon2id parameters: the OWASP minimum (19 MiB, 2 passes), so a 2-core intranet server
// keeps logins quick while an offline attack stays costly.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// hashSlots bounds concurrent hashes: each takes argonMemory, and a burst of logins must
// queue rather than exhaust memory or starve other requests.
var hashSlots = make(chan struct{}, max(2, runtime.NumCPU()))

func withHashSlot[T any](ctx context.Context, fn func() T) (T, error) {
	var zero T
	select {
	case hashSlots <- struct{}{}:
		defer func() { <-hashSlots }()
		return fn(), nil
	case <-ctx.Done():
		return zero, web.Errorf(web.ETHROTTLED, "服务器繁忙，请稍后再试")
	}
}

// HashPassword returns a PHC-format argon2id hash.
func HashPassword(ctx context.Context, password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := withHashSlot(ctx, func() []byte {
		return argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	})
	if err != nil {
		return "", err
	}
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime,
		argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches a hash made by HashPassword.
func CheckPassword(ctx context.Context, hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, fmt.Errorf("unknown password hash format")
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, fmt.Errorf("parse hash params: %w", err)
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false, fmt.Errorf("decode password hash")
	}
	got, err := withHashSlot(ctx, func() []byte {
		return argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	})
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// ValidatePassword enforces the password rule for new passwords.
func ValidatePassword(pw string) error {
	if len(pw) < 8 || len(pw) > 128 {
		return web.Invalid(map[string]string{"password": "密码长度须为8至128个字符"})
	}
	hasLetter, hasDigit := false, false
	for _, r := range pw {
		switch {
		case r >= '0' && r <= '9':
			hasDigit = true
		case (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
			hasLetter = true
		}
	}
	if !hasLetter || !hasDigit {
		return web.Invalid(map[string]string{"password": "密码须同时包含字母和数字"})
	}
	return nil
}

// RandomPassword makes a one-time password that passes ValidatePassword.
func RandomPassword() string {
	const letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
	const digits = "23456789"
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	out := make([]byte, len(b))
	for i, x := range b {
		set := letters
		if i%4 == 3 {
			set = digits
		}
		out[i] = set[int(x)%len(set)]
	}
	return string(out)
}

// randomToken returns n random bytes, base64url encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
