package brain

import "time"

// APIKey is a customer's credential for machine clients. The secret is
// shown once at creation; only its SHA-256 is stored.
type APIKey struct {
	ID          string       `json:"id"`
	CustomerID  string       `json:"customer_id"`
	Name        string       `json:"name"`
	Prefix      string       `json:"prefix"`
	Permissions []Permission `json:"permissions"`
	CreatedBy   string       `json:"created_by"`
	CreatedAt   time.Time    `json:"created_at"`
	LastUsedAt  *time.Time   `json:"last_used_at,omitempty"`
	ExpiresAt   *time.Time   `json:"expires_at,omitempty"`
	RevokedAt   *time.Time   `json:"revoked_at,omitempty"`

	// Hash is the hex SHA-256 of the secret.
	Hash string `json:"-"`
}

// Usable reports whether the key may authenticate at time now.
func (k *APIKey) Usable(now time.Time) bool {
	return k.RevokedAt == nil && (k.ExpiresAt == nil || now.Before(*k.ExpiresAt))
}
