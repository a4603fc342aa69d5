package auth

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/zero711/brain"
)

var fast = Argon2Params{Memory: 64, Time: 1, Threads: 1}

func TestPasswordHashVerify(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("Sommer2026!", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q", h)
	}
	h2, _ := HashPassword("Sommer2026!", fast)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
	tests := []struct {
		password, hash string
		want           bool
	}{
		{"Sommer2026!", h, true},
		{"sommer2026!", h, false},
		{"", h, false},
		{"Sommer2026!", "", false},
		{"Sommer2026!", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", false},
		{"Sommer2026!", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$aGFzaA", false},
		{"Sommer2026!", strings.Replace(h, "t=1", "t=2", 1), false},
		{strings.Repeat("a", 300), h, false},
	}
	for _, tc := range tests {
		if got := VerifyPassword(tc.password, tc.hash); got != tc.want {
			t.Errorf("VerifyPassword(%.20q, %.30q) = %v, want %v", tc.password, tc.hash, got, tc.want)
		}
	}
}

func TestPasswordPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		password string
		ok       bool
	}{
		{"Sommer2026!", true},
		{"Größenwahn-7", true},
		{"short1", false},
		{"alllettersonly", false},
		{"1234567890123", false},
		{"erika.mustermann1", false}, // contains the e-mail name
		{"tab\there12345", false},
		{strings.Repeat("x1", 200), false},
		{"\xff\xfe1234567890a", false},
	}
	for _, tc := range tests {
		err := CheckPasswordPolicy(tc.password, "Erika.Mustermann@example.de")
		if (err == nil) != tc.ok {
			t.Errorf("CheckPasswordPolicy(%q) = %v, want ok=%v", tc.password, err, tc.ok)
		}
		if err != nil && brain.ErrorCode(err) != brain.EINVALID {
			t.Errorf("code %q", brain.ErrorCode(err))
		}
	}
}

func newTokens(t *testing.T, now time.Time) *Tokens {
	t.Helper()
	tk, err := NewTokens([]byte(strings.Repeat("k", 32)), time.Hour, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func TestTokens(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tk := newTokens(t, now)
	u := &brain.User{ID: "u1", CustomerID: "acme", Email: "a@acme.de", Role: brain.RoleCustomerAdmin}
	signed, err := tk.Issue(u, &brain.Customer{ID: "acme", Tier: brain.TierSmall})
	if err != nil {
		t.Fatal(err)
	}
	c, err := tk.Parse(signed)
	if err != nil {
		t.Fatal(err)
	}
	if c.Subject != "u1" || c.CustomerID != "acme" || c.Role != brain.RoleCustomerAdmin || c.Tier != brain.TierSmall || c.Email != "a@acme.de" {
		t.Fatalf("claims %+v", c)
	}

	other, _ := NewTokens([]byte(strings.Repeat("o", 32)), time.Hour, func() time.Time { return now })
	forged, _ := other.Issue(u, &brain.Customer{})
	later := newTokens(t, now.Add(2*time.Hour))
	none := unsignedToken(t, now)
	hdr, _, _ := strings.Cut(signed, ".")
	tampered := hdr + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"u2","customer_id":"evil","iss":"0711","exp":9999999999}`)) + "." + strings.Split(signed, ".")[2]

	bad := []struct {
		name, token string
		tk          *Tokens
	}{
		{"empty", "", tk},
		{"garbage", "abc.def.ghi", tk},
		{"forged", forged, tk},
		{"expired", signed, later},
		{"alg none", none, tk},
		{"tampered claims", tampered, tk},
		{"huge", strings.Repeat("a", 5000), tk},
	}
	for _, b := range bad {
		if _, err := b.tk.Parse(b.token); brain.ErrorCode(err) != brain.EUNAUTHORIZED {
			t.Errorf("%s: Parse = %v, want unauthorized", b.name, err)
		}
	}
}

func unsignedToken(t *testing.T, now time.Time) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{
		"sub": "u1", "customer_id": "acme", "iss": issuer, "exp": now.Add(time.Hour).Unix(), "iat": now.Unix(),
	}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAPIKeySecret(t *testing.T) {
	t.Parallel()
	s, prefix, hash, err := NewAPIKeySecret()
	if err != nil {
		t.Fatal(err)
	}
	if !IsAPIKey(s) || !strings.HasPrefix(s, prefix) || HashSecret(s) != hash || len(s) < 40 {
		t.Fatalf("secret %q prefix %q", s, prefix)
	}
	s2, _, _, _ := NewAPIKeySecret()
	if s == s2 {
		t.Fatal("secrets repeat")
	}
}

// FuzzParse feeds arbitrary strings to the token parser: it must never
// panic and never accept a token it did not sign.
func FuzzParse(f *testing.F) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tk, _ := NewTokens([]byte(strings.Repeat("k", 32)), time.Hour, func() time.Time { return now })
	good, _ := tk.Issue(&brain.User{ID: "u1", CustomerID: "acme"}, &brain.Customer{})
	f.Add(good)
	f.Add("")
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := tk.Parse(s)
		if err == nil && s != good {
			// Only a re-encoding of our own signed token may pass.
			if c.Subject != "u1" || c.CustomerID != "acme" {
				t.Fatalf("accepted foreign token %q", s)
			}
		}
	})
}
