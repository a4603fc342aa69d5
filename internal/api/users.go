package api

import (
	"net/http"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/identity"
	"github.com/zero711/brain/internal/store"
)

type pageT = store.Page

// UserList is a page of users.
type UserList struct {
	Users []*brain.User `json:"users"`
	Next  string        `json:"next,omitempty"` // pass as ?after= for the next page
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	page, err := pageFrom(r)
	if err != nil {
		return err
	}
	users, err := s.ident.ListUsers(r.Context(), principal(r), page)
	if err != nil {
		return err
	}
	res := UserList{Users: nonNil(users)}
	if len(users) == page.Clamp() {
		res.Next = users[len(users)-1].ID
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) getMe(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if p.UserID == "" {
		writeJSON(w, http.StatusOK, MeResponse{Principal: p})
		return nil
	}
	u, err := s.ident.GetUser(r.Context(), p, p.UserID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, MeResponse{Principal: p, User: u})
	return nil
}

// MeResponse describes the caller.
type MeResponse struct {
	Principal *brain.Principal `json:"principal"`
	User      *brain.User      `json:"user,omitempty"`
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) error {
	u, err := s.ident.GetUser(r.Context(), principal(r), r.PathValue("user_id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

// InviteRequest is the body of POST /api/users/invite.
type InviteRequest struct {
	Email       string             `json:"email"`
	Name        string             `json:"name,omitempty"`
	Role        brain.Role         `json:"role,omitempty"`
	Permissions []brain.Permission `json:"permissions,omitempty"`
}

func (s *Server) inviteUser(w http.ResponseWriter, r *http.Request) error {
	var req InviteRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	u, err := s.ident.Invite(r.Context(), principal(r), identity.InviteInput{Email: req.Email, Name: req.Name,
		Role: req.Role, Permissions: req.Permissions})
	if err != nil {
		return err
	}
	noteAudit(r, "", "", "user/"+u.ID, "")
	writeJSON(w, http.StatusCreated, u)
	return nil
}

// AcceptInvitationRequest is the body of POST /api/users/accept-invitation.
type AcceptInvitationRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
	Name     string `json:"name,omitempty"`
}

func (s *Server) acceptInvitation(w http.ResponseWriter, r *http.Request) error {
	var req AcceptInvitationRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	u, err := s.ident.AcceptInvitation(r.Context(), req.Token, req.Password, req.Name)
	if err != nil {
		return err
	}
	noteAudit(r, u.CustomerID, u.ID, "user/"+u.ID, "")
	writeJSON(w, http.StatusOK, u)
	return nil
}

// UserPatchRequest is the body of PATCH /api/users/{user_id}.
type UserPatchRequest struct {
	Name   *string           `json:"name,omitempty"`
	Role   *brain.Role       `json:"role,omitempty"`
	Status *brain.UserStatus `json:"status,omitempty"`
}

func (s *Server) patchUser(w http.ResponseWriter, r *http.Request) error {
	var req UserPatchRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if req.Name == nil && req.Role == nil && req.Status == nil {
		return brain.Errorf(brain.EINVALID, "send at least one of name, role, status")
	}
	u, err := s.ident.UpdateUser(r.Context(), principal(r), r.PathValue("user_id"),
		identity.UserPatch{Name: req.Name, Role: req.Role, Status: req.Status})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request) error {
	if err := s.ident.DeleteUser(r.Context(), principal(r), r.PathValue("user_id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ChangePasswordRequest is the body of POST /api/users/change-password.
type ChangePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	var req ChangePasswordRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := s.ident.ChangePassword(r.Context(), principal(r), req.CurrentPassword, req.NewPassword); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, StatusResponse{Status: "changed"})
	return nil
}

// PermissionsRequest is the body of PATCH /api/users/{user_id}/permissions.
type PermissionsRequest struct {
	Permissions []brain.Permission `json:"permissions"`
}

func (s *Server) setPermissions(w http.ResponseWriter, r *http.Request) error {
	var req PermissionsRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	u, err := s.ident.SetPermissions(r.Context(), principal(r), r.PathValue("user_id"), req.Permissions)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

// PermissionCatalogue lists grantable permissions and role defaults.
type PermissionCatalogue struct {
	Permissions []brain.Permission                `json:"permissions"`
	Defaults    map[brain.Role][]brain.Permission `json:"defaults"`
}

func (s *Server) listPermissions(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, PermissionCatalogue{Permissions: brain.Permissions(), Defaults: map[brain.Role][]brain.Permission{
		brain.RoleCustomerAdmin: brain.DefaultPermissions(brain.RoleCustomerAdmin),
		brain.RoleCustomerUser:  brain.DefaultPermissions(brain.RoleCustomerUser),
	}})
	return nil
}

// APIKeyRequest is the body of POST /api/api-keys.
type APIKeyRequest struct {
	Name          string             `json:"name"`
	Permissions   []brain.Permission `json:"permissions,omitempty"`
	ExpiresInDays int                `json:"expires_in_days,omitempty"`
}

// APIKeyCreated carries a new key and its secret, shown only this once.
type APIKeyCreated struct {
	Key    *brain.APIKey `json:"key"`
	Secret string        `json:"secret"`
}

// APIKeyList lists a customer's keys.
type APIKeyList struct {
	Keys []*brain.APIKey `json:"keys"`
}

func (s *Server) createAPIKey(w http.ResponseWriter, r *http.Request) error {
	var req APIKeyRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	k, secret, err := s.ident.CreateAPIKey(r.Context(), principal(r), req.Name, req.Permissions,
		time.Duration(req.ExpiresInDays)*24*time.Hour)
	if err != nil {
		return err
	}
	noteAudit(r, "", "", "api-key/"+k.ID, "")
	writeJSON(w, http.StatusCreated, APIKeyCreated{Key: k, Secret: secret})
	return nil
}

func (s *Server) listAPIKeys(w http.ResponseWriter, r *http.Request) error {
	keys, err := s.ident.ListAPIKeys(r.Context(), principal(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, APIKeyList{Keys: nonNil(keys)})
	return nil
}

func (s *Server) revokeAPIKey(w http.ResponseWriter, r *http.Request) error {
	if err := s.ident.RevokeAPIKey(r.Context(), principal(r), r.PathValue("key_id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) getCustomer(w http.ResponseWriter, r *http.Request) error {
	c, err := s.ident.Customer(r.Context(), principal(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// CustomerList is a page of customers.
type CustomerList struct {
	Customers []*brain.Customer `json:"customers"`
	Next      string            `json:"next,omitempty"`
}

func (s *Server) listCustomers(w http.ResponseWriter, r *http.Request) error {
	page, err := pageFrom(r)
	if err != nil {
		return err
	}
	cs, err := s.ident.ListCustomers(r.Context(), principal(r), page)
	if err != nil {
		return err
	}
	res := CustomerList{Customers: nonNil(cs)}
	if len(cs) == page.Clamp() {
		res.Next = cs[len(cs)-1].ID
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}
