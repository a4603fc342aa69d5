package brain

import "context"

// Principal is who a call runs as: a signed-in user or a customer API key.
// The HTTP edge resolves it once; every store call still takes the customer
// id explicitly.
type Principal struct {
	UserID      string       `json:"user_id,omitempty"`
	APIKeyID    string       `json:"api_key_id,omitempty"`
	CustomerID  string       `json:"customer_id"`
	Email       string       `json:"email,omitempty"`
	Role        Role         `json:"role"`
	Tier        Tier         `json:"tier"`
	Permissions []Permission `json:"permissions"`
}

// Can reports whether the principal holds permission p.
func (p *Principal) Can(perm Permission) bool {
	return p != nil && HasPermission(p.Permissions, perm)
}

// Actor names the principal in audit entries: the user id, or "apikey:ID".
func (p *Principal) Actor() string {
	switch {
	case p == nil:
		return ""
	case p.APIKeyID != "":
		return "apikey:" + p.APIKeyID
	}
	return p.UserID
}

type principalKey struct{}

// NewContext returns a context that carries p.
func NewContext(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal in ctx, or nil.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}
