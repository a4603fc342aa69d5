package api

import (
	"net/http"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/identity"
)

// SignupRequest is the body of POST /api/auth/signup.
type SignupRequest struct {
	CompanyName string `json:"company_name"`
	Email       string `json:"email"`
	Password    string `json:"password"`
	Name        string `json:"name"`
	CustomerID  string `json:"customer_id,omitempty"`
}

// SignupResponse answers a signup.
type SignupResponse struct {
	Customer             *brain.Customer `json:"customer"`
	User                 *brain.User     `json:"user"`
	VerificationRequired bool            `json:"verification_required"`
}

func (s *Server) signup(w http.ResponseWriter, r *http.Request) error {
	var req SignupRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	c, u, err := s.ident.Signup(r.Context(), identity.SignupInput{CompanyName: req.CompanyName, Email: req.Email,
		Password: req.Password, Name: req.Name, CustomerID: req.CustomerID})
	if err != nil {
		return err
	}
	noteAudit(r, c.ID, u.ID, "customer/"+c.ID, "")
	writeJSON(w, http.StatusCreated, SignupResponse{Customer: c, User: u, VerificationRequired: true})
	return nil
}

// TokenRequest carries a one-time token from an e-mail link.
type TokenRequest struct {
	Token string `json:"token"`
}

// StatusResponse is a plain acknowledgement.
type StatusResponse struct {
	Status  string `json:"status"`
	Message string `json:"message,omitempty"`
}

func (s *Server) verifyEmail(w http.ResponseWriter, r *http.Request) error {
	var req TokenRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	u, err := s.ident.VerifyEmail(r.Context(), req.Token)
	if err != nil {
		return err
	}
	noteAudit(r, u.CustomerID, u.ID, "user/"+u.ID, "")
	writeJSON(w, http.StatusOK, StatusResponse{Status: "verified", Message: "e-mail confirmed; you can sign in now"})
	return nil
}

// EmailRequest names an e-mail address.
type EmailRequest struct {
	Email string `json:"email"`
}

func (s *Server) resendVerification(w http.ResponseWriter, r *http.Request) error {
	var req EmailRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := s.ident.ResendVerification(r.Context(), req.Email); err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, StatusResponse{Status: "accepted",
		Message: "if an unconfirmed account uses this address, a new link is on its way"})
	return nil
}

// LoginRequest is the body of POST /api/auth/login.
type LoginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// LoginResponse carries the access token.
type LoginResponse struct {
	AccessToken string          `json:"access_token"`
	TokenType   string          `json:"token_type"`
	ExpiresIn   int64           `json:"expires_in"`
	User        *brain.User     `json:"user"`
	Customer    *brain.Customer `json:"customer"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var req LoginRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	sess, err := s.ident.Login(r.Context(), req.Email, req.Password)
	if err != nil {
		noteAudit(r, "", "", "", "email="+clipDetail(req.Email))
		return err
	}
	noteAudit(r, sess.User.CustomerID, sess.User.ID, "user/"+sess.User.ID, "")
	writeJSON(w, http.StatusOK, LoginResponse{AccessToken: sess.AccessToken, TokenType: "bearer",
		ExpiresIn: int64(sess.ExpiresIn.Seconds()), User: sess.User, Customer: sess.Customer})
	return nil
}

// clipDetail bounds what a client may put into the audit log.
func clipDetail(s string) string {
	if len(s) > 100 {
		return s[:100]
	}
	return s
}
