package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/zero711/brain"
)

// Argon2Params are the argon2id cost parameters.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultArgon2 follows the OWASP recommendation (19 MiB, 2 passes, 1 lane).
var DefaultArgon2 = Argon2Params{Memory: 19 * 1024, Time: 2, Threads: 1}

const (
	minPasswordLen = 10
	maxPasswordLen = 256 // bytes: bounds hashing cost per request
	saltLen        = 16
	keyLen         = 32
)

// HashPassword returns the argon2id PHC string of password.
func HashPassword(password string, p Argon2Params) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC string encoded.
// A malformed hash never matches.
func VerifyPassword(password, encoded string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || len(password) > maxPasswordLen {
		return false
	}
	var version int
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	if p.Memory > 1<<20 || p.Time > 16 || p.Threads == 0 || p.Time == 0 {
		return false // refuse costs no hash of ours has: a tampered row must not stall the server
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// CheckPasswordPolicy returns an EINVALID error saying what is wrong with a
// new password: 10 to 256 bytes of valid text without control characters,
// with at least one letter and one digit or symbol, and not containing the
// user's e-mail name.
func CheckPasswordPolicy(password, email string) error {
	switch {
	case utf8.RuneCountInString(password) < minPasswordLen:
		return brain.Errorf(brain.EINVALID, "password must have at least %d characters", minPasswordLen)
	case len(password) > maxPasswordLen:
		return brain.Errorf(brain.EINVALID, "password must have at most %d bytes", maxPasswordLen)
	case !utf8.ValidString(password) || strings.IndexFunc(password, unicode.IsControl) >= 0:
		return brain.Errorf(brain.EINVALID, "password must be text without control characters")
	case strings.IndexFunc(password, unicode.IsLetter) < 0:
		return brain.Errorf(brain.EINVALID, "password must contain a letter")
	case strings.IndexFunc(password, func(r rune) bool { return !unicode.IsLetter(r) }) < 0:
		return brain.Errorf(brain.EINVALID, "password must contain a digit or a symbol")
	}
	if local, _, ok := strings.Cut(strings.ToLower(email), "@"); ok && len(local) >= 4 &&
		strings.Contains(strings.ToLower(password), local) {
		return brain.Errorf(brain.EINVALID, "password must not contain your e-mail name")
	}
	return nil
}
