package identity

import (
	"context"
	"fmt"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/auth"
	"github.com/zero711/brain/internal/mail"
	"github.com/zero711/brain/internal/store"
)

// SignupInput is what a new customer gives.
type SignupInput struct {
	CompanyName string
	Email       string
	Password    string
	Name        string
	CustomerID  string // optional slug; derived from CompanyName when empty
}

// Signup creates a customer and its primary customer_admin, whose e-mail
// must be verified before the first login, and mails the verification link.
func (s *Service) Signup(ctx context.Context, in SignupInput) (*brain.Customer, *brain.User, error) {
	company, err := brain.ValidateName("company_name", in.CompanyName, 200)
	if err != nil {
		return nil, nil, err
	}
	name, err := brain.ValidateName("name", in.Name, 200)
	if err != nil {
		return nil, nil, err
	}
	email, err := brain.NormalizeEmail(in.Email)
	if err != nil {
		return nil, nil, err
	}
	if err := auth.CheckPasswordPolicy(in.Password, email); err != nil {
		return nil, nil, err
	}
	if in.CustomerID != "" {
		if err := brain.ValidateNewCustomerID(in.CustomerID); err != nil {
			return nil, nil, err
		}
	}
	hash, err := auth.HashPassword(in.Password, s.opts.Argon2)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	u := &brain.User{ID: newID(), Email: email, Name: name, Role: brain.RoleCustomerAdmin, Status: brain.UserActive,
		Permissions: brain.DefaultPermissions(brain.RoleCustomerAdmin), PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	c := &brain.Customer{CompanyName: company, Tier: brain.TierTrial, Status: brain.CustomerActive,
		PrimaryAdmin: u.ID, CreatedAt: now, UpdatedAt: now}
	if err := s.createCustomer(ctx, c, u, in.CustomerID); err != nil {
		return nil, nil, err
	}
	token, err := s.issueUserToken(ctx, u, store.TokenVerifyEmail, s.opts.VerifyTTL)
	if err != nil {
		return nil, nil, err
	}
	s.send(ctx, verificationMail(u, c, s.link("/verify-email", token)))
	return c, u, nil
}

// createCustomer inserts c with the requested id, or with a slug of the
// company name, suffixed until it is free.
func (s *Service) createCustomer(ctx context.Context, c *brain.Customer, u *brain.User, requested string) error {
	if requested != "" {
		c.ID, u.CustomerID = requested, requested
		if err := s.store.CreateCustomer(ctx, c, u); err != nil {
			return fmt.Errorf("identity: signup: %w", err)
		}
		return nil
	}
	base := brain.SlugFromName(c.CompanyName)
	if base == "" || brain.ValidateNewCustomerID(base) != nil {
		base = "customer"
	}
	for i := 1; i <= 20; i++ {
		id := base
		if i > 1 {
			id = fmt.Sprintf("%s-%d", base, i)
		}
		c.ID, u.CustomerID = id, id
		err := s.store.CreateCustomer(ctx, c, u)
		if err == nil {
			return nil
		}
		if brain.ErrorCode(err) != brain.ECONFLICT {
			return fmt.Errorf("identity: signup: %w", err)
		}
		if _, lookErr := s.store.UserByEmail(ctx, u.Email); lookErr == nil {
			return brain.Errorf(brain.ECONFLICT, "an account with this e-mail already exists")
		}
	}
	return brain.Errorf(brain.ECONFLICT, "no free customer id for %q; choose one with customer_id", c.CompanyName)
}

// VerifyEmail marks the holder of a verification token verified.
func (s *Service) VerifyEmail(ctx context.Context, token string) (*brain.User, error) {
	if token == "" || len(token) > 200 {
		return nil, brain.Errorf(brain.EINVALID, "token is required")
	}
	u, err := s.store.ConsumeUserToken(ctx, store.TokenVerifyEmail, auth.HashSecret(token), s.now(), func(u *brain.User) error {
		u.EmailVerified = true
		u.UpdatedAt = s.now()
		return nil
	})
	if brain.ErrorCode(err) == brain.ENOTFOUND {
		return nil, brain.Errorf(brain.EINVALID, "verification link is invalid or expired")
	}
	if err != nil {
		return nil, fmt.Errorf("identity: verify email: %w", err)
	}
	return u, nil
}

// ResendVerification mails a new verification link to an unverified user.
// It says nothing about whether the address exists.
func (s *Service) ResendVerification(ctx context.Context, email string) error {
	email, err := brain.NormalizeEmail(email)
	if err != nil {
		return err
	}
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil || u.EmailVerified || u.Status != brain.UserActive {
		return nil
	}
	c, err := s.store.Customer(ctx, u.CustomerID)
	if err != nil {
		return fmt.Errorf("identity: resend verification: %w", err)
	}
	token, err := s.issueUserToken(ctx, u, store.TokenVerifyEmail, s.opts.VerifyTTL)
	if err != nil {
		return err
	}
	s.send(ctx, verificationMail(u, c, s.link("/verify-email", token)))
	return nil
}

func verificationMail(u *brain.User, c *brain.Customer, link string) mail.Message {
	return mail.Message{
		To:      u.Email,
		Subject: "Confirm your e-mail for 0711",
		Text: fmt.Sprintf("Hello %s,\n\nconfirm your e-mail address to start using the 0711 brain of %s:\n\n%s\n\n"+
			"The link is valid for 48 hours. If you did not sign up, ignore this message.\n\n— 0711\n", u.Name, c.CompanyName, link),
	}
}
