package identity

import (
	"context"
	"fmt"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/auth"
	"github.com/zero711/brain/internal/mail"
	"github.com/zero711/brain/internal/store"
)

// Require returns EFORBIDDEN unless p holds perm.
func Require(p *brain.Principal, perm brain.Permission) error {
	if p == nil {
		return brain.Errorf(brain.EUNAUTHORIZED, "sign in first")
	}
	if !p.Can(perm) {
		return brain.Errorf(brain.EFORBIDDEN, "this needs the permission %q", perm)
	}
	return nil
}

// ListUsers returns the users of p's customer.
func (s *Service) ListUsers(ctx context.Context, p *brain.Principal, page store.Page) ([]*brain.User, error) {
	if err := Require(p, brain.PermUsersView); err != nil {
		return nil, err
	}
	return s.store.ListUsers(ctx, p.CustomerID, page)
}

// GetUser returns a user of p's customer; anyone may read themselves.
func (s *Service) GetUser(ctx context.Context, p *brain.Principal, id string) (*brain.User, error) {
	if id != p.UserID {
		if err := Require(p, brain.PermUsersView); err != nil {
			return nil, err
		}
	}
	return s.liveUser(ctx, p.CustomerID, id)
}

// liveUser returns a user of the customer that is not deleted.
func (s *Service) liveUser(ctx context.Context, customerID, id string) (*brain.User, error) {
	u, err := s.store.User(ctx, customerID, id)
	if err != nil {
		return nil, err
	}
	if u.DeletedAt != nil {
		return nil, brain.Errorf(brain.ENOTFOUND, "user not found")
	}
	return u, nil
}

// InviteInput says whom to invite.
type InviteInput struct {
	Email       string
	Name        string
	Role        brain.Role
	Permissions []brain.Permission // nil: the role's defaults
}

// Invite creates an invited user in p's customer and mails the link with
// which they set their password.
func (s *Service) Invite(ctx context.Context, p *brain.Principal, in InviteInput) (*brain.User, error) {
	if err := Require(p, brain.PermUsersInvite); err != nil {
		return nil, err
	}
	email, err := brain.NormalizeEmail(in.Email)
	if err != nil {
		return nil, err
	}
	name := email
	if in.Name != "" {
		if name, err = brain.ValidateName("name", in.Name, 200); err != nil {
			return nil, err
		}
	}
	if in.Role == "" {
		in.Role = brain.RoleCustomerUser
	}
	perms, err := s.grantable(p, in.Role, in.Permissions)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &brain.User{ID: newID(), CustomerID: p.CustomerID, Email: email, Name: name, Role: in.Role,
		Status: brain.UserInvited, Permissions: perms, InvitedBy: p.Actor(), CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("identity: invite: %w", err)
	}
	c, err := s.store.Customer(ctx, p.CustomerID)
	if err != nil {
		return nil, fmt.Errorf("identity: invite: %w", err)
	}
	token, err := s.issueUserToken(ctx, u, store.TokenInvitation, s.opts.InviteTTL)
	if err != nil {
		return nil, err
	}
	s.send(ctx, mail.Message{To: email, Subject: "You are invited to the 0711 brain of " + c.CompanyName,
		Text: fmt.Sprintf("Hello %s,\n\n%s invited you to the 0711 brain of %s. Set your password here:\n\n%s\n\n"+
			"The link is valid for 7 days.\n\n— 0711\n", name, p.Email, c.CompanyName, s.link("/accept-invitation", token))})
	return u, nil
}

// grantable checks that the role and permissions exist, that an actor
// without users.manage only invites plain users, and that nobody hands out
// a permission they do not hold themselves.
func (s *Service) grantable(p *brain.Principal, role brain.Role, perms []brain.Permission) ([]brain.Permission, error) {
	if role != brain.RoleCustomerAdmin && role != brain.RoleCustomerUser {
		return nil, brain.Errorf(brain.EINVALID, "role must be customer_admin or customer_user")
	}
	if role == brain.RoleCustomerAdmin {
		if err := Require(p, brain.PermUsersManage); err != nil {
			return nil, err
		}
	}
	if perms == nil {
		perms = brain.DefaultPermissions(role)
	}
	perms, err := brain.ValidatePermissions(role, perms)
	if err != nil {
		return nil, err
	}
	for _, perm := range perms {
		if !p.Can(perm) {
			return nil, brain.Errorf(brain.EFORBIDDEN, "you cannot grant %q: you do not hold it", perm)
		}
	}
	return perms, nil
}

// AcceptInvitation sets the invited user's password and activates them.
func (s *Service) AcceptInvitation(ctx context.Context, token, password, name string) (*brain.User, error) {
	if token == "" || len(token) > 200 {
		return nil, brain.Errorf(brain.EINVALID, "token is required")
	}
	if name != "" {
		var err error
		if name, err = brain.ValidateName("name", name, 200); err != nil {
			return nil, err
		}
	}
	var hash string
	u, err := s.store.ConsumeUserToken(ctx, store.TokenInvitation, auth.HashSecret(token), s.now(), func(u *brain.User) error {
		if u.Status != brain.UserInvited {
			return brain.Errorf(brain.EINVALID, "invitation is no longer open")
		}
		if err := auth.CheckPasswordPolicy(password, u.Email); err != nil {
			return err
		}
		h, err := auth.HashPassword(password, s.opts.Argon2)
		if err != nil {
			return err
		}
		hash = h
		u.PasswordHash, u.Status, u.EmailVerified, u.UpdatedAt = hash, brain.UserActive, true, s.now()
		if name != "" {
			u.Name = name
		}
		return nil
	})
	if brain.ErrorCode(err) == brain.ENOTFOUND {
		return nil, brain.Errorf(brain.EINVALID, "invitation link is invalid or expired")
	}
	if err != nil {
		return nil, fmt.Errorf("identity: accept invitation: %w", err)
	}
	return u, nil
}

// UserPatch holds the fields a PATCH may change; nil leaves one as it is.
type UserPatch struct {
	Name   *string
	Role   *brain.Role
	Status *brain.UserStatus
}

// UpdateUser changes name, role or status of a user of p's customer. A
// role change resets permissions to the new role's defaults. Nobody changes
// their own role or status, and the last active admin stays one.
func (s *Service) UpdateUser(ctx context.Context, p *brain.Principal, id string, patch UserPatch) (*brain.User, error) {
	self := id == p.UserID
	if !self || patch.Role != nil || patch.Status != nil {
		if err := Require(p, brain.PermUsersManage); err != nil {
			return nil, err
		}
	}
	u, err := s.liveUser(ctx, p.CustomerID, id)
	if err != nil {
		return nil, err
	}
	if self && (patch.Role != nil || patch.Status != nil) {
		return nil, brain.Errorf(brain.EFORBIDDEN, "you cannot change your own role or status")
	}
	wasAdmin := u.Role == brain.RoleCustomerAdmin && u.Status == brain.UserActive
	if patch.Name != nil {
		if u.Name, err = brain.ValidateName("name", *patch.Name, 200); err != nil {
			return nil, err
		}
	}
	if patch.Role != nil && *patch.Role != u.Role {
		if u.Permissions, err = s.grantable(p, *patch.Role, nil); err != nil {
			return nil, err
		}
		u.Role = *patch.Role
	}
	if patch.Status != nil {
		st := *patch.Status
		if st != brain.UserActive && st != brain.UserSuspended {
			return nil, brain.Errorf(brain.EINVALID, "status must be active or suspended")
		}
		if u.Status == brain.UserInvited && st == brain.UserActive {
			return nil, brain.Errorf(brain.EINVALID, "an invited user becomes active by accepting the invitation")
		}
		u.Status = st
	}
	stillAdmin := u.Role == brain.RoleCustomerAdmin && u.Status == brain.UserActive
	if wasAdmin && !stillAdmin {
		if err := s.keepOneAdmin(ctx, p.CustomerID, u.ID); err != nil {
			return nil, err
		}
	}
	u.UpdatedAt = s.now()
	if err := s.store.UpdateUser(ctx, p.CustomerID, u); err != nil {
		return nil, fmt.Errorf("identity: update user: %w", err)
	}
	return u, nil
}

// keepOneAdmin refuses a change that would leave the customer without an
// active customer_admin besides the user being changed.
func (s *Service) keepOneAdmin(ctx context.Context, customerID, changing string) error {
	users, err := s.store.ListUsers(ctx, customerID, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return fmt.Errorf("identity: count admins: %w", err)
	}
	for _, u := range users {
		if u.ID != changing && u.Role == brain.RoleCustomerAdmin && u.Status == brain.UserActive {
			return nil
		}
	}
	return brain.Errorf(brain.ECONFLICT, "the company needs at least one active customer_admin")
}

// DeleteUser soft-deletes a user of p's customer: the record stays for the
// audit trail, the user can no longer sign in and their tokens stop working.
func (s *Service) DeleteUser(ctx context.Context, p *brain.Principal, id string) error {
	if err := Require(p, brain.PermUsersManage); err != nil {
		return err
	}
	u, err := s.liveUser(ctx, p.CustomerID, id)
	if err != nil {
		return err
	}
	if id == p.UserID {
		return brain.Errorf(brain.EFORBIDDEN, "you cannot delete yourself")
	}
	if u.Role == brain.RoleCustomerAdmin && u.Status == brain.UserActive {
		if err := s.keepOneAdmin(ctx, p.CustomerID, u.ID); err != nil {
			return err
		}
	}
	now := s.now()
	u.Status, u.DeletedAt, u.UpdatedAt = brain.UserDeleted, &now, now
	if err := s.store.UpdateUser(ctx, p.CustomerID, u); err != nil {
		return fmt.Errorf("identity: delete user: %w", err)
	}
	return nil
}

// ChangePassword changes the caller's own password.
func (s *Service) ChangePassword(ctx context.Context, p *brain.Principal, current, next string) error {
	if p.UserID == "" {
		return brain.Errorf(brain.EFORBIDDEN, "API keys have no password")
	}
	u, err := s.liveUser(ctx, p.CustomerID, p.UserID)
	if err != nil {
		return err
	}
	if !auth.VerifyPassword(current, u.PasswordHash) {
		return brain.Errorf(brain.EINVALID, "current password is wrong")
	}
	if current == next {
		return brain.Errorf(brain.EINVALID, "new password must differ from the current one")
	}
	if err := auth.CheckPasswordPolicy(next, u.Email); err != nil {
		return err
	}
	if u.PasswordHash, err = auth.HashPassword(next, s.opts.Argon2); err != nil {
		return err
	}
	u.UpdatedAt = s.now()
	if err := s.store.UpdateUser(ctx, p.CustomerID, u); err != nil {
		return fmt.Errorf("identity: change password: %w", err)
	}
	return nil
}

// SetPermissions replaces the permissions of a user of p's customer. Nobody
// edits their own, and nobody grants what they do not hold.
func (s *Service) SetPermissions(ctx context.Context, p *brain.Principal, id string, perms []brain.Permission) (*brain.User, error) {
	if err := Require(p, brain.PermUsersManage); err != nil {
		return nil, err
	}
	u, err := s.liveUser(ctx, p.CustomerID, id)
	if err != nil {
		return nil, err
	}
	if id == p.UserID {
		return nil, brain.Errorf(brain.EFORBIDDEN, "you cannot edit your own permissions")
	}
	if perms == nil {
		return nil, brain.Errorf(brain.EINVALID, "permissions is required (use [] for none)")
	}
	if u.Permissions, err = s.grantable(p, u.Role, perms); err != nil {
		return nil, err
	}
	u.UpdatedAt = s.now()
	if err := s.store.UpdateUser(ctx, p.CustomerID, u); err != nil {
		return nil, fmt.Errorf("identity: set permissions: %w", err)
	}
	return u, nil
}

// Customer returns p's own customer.
func (s *Service) Customer(ctx context.Context, p *brain.Principal) (*brain.Customer, error) {
	if err := Require(p, brain.PermCustomerView); err != nil {
		return nil, err
	}
	return s.store.Customer(ctx, p.CustomerID)
}
