package identity

import (
	"context"
	"fmt"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/auth"
	"github.com/zero711/brain/internal/store"
)

// CreatePlatformAdmin creates a platform_admin (and the reserved platform
// customer on first use). It is for the operator's command line, not HTTP.
func (s *Service) CreatePlatformAdmin(ctx context.Context, email, password, name string) (*brain.User, error) {
	email, err := brain.NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	if name, err = brain.ValidateName("name", name, 200); err != nil {
		return nil, err
	}
	if err := auth.CheckPasswordPolicy(password, email); err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(password, s.opts.Argon2)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &brain.User{ID: newID(), CustomerID: brain.PlatformCustomerID, Email: email, Name: name,
		Role: brain.RolePlatformAdmin, Status: brain.UserActive, EmailVerified: true,
		Permissions: brain.DefaultPermissions(brain.RolePlatformAdmin), PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	exists, err := s.store.CustomerExists(ctx, brain.PlatformCustomerID)
	if err != nil {
		return nil, fmt.Errorf("identity: create platform admin: %w", err)
	}
	if !exists {
		c := &brain.Customer{ID: brain.PlatformCustomerID, CompanyName: "0711 platform operator", Tier: brain.TierPlatformOps,
			Status: brain.CustomerActive, PrimaryAdmin: u.ID, CreatedAt: now, UpdatedAt: now}
		err = s.store.CreateCustomer(ctx, c, u)
	} else {
		err = s.store.CreateUser(ctx, u)
	}
	if err != nil {
		return nil, fmt.Errorf("identity: create platform admin: %w", err)
	}
	return u, nil
}

// ListCustomers lists every customer; platform admins only.
func (s *Service) ListCustomers(ctx context.Context, p *brain.Principal, page store.Page) ([]*brain.Customer, error) {
	if err := Require(p, brain.PermPlatformAdmin); err != nil {
		return nil, err
	}
	return s.store.ListCustomers(ctx, page)
}
