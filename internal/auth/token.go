package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/zero711/brain"
)

const issuer = "0711"

// Claims are the claims of an access token (SPEC §8).
type Claims struct {
	jwt.RegisteredClaims
	CustomerID string     `json:"customer_id"`
	Email      string     `json:"email"`
	Role       brain.Role `json:"role"`
	Tier       brain.Tier `json:"tier"`
}

// Tokens issues and parses HS256 access tokens.
type Tokens struct {
	secret []byte
	ttl    time.Duration
	now    func() time.Time
}

// NewTokens returns a token issuer with the given secret (at least 32
// bytes), lifetime and clock.
func NewTokens(secret []byte, ttl time.Duration, now func() time.Time) (*Tokens, error) {
	if len(secret) < 32 {
		return nil, errors.New("auth: token secret must have at least 32 bytes")
	}
	if ttl <= 0 {
		return nil, errors.New("auth: token lifetime must be positive")
	}
	return &Tokens{secret: secret, ttl: ttl, now: now}, nil
}

// TTL returns the lifetime of issued tokens.
func (t *Tokens) TTL() time.Duration { return t.ttl }

// Issue returns a signed token for u of customer c.
func (t *Tokens) Issue(u *brain.User, c *brain.Customer) (string, error) {
	now := t.now()
	claims := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    issuer,
			Subject:   u.ID,
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now.Add(-time.Minute)),
			ExpiresAt: jwt.NewNumericDate(now.Add(t.ttl)),
			ID:        uuid.NewString(),
		},
		CustomerID: u.CustomerID, Email: u.Email, Role: u.Role, Tier: c.Tier,
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	if err != nil {
		return "", fmt.Errorf("auth: issue token: %w", err)
	}
	return s, nil
}

// Parse verifies a token's signature (HS256 only: "none" and every other
// algorithm are refused), issuer and expiry and returns its claims. Any
// failure is an EUNAUTHORIZED error.
func (t *Tokens) Parse(token string) (*Claims, error) {
	if len(token) > 4096 {
		return nil, brain.Errorf(brain.EUNAUTHORIZED, "token too long")
	}
	var c Claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer), jwt.WithExpirationRequired(), jwt.WithIssuedAt(),
		jwt.WithTimeFunc(t.now), jwt.WithLeeway(30*time.Second),
		// Refuse non-canonical base64, so that each token has one spelling only.
		jwt.WithStrictDecoding())
	if err != nil {
		msg := "invalid token"
		if errors.Is(err, jwt.ErrTokenExpired) {
			msg = "token expired"
		}
		return nil, brain.Errorf(brain.EUNAUTHORIZED, "%s", msg)
	}
	if c.Subject == "" || brain.ValidateCustomerID(c.CustomerID) != nil {
		return nil, brain.Errorf(brain.EUNAUTHORIZED, "invalid token")
	}
	return &c, nil
}

// APIKeyPrefix starts every API key secret, so that a bearer credential
// can be told from a JWT at a glance (and found by secret scanners).
const APIKeyPrefix = "sk_0711_"

// NewAPIKeySecret returns a new API key secret, the short prefix shown in
// listings, and the hash to store.
func NewAPIKeySecret() (secret, prefix, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", "", fmt.Errorf("auth: api key: %w", err)
	}
	secret = APIKeyPrefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, secret[:len(APIKeyPrefix)+6], HashSecret(secret), nil
}

// IsAPIKey reports whether a bearer credential is an API key secret.
func IsAPIKey(credential string) bool { return strings.HasPrefix(credential, APIKeyPrefix) }

// HashSecret returns the hex SHA-256 of a high-entropy secret (API key or
// one-time token). Such secrets need no slow hash: guessing is hopeless.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// NewOneTimeToken returns a random URL-safe token and its hash.
func NewOneTimeToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("auth: one-time token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashSecret(token), nil
}
