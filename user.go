package brain

import (
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Role is a user's role. Permissions default from it.
type Role string

// Roles of SPEC §2.
const (
	RolePlatformAdmin Role = "platform_admin"
	RoleCustomerAdmin Role = "customer_admin"
	RoleCustomerUser  Role = "customer_user"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return r == RolePlatformAdmin || r == RoleCustomerAdmin || r == RoleCustomerUser
}

// UserStatus is the life-cycle state of a user.
type UserStatus string

// User statuses. A deleted user is kept (soft delete) but can do nothing.
const (
	UserInvited   UserStatus = "invited"
	UserActive    UserStatus = "active"
	UserSuspended UserStatus = "suspended"
	UserDeleted   UserStatus = "deleted"
)

// User is a person who signs in. Email addresses are unique among users who
// are not deleted, across all customers, because login is by e-mail alone.
type User struct {
	ID            string       `json:"id"`
	CustomerID    string       `json:"customer_id"`
	Email         string       `json:"email"`
	Name          string       `json:"name"`
	Role          Role         `json:"role"`
	Status        UserStatus   `json:"status"`
	Permissions   []Permission `json:"permissions"`
	EmailVerified bool         `json:"email_verified"`
	InvitedBy     string       `json:"invited_by,omitempty"`
	LastLoginAt   *time.Time   `json:"last_login_at,omitempty"`
	LoginCount    int          `json:"login_count"`
	FailedLogins  int          `json:"-"`
	LockedUntil   *time.Time   `json:"locked_until,omitempty"`
	CreatedAt     time.Time    `json:"created_at"`
	UpdatedAt     time.Time    `json:"updated_at"`
	DeletedAt     *time.Time   `json:"deleted_at,omitempty"`

	// PasswordHash is the argon2id PHC string; empty until a password is set.
	PasswordHash string `json:"-"`
}

// Can reports whether the user holds permission p.
func (u *User) Can(p Permission) bool { return HasPermission(u.Permissions, p) }

// Permission is a granular right such as "users.invite".
type Permission string

// Permissions. The catalogue is closed: an unknown string is refused.
const (
	PermAll           Permission = "*"
	PermUsersView     Permission = "users.view"
	PermUsersInvite   Permission = "users.invite"
	PermUsersManage   Permission = "users.manage"
	PermAPIKeysManage Permission = "apikeys.manage"
	PermAuditView     Permission = "audit.view"
	PermCustomerView  Permission = "customer.view"
	PermBillingView   Permission = "billing.view"
	PermBillingManage Permission = "billing.manage"
	PermMCPsInstall   Permission = "mcps.install"
	PermDataUpload    Permission = "data.upload"
	PermDataQuery     Permission = "data.query"
	PermDataDelete    Permission = "data.delete"
	PermChatUse       Permission = "chat.use"
	PermPlatformAdmin Permission = "platform.admin"
)

// Permissions lists every grantable permission (all but PermAll).
var permissionCatalogue = []Permission{
	PermUsersView, PermUsersInvite, PermUsersManage, PermAPIKeysManage, PermAuditView,
	PermCustomerView, PermBillingView, PermBillingManage, PermMCPsInstall,
	PermDataUpload, PermDataQuery, PermDataDelete, PermChatUse, PermPlatformAdmin,
}

// Permissions returns the catalogue of grantable permissions.
func Permissions() []Permission { return slices.Clone(permissionCatalogue) }

// DefaultPermissions returns the permissions a new user of role r gets.
func DefaultPermissions(r Role) []Permission {
	switch r {
	case RolePlatformAdmin:
		return []Permission{PermAll}
	case RoleCustomerAdmin:
		return []Permission{
			PermUsersView, PermUsersInvite, PermUsersManage, PermAPIKeysManage, PermAuditView,
			PermCustomerView, PermBillingView, PermBillingManage, PermMCPsInstall,
			PermDataUpload, PermDataQuery, PermDataDelete, PermChatUse,
		}
	case RoleCustomerUser:
		return []Permission{PermUsersView, PermCustomerView, PermDataUpload, PermDataQuery, PermChatUse}
	}
	return nil
}

// ValidatePermissions checks that every entry is in the catalogue (or is
// PermAll, which only platform admins may hold) and returns them sorted and
// without duplicates.
func ValidatePermissions(role Role, perms []Permission) ([]Permission, error) {
	out := make([]Permission, 0, len(perms))
	for _, p := range perms {
		switch {
		case p == PermAll || p == PermPlatformAdmin:
			if role != RolePlatformAdmin {
				return nil, Errorf(EINVALID, "permission %q is reserved for platform admins", p)
			}
		case !slices.Contains(permissionCatalogue, p):
			return nil, Errorf(EINVALID, "unknown permission %q", clip(string(p)))
		}
		out = append(out, p)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// HasPermission reports whether set grants p.
func HasPermission(set []Permission, p Permission) bool {
	return slices.Contains(set, PermAll) || slices.Contains(set, p)
}

// NormalizeEmail lowercases and trims an address and checks that it is a
// plain address (no display name, no control or format characters, at most
// 254 bytes). Format characters such as U+202E (right-to-left override) or
// U+200B (zero-width space) would let one address pose as another.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", Errorf(EINVALID, "email is required")
	}
	if len(s) > 254 || hasControl(s) || strings.ContainsFunc(s, func(c rune) bool { return unicode.Is(unicode.Cf, c) }) {
		return "", Errorf(EINVALID, "email is not a valid address")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || strings.ContainsAny(s, " '\";`\\=()<>,") {
		return "", Errorf(EINVALID, "email %q is not a valid address", clip(s))
	}
	at := strings.LastIndexByte(s, '@')
	if !strings.Contains(s[at+1:], ".") {
		return "", Errorf(EINVALID, "email %q needs a domain with a dot", clip(s))
	}
	return s, nil
}

// ValidateName checks a display name or company name: 1 to max runes of
// letters, digits, spaces and the punctuation real names use. Characters
// that only appear in injection attempts or markup (; = < > " ` \ and
// control characters) are refused.
func ValidateName(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", Errorf(EINVALID, "%s is required", field)
	}
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return "", Errorf(EINVALID, "%s must be valid text of at most %d characters", field, max)
	}
	for _, c := range s {
		if unicode.IsLetter(c) || unicode.IsDigit(c) || unicode.Is(unicode.Mn, c) || c == ' ' {
			continue
		}
		if !strings.ContainsRune(".,&'’-_()/+@#!?:", c) {
			return "", Errorf(EINVALID, "%s contains the character %q, which is not allowed", field, c)
		}
	}
	return s, nil
}

func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}
