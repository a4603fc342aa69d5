package identity

import (
	"context"
	"fmt"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/auth"
)

// keyForbidden are permissions a machine client never gets: managing people
// and credentials stays with people.
var keyForbidden = []brain.Permission{brain.PermUsersInvite, brain.PermUsersManage, brain.PermAPIKeysManage, brain.PermPlatformAdmin, brain.PermAll}

// CreateAPIKey creates a key for p's customer and returns it with its
// secret, which is never shown again. Permissions default to the data and
// chat permissions the creator holds.
func (s *Service) CreateAPIKey(ctx context.Context, p *brain.Principal, name string, perms []brain.Permission, ttl time.Duration) (*brain.APIKey, string, error) {
	if err := Require(p, brain.PermAPIKeysManage); err != nil {
		return nil, "", err
	}
	name, err := brain.ValidateName("name", name, 100)
	if err != nil {
		return nil, "", err
	}
	if perms == nil {
		for _, perm := range []brain.Permission{brain.PermDataQuery, brain.PermDataUpload, brain.PermChatUse} {
			if p.Can(perm) {
				perms = append(perms, perm)
			}
		}
	}
	if perms, err = brain.ValidatePermissions(brain.RoleCustomerUser, perms); err != nil {
		return nil, "", err
	}
	for _, perm := range perms {
		for _, f := range keyForbidden {
			if perm == f {
				return nil, "", brain.Errorf(brain.EINVALID, "API keys cannot hold %q", perm)
			}
		}
		if !p.Can(perm) {
			return nil, "", brain.Errorf(brain.EFORBIDDEN, "you cannot grant %q: you do not hold it", perm)
		}
	}
	if ttl < 0 || ttl > 5*365*24*time.Hour {
		return nil, "", brain.Errorf(brain.EINVALID, "expires_in_days must be between 0 (never) and 1825")
	}
	secret, prefix, hash, err := auth.NewAPIKeySecret()
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	k := &brain.APIKey{ID: newID(), CustomerID: p.CustomerID, Name: name, Prefix: prefix, Hash: hash,
		Permissions: perms, CreatedBy: p.Actor(), CreatedAt: now}
	if ttl > 0 {
		exp := now.Add(ttl)
		k.ExpiresAt = &exp
	}
	if err := s.store.CreateAPIKey(ctx, k); err != nil {
		return nil, "", fmt.Errorf("identity: create api key: %w", err)
	}
	return k, secret, nil
}

// ListAPIKeys lists p's customer's keys (without secrets).
func (s *Service) ListAPIKeys(ctx context.Context, p *brain.Principal) ([]*brain.APIKey, error) {
	if err := Require(p, brain.PermAPIKeysManage); err != nil {
		return nil, err
	}
	return s.store.ListAPIKeys(ctx, p.CustomerID)
}

// RevokeAPIKey revokes a key of p's customer; it stops working at once.
func (s *Service) RevokeAPIKey(ctx context.Context, p *brain.Principal, id string) error {
	if err := Require(p, brain.PermAPIKeysManage); err != nil {
		return err
	}
	return s.store.RevokeAPIKey(ctx, p.CustomerID, id, s.now())
}
