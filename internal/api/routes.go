package api

import (
	"net/http"

	"github.com/zero711/brain"
)

// routeTable lists every endpoint of the API (SPEC §9 paths).
func (s *Server) routeTable() []Route {
	const (
		tAuth   = "auth"
		tUsers  = "users"
		tKeys   = "api-keys"
		tCust   = "customer"
		tAdmin  = "admin"
		tSystem = "system"
	)
	return []Route{
		{Method: "GET", Path: "/healthz", Summary: "Liveness: the process answers", Tag: tSystem, Response: Health{}, Handler: s.healthz},
		{Method: "GET", Path: "/readyz", Summary: "Readiness: the state of each backend and which run on built-in fallbacks", Tag: tSystem, Response: Readiness{}, Handler: s.readyz},
		{Method: "GET", Path: "/metrics", Summary: "Prometheus metrics", Tag: tSystem, Handler: s.metricsHandler},
		{Method: "GET", Path: "/api/openapi.json", Summary: "This OpenAPI 3.1 document", Tag: tSystem, Handler: s.openAPI},

		{Method: "POST", Path: "/api/auth/signup", Summary: "Create a customer and its primary customer_admin", Tag: tAuth,
			Action: "auth.signup", Limited: true, Status: http.StatusCreated, Request: SignupRequest{}, Response: SignupResponse{}, Handler: s.signup},
		{Method: "POST", Path: "/api/auth/verify-email", Summary: "Confirm an e-mail address with the token from the mail", Tag: tAuth,
			Action: "auth.verify_email", Limited: true, Request: TokenRequest{}, Response: StatusResponse{}, Handler: s.verifyEmail},
		{Method: "POST", Path: "/api/auth/resend-verification", Summary: "Mail a new verification link", Tag: tAuth,
			Action: "auth.resend_verification", Limited: true, Status: http.StatusAccepted, Request: EmailRequest{}, Response: StatusResponse{}, Handler: s.resendVerification},
		{Method: "POST", Path: "/api/auth/login", Summary: "Sign in with e-mail and password; returns a bearer token", Tag: tAuth,
			Action: "auth.login", Limited: true, Request: LoginRequest{}, Response: LoginResponse{}, Handler: s.login},
		{Method: "POST", Path: "/api/users/accept-invitation", Summary: "Accept an invitation and set a password", Tag: tUsers,
			Action: "user.accept_invitation", Limited: true, Request: AcceptInvitationRequest{}, Response: brain.User{}, Handler: s.acceptInvitation},

		{Method: "GET", Path: "/api/users/", Summary: "List the users of the caller's customer", Tag: tUsers, Scope: ScopeCustomer,
			Perm: brain.PermUsersView, Response: UserList{}, Query: pageParams, Handler: s.listUsers},
		{Method: "GET", Path: "/api/users/me", Summary: "The caller: principal and user record", Tag: tUsers, Scope: ScopeCustomer,
			Response: MeResponse{}, Handler: s.getMe},
		{Method: "GET", Path: "/api/users/permissions", Summary: "The permission catalogue and role defaults", Tag: tUsers, Scope: ScopeCustomer,
			Response: PermissionCatalogue{}, Handler: s.listPermissions},
		{Method: "POST", Path: "/api/users/invite", Summary: "Invite a user by e-mail", Tag: tUsers, Scope: ScopeCustomer,
			Perm: brain.PermUsersInvite, Action: "user.invite", Status: http.StatusCreated, Request: InviteRequest{}, Response: brain.User{}, Handler: s.inviteUser},
		{Method: "POST", Path: "/api/users/change-password", Summary: "Change the caller's password", Tag: tUsers, Scope: ScopeCustomer,
			Action: "user.change_password", Request: ChangePasswordRequest{}, Response: StatusResponse{}, Handler: s.changePassword},
		{Method: "GET", Path: "/api/users/{user_id}", Summary: "Get a user", Tag: tUsers, Scope: ScopeCustomer,
			Response: brain.User{}, Handler: s.getUser},
		{Method: "PATCH", Path: "/api/users/{user_id}", Summary: "Change a user's name, role or status", Tag: tUsers, Scope: ScopeCustomer,
			Action: "user.update", Request: UserPatchRequest{}, Response: brain.User{}, Handler: s.patchUser},
		{Method: "DELETE", Path: "/api/users/{user_id}", Summary: "Delete a user (soft delete)", Tag: tUsers, Scope: ScopeCustomer,
			Perm: brain.PermUsersManage, Action: "user.delete", Status: http.StatusNoContent, Handler: s.deleteUser},
		{Method: "PATCH", Path: "/api/users/{user_id}/permissions", Summary: "Replace a user's permissions", Tag: tUsers, Scope: ScopeCustomer,
			Perm: brain.PermUsersManage, Action: "user.set_permissions", Request: PermissionsRequest{}, Response: brain.User{}, Handler: s.setPermissions},

		{Method: "GET", Path: "/api/api-keys", Summary: "List the customer's API keys", Tag: tKeys, Scope: ScopeCustomer,
			Perm: brain.PermAPIKeysManage, Response: APIKeyList{}, Handler: s.listAPIKeys},
		{Method: "POST", Path: "/api/api-keys", Summary: "Create an API key; the secret is shown once", Tag: tKeys, Scope: ScopeCustomer,
			Perm: brain.PermAPIKeysManage, Action: "apikey.create", Status: http.StatusCreated, Request: APIKeyRequest{}, Response: APIKeyCreated{}, Handler: s.createAPIKey},
		{Method: "DELETE", Path: "/api/api-keys/{key_id}", Summary: "Revoke an API key", Tag: tKeys, Scope: ScopeCustomer,
			Perm: brain.PermAPIKeysManage, Action: "apikey.revoke", Status: http.StatusNoContent, Handler: s.revokeAPIKey},

		{Method: "GET", Path: "/api/customer", Summary: "The caller's customer", Tag: tCust, Scope: ScopeCustomer,
			Perm: brain.PermCustomerView, Response: brain.Customer{}, Handler: s.getCustomer},
		{Method: "GET", Path: "/api/customer/audit", Summary: "The customer's audit log, newest first", Tag: tCust, Scope: ScopeCustomer,
			Perm: brain.PermAuditView, Response: AuditList{}, Query: auditParams, Handler: s.listAudit},

		{Method: "GET", Path: "/api/admin/customers", Summary: "List every customer", Tag: tAdmin, Scope: ScopePlatform,
			Response: CustomerList{}, Query: pageParams, Handler: s.listCustomers},
		{Method: "GET", Path: "/api/admin/audit", Summary: "The whole audit log, or one customer's", Tag: tAdmin, Scope: ScopePlatform,
			Response: AuditList{}, Query: append([]Param{{"customer_id", "only this customer's entries"}}, auditParams...), Handler: s.listAllAudit},
	}
}

var pageParams = []Param{
	{"limit", "page size, 1 to 1000 (default 100)"},
	{"after", "cursor: the id of the last item of the previous page"},
}

var auditParams = []Param{
	{"limit", "page size, 1 to 1000 (default 100)"},
	{"after", "cursor: entries with a sequence number below this one"},
}
