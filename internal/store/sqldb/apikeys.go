package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/zero711/brain"
)

const apiKeyColumns = `id, customer_id, name, prefix, hash, permissions, created_by, created_at, last_used_at, expires_at, revoked_at`

// CreateAPIKey implements store.Store.
func (s *DB) CreateAPIKey(ctx context.Context, k *brain.APIKey) error {
	perms, err := json.Marshal(k.Permissions)
	if err != nil {
		return fmt.Errorf("create api key: %w", err)
	}
	k.CreatedAt = norm(k.CreatedAt)
	_, err = s.db.ExecContext(ctx, s.q(`INSERT INTO api_keys (`+apiKeyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		k.ID, k.CustomerID, k.Name, k.Prefix, k.Hash, string(perms), k.CreatedBy, k.CreatedAt,
		normPtr(k.LastUsedAt), normPtr(k.ExpiresAt), normPtr(k.RevokedAt))
	if err != nil {
		return fmt.Errorf("create api key: %w", s.mapErr(err, "api key"))
	}
	return nil
}

// APIKeyByHash implements store.Store.
func (s *DB) APIKeyByHash(ctx context.Context, hash string) (*brain.APIKey, error) {
	k, err := scanAPIKey(s.db.QueryRowContext(ctx, s.q(`SELECT `+apiKeyColumns+` FROM api_keys WHERE hash = ?`), hash))
	if err != nil {
		return nil, fmt.Errorf("api key: %w", s.mapErr(err, "api key"))
	}
	return k, nil
}

// ListAPIKeys implements store.Store.
func (s *DB) ListAPIKeys(ctx context.Context, customerID string) ([]*brain.APIKey, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+apiKeyColumns+` FROM api_keys WHERE customer_id = ? ORDER BY id`), customerID)
	if err != nil {
		return nil, fmt.Errorf("list api keys: %w", err)
	}
	out, err := collect(rows, scanAPIKey)
	if err != nil {
		return nil, fmt.Errorf("list api keys: %w", err)
	}
	return out, nil
}

// RevokeAPIKey implements store.Store.
func (s *DB) RevokeAPIKey(ctx context.Context, customerID, keyID string, now time.Time) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE api_keys SET revoked_at = ?
		WHERE customer_id = ? AND id = ? AND revoked_at IS NULL`), norm(now), customerID, keyID)
	if err == nil {
		err = mustAffect(res, "api key")
	}
	if err != nil {
		return fmt.Errorf("revoke api key: %w", err)
	}
	return nil
}

// TouchAPIKey implements store.Store.
func (s *DB) TouchAPIKey(ctx context.Context, keyID string, now time.Time) error {
	if _, err := s.db.ExecContext(ctx, s.q(`UPDATE api_keys SET last_used_at = ? WHERE id = ?`), norm(now), keyID); err != nil {
		return fmt.Errorf("touch api key: %w", err)
	}
	return nil
}

func scanAPIKey(r scanner) (*brain.APIKey, error) {
	var k brain.APIKey
	var perms string
	err := r.Scan(&k.ID, &k.CustomerID, &k.Name, &k.Prefix, &k.Hash, &perms, &k.CreatedBy, utcTime{&k.CreatedAt},
		nullTime{&k.LastUsedAt}, nullTime{&k.ExpiresAt}, nullTime{&k.RevokedAt})
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(perms), &k.Permissions); err != nil {
		return nil, fmt.Errorf("api key %s: permissions: %w", k.ID, err)
	}
	return &k, nil
}
