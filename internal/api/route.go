package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/zero711/brain"
)

// Scope says whose data a route touches.
type Scope int

// Route scopes. The isolation test walks every ScopeCustomer route with one
// customer's token against another customer's ids.
const (
	ScopePublic   Scope = iota // no principal: signup, login, health
	ScopeCustomer              // the caller's own customer's data
	ScopePlatform              // platform administration
)

// Route is one endpoint: its pattern, what it needs and what it exchanges.
// The router, the OpenAPI document and the isolation test all read the
// same table.
type Route struct {
	Method   string
	Path     string // ServeMux pattern path, e.g. /api/users/{user_id}
	Summary  string
	Tag      string
	Scope    Scope
	Perm     brain.Permission // required permission; "" for any signed-in caller
	Action   string           // audit action; "" for routes that change nothing
	Limited  bool             // rate-limited per client address
	Status   int              // success status, 200 when 0
	Request  any              // prototype of the JSON body, for the OpenAPI document
	Response any              // prototype of the JSON response
	Query    []Param          // documented query parameters
	MaxBody  int64            // body limit when above Options.MaxBodyBytes (uploads)
	// QueryToken also accepts the credential as ?access_token=, for
	// WebSockets, which browsers open without an Authorization header.
	QueryToken bool
	Handler    func(w http.ResponseWriter, r *http.Request) error
}

// Param documents a query parameter.
type Param struct {
	Name, Description string
}

// Pattern returns the ServeMux pattern of the route.
func (rt Route) Pattern() string { return rt.Method + " " + rt.Path }

// PathParams returns the names of the route's path wildcards.
func (rt Route) PathParams() []string {
	var out []string
	for _, seg := range strings.Split(rt.Path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out = append(out, strings.TrimSuffix(strings.Trim(seg, "{}"), "..."))
		}
	}
	return out
}

// serve wraps the route's handler with authentication, authorisation,
// rate limiting and auditing.
func (s *Server) serve(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.Action != "" {
			rec := &auditRecord{}
			r = r.WithContext(context.WithValue(r.Context(), auditKey{}, rec))
			sw := &statusWriter{ResponseWriter: w}
			w = sw
			defer func() { s.audit(r, rt, rec, sw.status) }()
		}
		if rt.Limited && !s.limiter.allow(s.clientIP(r)) {
			w.Header().Set("Retry-After", "60")
			s.writeError(w, r, brain.Errorf(brain.ERATELIMITED, "too many requests; slow down"))
			return
		}
		if rt.Scope != ScopePublic {
			p, err := s.authenticate(r, rt.QueryToken)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			r = r.WithContext(brain.NewContext(r.Context(), p))
			if rt.Scope == ScopePlatform && !p.Can(brain.PermPlatformAdmin) {
				s.writeError(w, r, brain.Errorf(brain.EFORBIDDEN, "platform administrators only"))
				return
			}
			if rt.Perm != "" && !p.Can(rt.Perm) {
				s.writeError(w, r, brain.Errorf(brain.EFORBIDDEN, "this needs the permission %q", rt.Perm))
				return
			}
		}
		if err := rt.Handler(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// authenticate resolves the bearer credential of r.
func (s *Server) authenticate(r *http.Request, queryToken bool) (*brain.Principal, error) {
	if tok := r.URL.Query().Get("access_token"); queryToken && tok != "" && r.Header.Get("Authorization") == "" {
		return s.ident.Authenticate(r.Context(), tok)
	}
	h := r.Header.Get("Authorization")
	scheme, cred, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "bearer") || strings.TrimSpace(cred) == "" {
		return nil, brain.Errorf(brain.EUNAUTHORIZED, "send Authorization: Bearer <token>")
	}
	return s.ident.Authenticate(r.Context(), strings.TrimSpace(cred))
}

// principal returns the principal the route wrapper put in ctx.
func principal(r *http.Request) *brain.Principal { return brain.PrincipalFrom(r.Context()) }
