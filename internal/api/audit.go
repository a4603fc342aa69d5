package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/store"
)

type auditKey struct{}

// auditRecord lets a handler name what the middleware cannot know: the
// customer and actor of a public route (signup, login) and the target it
// created.
type auditRecord struct {
	customerID, actor, target, detail string
}

// noteAudit fills in the audit record of the request, if it has one.
func noteAudit(r *http.Request, customerID, actor, target, detail string) {
	rec, _ := r.Context().Value(auditKey{}).(*auditRecord)
	if rec == nil {
		return
	}
	if customerID != "" {
		rec.customerID = customerID
	}
	if actor != "" {
		rec.actor = actor
	}
	if target != "" {
		rec.target = target
	}
	if detail != "" {
		rec.detail = detail
	}
}

// audit appends the entry of a state-changing call, whatever its outcome.
func (s *Server) audit(r *http.Request, rt Route, rec *auditRecord, status int) {
	e := &brain.AuditEntry{Time: s.now(), Action: rt.Action, RequestID: requestIDFrom(r.Context()), Detail: rec.detail}
	if p := principal(r); p != nil {
		e.CustomerID, e.Actor = p.CustomerID, p.Actor()
	}
	if rec.customerID != "" {
		e.CustomerID = rec.customerID
	}
	if rec.actor != "" {
		e.Actor = rec.actor
	}
	var targets []string
	for _, name := range rt.PathParams() {
		targets = append(targets, r.PathValue(name))
	}
	e.Target = strings.Join(targets, "/")
	if rec.target != "" {
		e.Target = rec.target
	}
	switch {
	case status == 0 || status < 400:
		e.Outcome = brain.OutcomeSuccess
	case status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusTooManyRequests:
		e.Outcome = brain.OutcomeDenied
	default:
		e.Outcome = brain.OutcomeFailure
	}
	// The request may be cancelled by now; the entry must still be written.
	ctx := context.WithoutCancel(r.Context())
	if err := s.store.AppendAudit(ctx, e); err != nil {
		s.logger.ErrorContext(ctx, "audit append failed", "action", e.Action, "request_id", e.RequestID, "err", err)
	}
}

func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	page, err := pageFrom(r)
	if err != nil {
		return err
	}
	entries, err := s.store.ListAudit(r.Context(), p.CustomerID, page)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, AuditList{Entries: nonNil(entries)})
	return nil
}

func (s *Server) listAllAudit(w http.ResponseWriter, r *http.Request) error {
	page, err := pageFrom(r)
	if err != nil {
		return err
	}
	entries, err := s.store.ListAudit(r.Context(), r.URL.Query().Get("customer_id"), page)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, AuditList{Entries: nonNil(entries)})
	return nil
}

// AuditList is a page of audit entries, newest first.
type AuditList struct {
	Entries []*brain.AuditEntry `json:"entries"`
}

var _ store.Page
