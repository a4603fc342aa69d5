package api

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Backend is one part of the platform whose state /readyz reports.
type Backend interface {
	// Name names the part, such as "database" or "email".
	Name() string
	// Check returns the part's state; Err set means it cannot serve.
	Check(ctx context.Context) BackendStatus
}

// BackendStatus is the state of one backend.
type BackendStatus struct {
	Kind    string `json:"kind"`              // e.g. "sqlite", "smtp", "outbox"
	Builtin bool   `json:"builtin"`           // runs on the embedded fallback
	Detail  string `json:"detail,omitempty"`  // e.g. where the data lives
	Err     string `json:"error,omitempty"`   // why it is not ready
	Status  string `json:"status"`            // "ok" or "down"
	Latency string `json:"latency,omitempty"` // how long the check took
}

// Health is the body of /healthz.
type Health struct {
	Status  string `json:"status"`
	Version string `json:"version"`
}

// Readiness is the body of /readyz.
type Readiness struct {
	Status   string                   `json:"status"` // "ready" or "not_ready"
	Backends map[string]BackendStatus `json:"backends"`
	Builtins []string                 `json:"builtins"` // parts running on built-in fallbacks
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, Health{Status: "ok", Version: s.opts.Version})
	return nil
}

// readyz checks every backend concurrently, each within a short timeout.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	res := Readiness{Status: "ready", Backends: map[string]BackendStatus{}, Builtins: []string{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, b := range s.opts.Backends {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			st := b.Check(ctx)
			st.Latency = time.Since(start).Round(time.Microsecond).String()
			st.Status = "ok"
			if st.Err != "" {
				st.Status = "down"
			}
			mu.Lock()
			defer mu.Unlock()
			res.Backends[b.Name()] = st
			if st.Err != "" {
				res.Status = "not_ready"
			}
			if st.Builtin {
				res.Builtins = append(res.Builtins, b.Name())
			}
		}()
	}
	wg.Wait()
	status := http.StatusOK
	if res.Status != "ready" {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, res)
	return nil
}

func (s *Server) metricsHandler(w http.ResponseWriter, r *http.Request) error {
	s.metrics.handler().ServeHTTP(w, r)
	return nil
}
