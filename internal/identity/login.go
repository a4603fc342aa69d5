package identity

import (
	"context"
	"fmt"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/auth"
)

// Session is the result of a login.
type Session struct {
	AccessToken string
	ExpiresIn   time.Duration
	User        *brain.User
	Customer    *brain.Customer
}

var errBadCredentials = brain.Errorf(brain.EUNAUTHORIZED, "wrong e-mail or password")

// Login checks e-mail and password and issues an access token. Repeated
// failures lock the account for a while; a locked account answers
// ERATELIMITED even to the right password.
func (s *Service) Login(ctx context.Context, email, password string) (*Session, error) {
	email, err := brain.NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	u, err := s.store.UserByEmail(ctx, email)
	if brain.ErrorCode(err) == brain.ENOTFOUND {
		auth.VerifyPassword(password, s.dummy) // spend the same time as a real check
		return nil, errBadCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("identity: login: %w", err)
	}
	now := s.now()
	if u.LockedUntil != nil && now.Before(*u.LockedUntil) {
		return nil, brain.Errorf(brain.ERATELIMITED, "too many failed logins; try again after %s", u.LockedUntil.Format(time.RFC3339))
	}
	if u.PasswordHash == "" || !auth.VerifyPassword(password, u.PasswordHash) {
		if _, err := s.store.RecordLoginFailure(ctx, u.ID, s.opts.LockoutThreshold, now.Add(s.opts.LockoutDuration)); err != nil {
			return nil, fmt.Errorf("identity: login: %w", err)
		}
		return nil, errBadCredentials
	}
	switch {
	case u.Status != brain.UserActive:
		return nil, brain.Errorf(brain.EFORBIDDEN, "this account is %s", u.Status)
	case !u.EmailVerified:
		return nil, brain.Errorf(brain.EFORBIDDEN, "confirm your e-mail address first: follow the link we sent you")
	}
	c, err := s.activeCustomer(ctx, u.CustomerID)
	if err != nil {
		return nil, err
	}
	if err := s.store.RecordLogin(ctx, u.ID, now); err != nil {
		return nil, fmt.Errorf("identity: login: %w", err)
	}
	token, err := s.tokens.Issue(u, c)
	if err != nil {
		return nil, err
	}
	u.LastLoginAt, u.LoginCount, u.FailedLogins, u.LockedUntil = &now, u.LoginCount+1, 0, nil
	return &Session{AccessToken: token, ExpiresIn: s.tokens.TTL(), User: u, Customer: c}, nil
}

func (s *Service) activeCustomer(ctx context.Context, id string) (*brain.Customer, error) {
	c, err := s.store.Customer(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("identity: customer: %w", err)
	}
	if c.Status != brain.CustomerActive {
		return nil, brain.Errorf(brain.EFORBIDDEN, "the account of %s is %s", c.CompanyName, c.Status)
	}
	return c, nil
}

var errUnauthenticated = brain.Errorf(brain.EUNAUTHORIZED, "invalid or expired credentials")

// Authenticate resolves a bearer credential — an access token or an API
// key — to the principal it stands for. The user (or key) and its customer
// are read afresh, so that deletion, suspension, role and permission
// changes take effect at once, whatever the token says.
func (s *Service) Authenticate(ctx context.Context, credential string) (*brain.Principal, error) {
	if auth.IsAPIKey(credential) {
		return s.authenticateKey(ctx, credential)
	}
	claims, err := s.tokens.Parse(credential)
	if err != nil {
		return nil, err
	}
	u, err := s.store.UserByID(ctx, claims.Subject)
	if err != nil {
		if brain.ErrorCode(err) == brain.ENOTFOUND {
			return nil, errUnauthenticated
		}
		return nil, fmt.Errorf("identity: authenticate: %w", err)
	}
	if u.CustomerID != claims.CustomerID || u.Status != brain.UserActive || u.DeletedAt != nil {
		return nil, errUnauthenticated
	}
	c, err := s.activeCustomer(ctx, u.CustomerID)
	if err != nil {
		return nil, err
	}
	return &brain.Principal{UserID: u.ID, CustomerID: u.CustomerID, Email: u.Email, Role: u.Role,
		Tier: c.Tier, Permissions: u.Permissions}, nil
}

func (s *Service) authenticateKey(ctx context.Context, secret string) (*brain.Principal, error) {
	k, err := s.store.APIKeyByHash(ctx, auth.HashSecret(secret))
	if err != nil {
		if brain.ErrorCode(err) == brain.ENOTFOUND {
			return nil, errUnauthenticated
		}
		return nil, fmt.Errorf("identity: authenticate key: %w", err)
	}
	now := s.now()
	if !k.Usable(now) {
		return nil, errUnauthenticated
	}
	c, err := s.activeCustomer(ctx, k.CustomerID)
	if err != nil {
		return nil, err
	}
	if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) > time.Minute {
		if err := s.store.TouchAPIKey(ctx, k.ID, now); err != nil {
			s.logger.WarnContext(ctx, "identity: touch api key", "err", err)
		}
	}
	return &brain.Principal{APIKeyID: k.ID, CustomerID: k.CustomerID, Role: brain.RoleCustomerUser,
		Tier: c.Tier, Permissions: k.Permissions}, nil
}
