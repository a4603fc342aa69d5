package main

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"

	"github.com/zero711/brain/internal/api"
	"github.com/zero711/brain/internal/chat"
	"github.com/zero711/brain/internal/paths"
)

func cmdServe(ctx context.Context, args []string, e env) error {
	cfg, err := loadConfig("serve", args, e, nil)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, e.stderr)
	p, err := openPlatform(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer p.Close()
	srv := api.New(p.store, p.ident, api.Options{Version: versionString(), CORSOrigins: cfg.CORSAllowedOrigins,
		MaxBodyBytes: cfg.MaxBodyBytes, AuthRateLimit: cfg.AuthRateLimit, TrustedProxies: cfg.TrustedProxies,
		Backends: p.backends, Logger: logger, Lakehouse: p.lake,
		Ingestion: &api.Ingestion{Uploads: p.uploads, Service: p.ingest, Staging: p.paths.Staging,
			MaxFileBytes: cfg.Ingest.MaxFileBytes, MaxRequestBytes: cfg.Ingest.MaxRequestBytes,
			Development: cfg.Deployment == paths.Development},
		Chat: chat.New(p.lake, p.store, chat.Options{LLM: p.llm, Adapters: p.adapters, Logger: logger})})
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Addr, err)
	}
	p.banner(ctx, e, ln.Addr().String())
	if e.ready != nil {
		e.ready(ln.Addr().String())
	}
	var workers sync.WaitGroup
	if cfg.Ingest.Workers > 0 {
		workers.Go(func() { p.ingest.Run(ctx) })
	}
	err = srv.Serve(ctx, ln, cfg.ShutdownTimeout)
	workers.Wait()
	return err
}

// banner tells the operator where the platform listens, where its data
// lives and which parts run on built-in fallbacks.
func (p *platform) banner(ctx context.Context, e env, addr string) {
	var builtins []string
	for _, b := range p.backends {
		st := b.Check(ctx)
		if st.Builtin {
			builtins = append(builtins, fmt.Sprintf("%s (%s)", b.Name(), st.Kind))
		}
	}
	fmt.Fprintf(e.stdout, "0711 %s listening on http://%s (%s deployment)\n", versionString(), addr, p.cfg.Deployment)
	fmt.Fprintf(e.stdout, "  data lives in %s\n", p.cfg.DataDir)
	fmt.Fprintf(e.stdout, "  metadata store: %s\n", p.store.Kind())
	if len(builtins) > 0 {
		fmt.Fprintf(e.stdout, "  built-in fallbacks: %s\n", strings.Join(builtins, ", "))
	}
	fmt.Fprintf(e.stdout, "  public URL %s; health %s/readyz\n", p.cfg.PublicURL, p.cfg.PublicURL)
}
