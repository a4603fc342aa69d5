package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/api"
)

// TestAccountFlow drives signup → verify → login → invite → accept →
// login as the invited user → role-limited access through the HTTP server.
func TestAccountFlow(t *testing.T) {
	t.Parallel()
	h := newHarness(t)

	r := h.do("POST", "/api/auth/signup", "", api.SignupRequest{CompanyName: "Müller & Söhne GmbH",
		Email: "Erika@Mueller.example", Password: password, Name: "Erika Müller"})
	want(t, r, http.StatusCreated)
	var su api.SignupResponse
	r.json(t, &su)
	if su.Customer.ID != "mueller-soehne-gmbh" || su.User.Role != brain.RoleCustomerAdmin || !su.VerificationRequired || su.User.Email != "erika@mueller.example" {
		t.Fatalf("signup = %s", r.body)
	}
	if strings.Contains(string(r.body), "argon2") {
		t.Fatal("signup response leaks the password hash")
	}

	// Login waits for the e-mail to be confirmed.
	r = h.do("POST", "/api/auth/login", "", api.LoginRequest{Email: "erika@mueller.example", Password: password})
	want(t, r, http.StatusForbidden)

	want(t, h.do("POST", "/api/auth/verify-email", "", api.TokenRequest{Token: h.mailToken("erika@mueller.example")}), http.StatusOK)
	// A verification link works once.
	want(t, h.do("POST", "/api/auth/verify-email", "", api.TokenRequest{Token: h.mailToken("erika@mueller.example")}), http.StatusBadRequest)

	r = h.do("POST", "/api/auth/login", "", api.LoginRequest{Email: "erika@mueller.example", Password: password})
	want(t, r, http.StatusOK)
	var lr api.LoginResponse
	r.json(t, &lr)
	if lr.TokenType != "bearer" || lr.ExpiresIn != 3600 || lr.Customer.ID != su.Customer.ID || lr.User.LoginCount != 1 {
		t.Fatalf("login = %s", r.body)
	}
	admin := lr.AccessToken

	// Invite a plain user, who accepts and signs in.
	r = h.do("POST", "/api/users/invite", admin, api.InviteRequest{Email: "max@mueller.example", Name: "Max"})
	want(t, r, http.StatusCreated)
	var invited brain.User
	r.json(t, &invited)
	if invited.Status != brain.UserInvited || invited.Role != brain.RoleCustomerUser {
		t.Fatalf("invited = %s", r.body)
	}
	want(t, h.do("POST", "/api/auth/login", "", api.LoginRequest{Email: "max@mueller.example", Password: password}), http.StatusUnauthorized)
	token := h.mailToken("max@mueller.example")
	want(t, h.do("POST", "/api/users/accept-invitation", "", api.AcceptInvitationRequest{Token: token, Password: "short"}), http.StatusBadRequest)
	want(t, h.do("POST", "/api/users/accept-invitation", "", api.AcceptInvitationRequest{Token: token, Password: password}), http.StatusOK)
	want(t, h.do("POST", "/api/users/accept-invitation", "", api.AcceptInvitationRequest{Token: token, Password: password}), http.StatusBadRequest)
	user := h.login("max@mueller.example", password)

	// The plain user reads but does not manage.
	want(t, h.do("GET", "/api/users/", user, nil), http.StatusOK)
	want(t, h.do("GET", "/api/users/"+su.User.ID, user, nil), http.StatusOK)
	want(t, h.do("GET", "/api/customer", user, nil), http.StatusOK)
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"POST", "/api/users/invite", api.InviteRequest{Email: "eve@mueller.example"}},
		{"PATCH", "/api/users/" + su.User.ID, map[string]any{"role": "customer_user"}},
		{"DELETE", "/api/users/" + su.User.ID, nil},
		{"PATCH", "/api/users/" + invited.ID + "/permissions", api.PermissionsRequest{Permissions: []brain.Permission{brain.PermUsersManage}}},
		{"POST", "/api/api-keys", api.APIKeyRequest{Name: "ci"}},
		{"GET", "/api/api-keys", nil},
		{"GET", "/api/customer/audit", nil},
		{"GET", "/api/admin/customers", nil},
	} {
		r := h.do(c.method, c.path, user, c.body)
		if r.status != http.StatusForbidden || r.errorCode() != brain.EFORBIDDEN {
			t.Errorf("%s %s as customer_user: %d %s", c.method, c.path, r.status, r.body)
		}
	}
	// But may rename themselves and change their own password.
	want(t, h.do("PATCH", "/api/users/"+invited.ID, user, map[string]any{"name": "Max Mustermann"}), http.StatusOK)
	want(t, h.do("POST", "/api/users/change-password", user, api.ChangePasswordRequest{CurrentPassword: password, NewPassword: "Winter-2027-Brain"}), http.StatusOK)
	h.login("max@mueller.example", "Winter-2027-Brain")

	// The admin grants one more permission; it takes effect on the same token.
	want(t, h.do("PATCH", "/api/users/"+invited.ID+"/permissions", admin,
		api.PermissionsRequest{Permissions: []brain.Permission{brain.PermUsersView, brain.PermAuditView}}), http.StatusOK)
	want(t, h.do("GET", "/api/customer/audit", user, nil), http.StatusOK)
	want(t, h.do("GET", "/api/customer", user, nil), http.StatusForbidden)

	// Deleting the user ends their session at once.
	want(t, h.do("DELETE", "/api/users/"+invited.ID, admin, nil), http.StatusNoContent)
	r = h.do("GET", "/api/users/me", user, nil)
	if r.status != http.StatusUnauthorized {
		t.Fatalf("deleted user's token: %d %s", r.status, r.body)
	}
	want(t, h.do("GET", "/api/users/"+invited.ID, admin, nil), http.StatusNotFound)

	// The admin cannot remove the company's last admin.
	want(t, h.do("DELETE", "/api/users/"+su.User.ID, admin, nil), http.StatusForbidden)
	want(t, h.do("PATCH", "/api/users/"+su.User.ID, admin, map[string]any{"role": "customer_user"}), http.StatusForbidden)

	// Every state change is in the customer's audit log.
	var audit api.AuditList
	r = h.do("GET", "/api/customer/audit?limit=1000", admin, nil)
	want(t, r, http.StatusOK)
	r.json(t, &audit)
	seen := map[string]bool{}
	for _, e := range audit.Entries {
		if e.CustomerID != su.Customer.ID {
			t.Fatalf("foreign audit entry %+v", e)
		}
		seen[e.Action+"/"+e.Outcome] = true
	}
	for _, a := range []string{"auth.signup/success", "auth.verify_email/success", "auth.login/success", "user.invite/success",
		"user.accept_invitation/success", "user.invite/denied", "user.set_permissions/success", "user.delete/success", "user.change_password/success"} {
		if !seen[a] {
			t.Errorf("audit log lacks %s; has %v", a, seen)
		}
	}
}

// TestAPIKeys covers creating, using, scoping and revoking a key.
func TestAPIKeys(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.newTenant("alpha")
	r := h.do("POST", "/api/api-keys", a.token, api.APIKeyRequest{Name: "Nightly export", Permissions: []brain.Permission{brain.PermCustomerView}})
	want(t, r, http.StatusCreated)
	var created api.APIKeyCreated
	r.json(t, &created)
	if !strings.HasPrefix(created.Secret, "sk_0711_") || created.Key.Prefix == "" {
		t.Fatalf("created = %s", r.body)
	}
	want(t, h.do("GET", "/api/customer", created.Secret, nil), http.StatusOK)
	want(t, h.do("GET", "/api/users/", created.Secret, nil), http.StatusForbidden)
	r = h.do("GET", "/api/api-keys", a.token, nil)
	if strings.Contains(string(r.body), created.Secret) || strings.Contains(string(r.body), created.Key.Hash) && created.Key.Hash != "" {
		t.Fatal("listing shows the secret")
	}
	want(t, h.do("POST", "/api/api-keys", a.token, api.APIKeyRequest{Name: "evil", Permissions: []brain.Permission{brain.PermUsersManage}}), http.StatusBadRequest)
	want(t, h.do("DELETE", "/api/api-keys/"+created.Key.ID, a.token, nil), http.StatusNoContent)
	want(t, h.do("GET", "/api/customer", created.Secret, nil), http.StatusUnauthorized)
	want(t, h.do("GET", "/api/customer", "sk_0711_forged", nil), http.StatusUnauthorized)
}

// TestLockout locks an account after repeated failures.
func TestLockout(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.newTenant("alpha")
	for range 5 {
		want(t, h.do("POST", "/api/auth/login", "", api.LoginRequest{Email: a.email, Password: "Wrong-password-1"}), http.StatusUnauthorized)
	}
	r := h.do("POST", "/api/auth/login", "", api.LoginRequest{Email: a.email, Password: password})
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("locked account with right password: %d %s", r.status, r.body)
	}
}

// TestAuthRateLimit slows down one client hammering the auth routes.
func TestAuthRateLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(o *api.Options) { o.AuthRateLimit = 3 })
	codes := map[int]int{}
	for range 6 {
		r := h.do("POST", "/api/auth/login", "", api.LoginRequest{Email: "nobody@x.example", Password: "Whatever-123"})
		codes[r.status]++
	}
	if codes[http.StatusTooManyRequests] < 3 || codes[http.StatusUnauthorized] != 3 {
		t.Fatalf("statuses %v", codes)
	}
}
