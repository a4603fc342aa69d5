package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zero711/brain/internal/api"
	"github.com/zero711/brain/internal/auth"
	"github.com/zero711/brain/internal/blob/s3"
	"github.com/zero711/brain/internal/chat"
	"github.com/zero711/brain/internal/config"
	"github.com/zero711/brain/internal/document"
	"github.com/zero711/brain/internal/embed"
	"github.com/zero711/brain/internal/embed/openai"
	"github.com/zero711/brain/internal/extract"
	"github.com/zero711/brain/internal/identity"
	"github.com/zero711/brain/internal/ingest"
	"github.com/zero711/brain/internal/lakehouse"
	"github.com/zero711/brain/internal/language"
	"github.com/zero711/brain/internal/llm"
	"github.com/zero711/brain/internal/mail"
	"github.com/zero711/brain/internal/paths"
	"github.com/zero711/brain/internal/store"
	"github.com/zero711/brain/internal/store/postgres"
	"github.com/zero711/brain/internal/store/sqlite"
	"github.com/zero711/brain/internal/upload"
)

// loadConfig reads and validates the configuration of a subcommand; fs may
// carry the subcommand's own flags.
func loadConfig(name string, args []string, e env, fs *flag.FlagSet) (*config.Config, error) {
	if fs == nil {
		fs = flag.NewFlagSet(name, flag.ContinueOnError)
	}
	fs.SetOutput(e.stderr)
	cfg, err := config.Load(args, e.getenv, fs)
	if err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// platform is the wired-up platform: what serve runs and admin uses.
type platform struct {
	cfg      *config.Config
	logger   *slog.Logger
	paths    *paths.CustomerPaths
	store    store.Store
	mailer   identity.Mailer
	ident    *identity.Service
	lake     *lakehouse.Lakehouse
	uploads  *upload.Store
	ingest   *ingest.Service
	llm      llm.Client    // nil: the built-in extractive answerer
	adapters chat.Adapters // nil: the base model for everyone
	backends []api.Backend
}

// openPlatform opens every backend the configuration names, falling back
// to the embedded ones.
func openPlatform(ctx context.Context, cfg *config.Config, logger *slog.Logger) (*platform, error) {
	p := &platform{cfg: cfg, logger: logger}
	var err error
	if p.paths, err = paths.New(cfg.Deployment, cfg.DataDir); err != nil {
		return nil, err
	}
	if err := p.paths.Ensure(cfg.DataDir); err != nil {
		return nil, err
	}
	if p.store, err = openStore(ctx, cfg); err != nil {
		return nil, err
	}
	p.backends = append(p.backends, dbBackend{s: p.store, path: cfg.SQLitePath()}, dataDirBackend{dir: cfg.DataDir})
	if err := p.openMailer(); err != nil {
		p.Close()
		return nil, err
	}
	secret, err := jwtSecret(cfg, logger)
	if err != nil {
		p.Close()
		return nil, err
	}
	tokens, err := auth.NewTokens(secret, cfg.JWTTTL, time.Now)
	if err != nil {
		p.Close()
		return nil, err
	}
	p.ident, err = identity.New(p.store, tokens, p.mailer, identity.Options{PublicURL: strings.TrimSuffix(cfg.PublicURL, "/"),
		LockoutThreshold: cfg.LockoutThreshold, LockoutDuration: cfg.LockoutDuration}, logger, time.Now)
	if err != nil {
		p.Close()
		return nil, err
	}
	if err := p.openLakehouse(ctx); err != nil {
		p.Close()
		return nil, err
	}
	p.openIngestion()
	if err := p.openLLM(); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// openLLM wires the answer model of LLM_URL, if any.
func (p *platform) openLLM() error {
	c := p.cfg.LLM
	if c.URL == "" {
		p.backends = append(p.backends, staticBackend{name: "llm", st: api.BackendStatus{Kind: "extractive answerer", Builtin: true,
			Detail: "no LLM_URL: answers quote the documents and say so"}})
		return nil
	}
	cfg := llm.Config{BaseURL: c.URL, APIKey: c.APIKey, Model: c.Model, Logger: p.logger}
	if c.Provider == "anthropic" {
		a, err := llm.NewAnthropic(cfg)
		if err != nil {
			return err
		}
		p.llm = a
	} else {
		o, err := llm.NewOpenAI(cfg)
		if err != nil {
			return err
		}
		p.llm, p.adapters = o, o
	}
	p.backends = append(p.backends, staticBackend{name: "llm", st: api.BackendStatus{Kind: c.Provider, Detail: c.Model}})
	return nil
}

// openIngestion wires uploads (local buckets unless S3_ENDPOINT), the
// extractors and the ingestion workers; serve starts the workers.
func (p *platform) openIngestion() {
	cfg := p.cfg
	var buckets upload.Buckets = upload.NewLocalBuckets(p.paths)
	if cfg.S3.Endpoint != "" {
		buckets = upload.NewS3Buckets(p.s3Config())
	}
	p.uploads = upload.New(buckets, nil)
	x := extract.Builtin(extract.Options{Timeout: cfg.Ingest.FileTimeout, Logger: p.logger,
		Limits:         document.Limits{MaxExpandedBytes: cfg.Ingest.MaxExpanded},
		DetectLanguage: func(s string) string { l, _ := language.Detect(s); return l }})
	pipe := &ingest.Pipeline{Lake: p.lake, Objects: p.uploads, Extractor: x, Staging: p.paths.Staging}
	p.ingest = ingest.NewService(p.store, pipe, ingest.Options{Workers: max(cfg.Ingest.Workers, 1),
		MaxAttempts: cfg.Ingest.MaxAttempts, Lease: cfg.Ingest.Lease, Logger: p.logger, AfterJob: p.compactAfterJob})
	p.backends = append(p.backends, toolsBackend{})
}

// compactAfterJob compacts a customer's tables after an ingestion job:
// each file adds small commits. Rows without a document are left alone,
// since another node may be adding documents.
func (p *platform) compactAfterJob(ctx context.Context, customerID string) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	rep, err := p.lake.Maintain(ctx, customerID, lakehouse.MaintainOptions{SkipOrphans: true})
	if err != nil {
		p.logger.Warn("lakehouse: maintenance after ingestion", "customer", customerID, "err", err)
		return
	}
	p.logger.Info("lakehouse: maintenance after ingestion", "customer", customerID, "compacted", rep.FilesCompacted, "vacuumed", rep.FilesVacuumed)
}

func (p *platform) s3Config() s3.Config {
	c := p.cfg.S3
	return s3.Config{Endpoint: c.Endpoint, AccessKey: c.AccessKey, SecretKey: c.SecretKey, Region: c.Region, UseSSL: c.UseSSL}
}

// openLakehouse wires the embedder (built-in unless EMBEDDING_URL) and the
// table storage (local disk unless S3_ENDPOINT) into the lakehouse.
func (p *platform) openLakehouse(ctx context.Context) error {
	cfg := p.cfg
	var em embed.Embedder
	if cfg.Embedding.URL == "" {
		b, err := embed.NewBuiltin(embed.BuiltinConfig{Dim: cfg.Embedding.Dim})
		if err != nil {
			return err
		}
		em = b
		p.backends = append(p.backends, staticBackend{name: "embeddings", st: api.BackendStatus{Kind: b.Model(), Builtin: true}})
	} else {
		c, err := openai.New(openai.Config{BaseURL: cfg.Embedding.URL, APIKey: cfg.Embedding.APIKey, Model: cfg.Embedding.Model,
			Dim: cfg.Embedding.Dim, Logger: p.logger})
		if err != nil {
			return err
		}
		if _, err := embed.Probe(ctx, c); err != nil {
			return fmt.Errorf("embeddings at %s: %w", cfg.Embedding.URL, err)
		}
		em = c
		p.backends = append(p.backends, staticBackend{name: "embeddings", st: api.BackendStatus{Kind: "openai-compatible", Detail: cfg.Embedding.Model}})
	}
	var storage lakehouse.Storage = lakehouse.NewDiskStorage(p.paths)
	lakeKind := api.BackendStatus{Kind: "delta-local", Builtin: true, Detail: p.cfg.DataDir}
	if cfg.S3.Endpoint != "" {
		storage = lakehouse.NewS3Storage(p.s3Config(), p.paths)
		lakeKind = api.BackendStatus{Kind: "delta-s3", Detail: cfg.S3.Endpoint}
	}
	p.backends = append(p.backends, staticBackend{name: "lakehouse", st: lakeKind})
	sqlSt := api.BackendStatus{Kind: "duckdb"}
	if ok, why := lakehouse.SQLAvailable(); !ok {
		sqlSt.Detail = why
	}
	p.backends = append(p.backends, staticBackend{name: "sql", st: sqlSt})
	weight := cfg.Lakehouse.VectorWeight
	if weight == 0 {
		weight = 1
		if cfg.Embedding.URL == "" {
			weight = lakehouse.BuiltinVectorWeight
		}
	}
	p.lake = lakehouse.New(storage, em, lakehouse.Options{MemoryBudget: cfg.Lakehouse.MemoryBudget, VectorWeight: weight,
		RefreshInterval: cfg.Lakehouse.RefreshInterval, SQLMaxRows: cfg.Lakehouse.SQLMaxRows,
		SQLTimeout: cfg.Lakehouse.SQLTimeout, Logger: p.logger})
	return nil
}

func openStore(ctx context.Context, cfg *config.Config) (store.Store, error) {
	if cfg.DatabaseURL != "" {
		return postgres.Open(ctx, cfg.DatabaseURL)
	}
	return sqlite.Open(ctx, cfg.SQLitePath())
}

func (p *platform) openMailer() error {
	if p.cfg.SMTP.Host == "" {
		dir := filepath.Join(p.cfg.DataDir, "outbox")
		ob, err := mail.NewOutbox(dir, p.cfg.SMTP.From, p.logger)
		if err != nil {
			return err
		}
		p.mailer = ob
		p.backends = append(p.backends, mailBackend{kind: "outbox", builtin: true, detail: dir, check: func(context.Context) error {
			return writable(dir)
		}})
		return nil
	}
	s := p.cfg.SMTP
	m, err := mail.NewSMTP(mail.SMTPConfig{Host: s.Host, Port: s.Port, Username: s.Username, Password: s.Password,
		From: s.From, TLS: mail.TLSMode(s.TLS)}, p.logger)
	if err != nil {
		return err
	}
	p.mailer = m
	addr := fmt.Sprintf("%s:%d", s.Host, s.Port)
	p.backends = append(p.backends, mailBackend{kind: "smtp", detail: addr, check: func(ctx context.Context) error { return dialCheck(ctx, addr) }})
	return nil
}

// Close releases the platform's backends.
func (p *platform) Close() {
	if p.lake != nil {
		if err := p.lake.Close(); err != nil {
			p.logger.Warn("close lakehouse", "err", err)
		}
	}
	if p.store != nil {
		if err := p.store.Close(); err != nil {
			p.logger.Warn("close store", "err", err)
		}
	}
}

// jwtSecret returns JWT_SECRET or, in development, a secret generated once
// and kept in the data dir so that tokens survive restarts.
func jwtSecret(cfg *config.Config, logger *slog.Logger) ([]byte, error) {
	if cfg.JWTSecret != "" {
		return []byte(cfg.JWTSecret), nil
	}
	if cfg.Deployment != paths.Development {
		return nil, errors.New("JWT_SECRET is required outside development")
	}
	file := filepath.Join(cfg.DataDir, "jwt.secret")
	b, err := os.ReadFile(file)
	if err == nil && len(strings.TrimSpace(string(b))) >= 64 {
		return []byte(strings.TrimSpace(string(b))), nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	secret := hex.EncodeToString(raw)
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", file, err)
	}
	if _, err := f.WriteString(secret + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("write %s: %w", file, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write %s: %w", file, err)
	}
	logger.Info("generated a development JWT secret", "file", file)
	return []byte(secret), nil
}
