// Package identity runs the account workflows of the platform: signup,
// e-mail verification, login with lockout, invitations, user management
// with granular permissions, API keys, and resolving a bearer credential to
// the principal a call runs as. Every rule about who may do what to whom
// lives here; the HTTP layer only decodes and encodes.
package identity

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/google/uuid"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/auth"
	"github.com/zero711/brain/internal/mail"
	"github.com/zero711/brain/internal/store"
)

// Mailer delivers account e-mail.
type Mailer interface {
	Send(ctx context.Context, m mail.Message) error
}

// Options configure a Service.
type Options struct {
	PublicURL        string        // base of links in e-mails
	LockoutThreshold int           // failed logins before a lock
	LockoutDuration  time.Duration // how long a lock lasts
	Argon2           auth.Argon2Params
	VerifyTTL        time.Duration // lifetime of e-mail verification links
	InviteTTL        time.Duration // lifetime of invitation links
}

// Service implements the identity workflows.
type Service struct {
	store  store.Store
	tokens *auth.Tokens
	mailer Mailer
	opts   Options
	logger *slog.Logger
	now    func() time.Time
	dummy  string // hash verified for unknown e-mails, so timing does not tell
}

// New returns a Service.
func New(s store.Store, tokens *auth.Tokens, mailer Mailer, opts Options, logger *slog.Logger, now func() time.Time) (*Service, error) {
	if opts.LockoutThreshold <= 0 {
		opts.LockoutThreshold = 5
	}
	if opts.LockoutDuration <= 0 {
		opts.LockoutDuration = 15 * time.Minute
	}
	if opts.VerifyTTL <= 0 {
		opts.VerifyTTL = 48 * time.Hour
	}
	if opts.InviteTTL <= 0 {
		opts.InviteTTL = 7 * 24 * time.Hour
	}
	if opts.Argon2.Memory == 0 {
		opts.Argon2 = auth.DefaultArgon2
	}
	dummy, err := auth.HashPassword(uuid.NewString(), opts.Argon2)
	if err != nil {
		return nil, err
	}
	return &Service{store: s, tokens: tokens, mailer: mailer, opts: opts, logger: logger, now: now, dummy: dummy}, nil
}

// Tokens returns the access-token issuer.
func (s *Service) Tokens() *auth.Tokens { return s.tokens }

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// link returns PublicURL/path?token=token.
func (s *Service) link(path, token string) string {
	return s.opts.PublicURL + path + "?" + url.Values{"token": {token}}.Encode()
}

// send delivers mail; a failure is logged, not returned: the account change
// stands and the user can ask for the mail again.
func (s *Service) send(ctx context.Context, m mail.Message) {
	if err := s.mailer.Send(ctx, m); err != nil {
		s.logger.ErrorContext(ctx, "identity: send mail failed", "to", m.To, "subject", m.Subject, "err", err)
	}
}

// issueUserToken stores a new one-time token for u and returns it.
func (s *Service) issueUserToken(ctx context.Context, u *brain.User, purpose store.TokenPurpose, ttl time.Duration) (string, error) {
	token, hash, err := auth.NewOneTimeToken()
	if err != nil {
		return "", err
	}
	if err := s.store.SetUserToken(ctx, u.CustomerID, u.ID, purpose, hash, s.now().Add(ttl)); err != nil {
		return "", fmt.Errorf("identity: %s token: %w", purpose, err)
	}
	return token, nil
}
