// Package api serves the platform's HTTP API on one port: the route table,
// middleware (request id, access log, panic recovery, body limits, CORS,
// security headers, metrics, rate limits, audit), health and readiness,
// Prometheus metrics and the OpenAPI document generated from the routes.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/zero711/brain/internal/chat"
	"github.com/zero711/brain/internal/identity"
	"github.com/zero711/brain/internal/lakehouse"
	"github.com/zero711/brain/internal/store"
)

// Options configure a Server.
type Options struct {
	Version        string
	CORSOrigins    []string
	MaxBodyBytes   int64
	AuthRateLimit  int // requests per minute per client on auth routes; 0 = unlimited
	TrustedProxies []netip.Prefix
	Backends       []Backend
	Lakehouse      *lakehouse.Lakehouse // nil: the data routes answer 503
	Ingestion      *Ingestion           // nil: the upload and ingest routes answer 503
	Chat           *chat.Service        // nil: the chat routes answer 503
	Logger         *slog.Logger
	Now            func() time.Time
}

// Server is the HTTP API.
type Server struct {
	opts    Options
	store   store.Store
	ident   *identity.Service
	logger  *slog.Logger
	now     func() time.Time
	metrics *metrics
	limiter *limiter
	routes  []Route
	// bodyLimits are the routes whose bodies may exceed MaxBodyBytes.
	bodyLimits map[string]int64
	mux        *http.ServeMux
	handler    http.Handler

	openapiOnce sync.Once
	openapiDoc  map[string]any
}

// New returns a server with every route registered.
func New(s store.Store, ident *identity.Service, opts Options) *Server {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 1 << 20
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	srv := &Server{opts: opts, store: s, ident: ident, logger: opts.Logger, now: opts.Now,
		metrics: newMetrics(), limiter: newLimiter(opts.AuthRateLimit), mux: http.NewServeMux()}
	srv.routes = srv.routeTable()
	srv.bodyLimits = map[string]int64{}
	for _, rt := range srv.routes {
		if rt.MaxBody > 0 {
			srv.bodyLimits[rt.Pattern()] = rt.MaxBody
		}
		pattern := rt.Pattern()
		if strings.HasSuffix(pattern, "/") {
			pattern += "{$}" // a bare trailing slash would match every path below it
		}
		srv.mux.Handle(pattern, srv.serve(rt))
	}
	// The recovered panic is answered inside the request id and the access
	// log, so that its body, log line and metrics carry both.
	srv.handler = withRequestID(srv.withAccessLog(srv.withRecover(withSecurityHeaders(srv.withCORS(srv.withBodyLimit(srv.withJSONFallback(srv.mux)))))))
	return srv
}

// Routes returns the route table.
func (s *Server) Routes() []Route { return s.routes }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// withJSONFallback answers requests no route matches (404, 405) with the
// same JSON error shape as every other error.
func (s *Server) withJSONFallback(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		probe := &headerProbe{header: http.Header{}}
		mux.ServeHTTP(probe, r)
		status := probe.status
		if status == 0 || status == http.StatusOK {
			mux.ServeHTTP(w, r) // a redirect or similar: let the mux answer
			return
		}
		if allow := probe.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		msg := "no such route: " + r.Method + " " + r.URL.Path
		if status == http.StatusMethodNotAllowed {
			msg = "method " + r.Method + " is not allowed on " + r.URL.Path
		}
		writeJSON(w, status, ErrorBody{Error: ErrorDetail{Code: codeOf(status), Message: msg, RequestID: requestIDFrom(r.Context())}})
	})
}

// headerProbe captures what the mux would answer without writing it.
type headerProbe struct {
	header http.Header
	status int
}

func (p *headerProbe) Header() http.Header         { return p.header }
func (p *headerProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *headerProbe) WriteHeader(code int)        { p.status = code }

// Serve answers on ln until ctx ends, then shuts down gracefully: it stops
// accepting, lets requests in flight finish within grace, and returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("api: serve: %w", err)
	case <-ctx.Done():
	}
	s.logger.Info("shutting down", "grace", grace)
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("api: shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("api: serve: %w", err)
	}
	return nil
}
