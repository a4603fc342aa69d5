package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"path/filepath"
	"strconv"
	"time"

	"github.com/zero711/brain/internal/paths"
)

// minSecretBytes is the shortest JWT_SECRET accepted: 256 bits for HS256.
const minSecretBytes = 32

// Validate reports every problem with c at once, one error per setting
// joined with errors.Join, or nil when c is usable.
func (c *Config) Validate() error {
	var errs []error
	add := func(name string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("config: %s: %w", name, err))
		}
	}
	add("ADDR", checkAddr(c.Addr))
	add("DEPLOYMENT_TYPE", checkDeployment(c.Deployment))
	add("DATA_DIR", checkDataDir(c.DataDir))
	add("PUBLIC_URL", checkOrigin(c.PublicURL, true))
	add("DATABASE_URL", checkDatabaseURL(c.DatabaseURL))
	add("JWT_SECRET", checkSecret(c.JWTSecret, c.Deployment))
	add("JWT_TTL", checkPositive(c.JWTTTL))
	add("SMTP_PORT", checkPort(c.SMTP.Port, 1))
	add("SMTP_FROM", checkAddress(c.SMTP.From))
	add("SMTP_TLS", checkOneOf(c.SMTP.TLS, "starttls", "tls", "none"))
	add("SMTP_USERNAME", checkSMTPAuth(c.SMTP))
	for _, o := range c.CORSAllowedOrigins {
		add("CORS_ALLOWED_ORIGINS", checkOrigin(o, false))
	}
	add("MAX_BODY_BYTES", checkPositive(c.MaxBodyBytes))
	add("LOG_FORMAT", checkOneOf(c.LogFormat, "text", "json"))
	add("AUTH_RATE_LIMIT", checkPositive(c.AuthRateLimit))
	add("LOCKOUT_THRESHOLD", checkPositive(c.LockoutThreshold))
	add("LOCKOUT_DURATION", checkPositive(c.LockoutDuration))
	add("SHUTDOWN_TIMEOUT", checkPositive(c.ShutdownTimeout))
	add("LAKEHOUSE_MEMORY_BUDGET", checkPositive(c.Lakehouse.MemoryBudget))
	add("LAKEHOUSE_REFRESH_INTERVAL", checkPositive(c.Lakehouse.RefreshInterval))
	add("SQL_TIMEOUT", checkPositive(c.Lakehouse.SQLTimeout))
	add("SQL_MAX_ROWS", checkPositive(c.Lakehouse.SQLMaxRows))
	add("UPLOAD_MAX_FILE_BYTES", checkPositive(c.Ingest.MaxFileBytes))
	add("UPLOAD_MAX_REQUEST_BYTES", checkPositive(c.Ingest.MaxRequestBytes))
	add("INGEST_FILE_TIMEOUT", checkPositive(c.Ingest.FileTimeout))
	add("INGEST_MAX_ATTEMPTS", checkPositive(c.Ingest.MaxAttempts))
	add("INGEST_MAX_EXPANDED_BYTES", checkPositive(c.Ingest.MaxExpanded))
	if c.Ingest.Lease < time.Second {
		add("INGEST_LEASE", fmt.Errorf("must be at least 1s, got %v", c.Ingest.Lease))
	}
	if c.Ingest.Workers < 0 || c.Ingest.Workers > 256 {
		add("INGEST_WORKERS", fmt.Errorf("must be between 0 and 256, got %d", c.Ingest.Workers))
	}
	if c.Embedding.Dim < 0 || c.Embedding.Dim > 65536 {
		add("EMBEDDING_DIM", fmt.Errorf("must be between 0 and 65536, got %d", c.Embedding.Dim))
	}
	if c.Embedding.URL != "" {
		add("EMBEDDING_URL", checkOrigin(c.Embedding.URL, true))
		if c.Embedding.Model == "" {
			add("EMBEDDING_MODEL", errors.New("is required with EMBEDDING_URL"))
		}
	}
	if c.LLM.Provider != "openai" && c.LLM.Provider != "anthropic" {
		add("LLM_PROVIDER", fmt.Errorf("must be openai or anthropic, got %q", c.LLM.Provider))
	}
	if c.LLM.URL != "" {
		add("LLM_URL", checkOrigin(c.LLM.URL, true))
		if c.LLM.Model == "" {
			add("LLM_MODEL", errors.New("is required with LLM_URL"))
		}
	}
	if c.S3.Endpoint != "" && (c.S3.AccessKey == "" || c.S3.SecretKey == "") {
		add("S3_ACCESS_KEY", errors.New("S3_ACCESS_KEY and S3_SECRET_KEY are required with S3_ENDPOINT"))
	}
	for _, p := range c.TrustedProxies {
		if !p.IsValid() {
			add("TRUSTED_PROXIES", fmt.Errorf("invalid prefix %v", p))
		}
	}
	return errors.Join(errs...)
}

func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port: %w", addr, err)
	}
	n, err := strconv.Atoi(port)
	if err != nil {
		return fmt.Errorf("port %q is not a number", port)
	}
	return checkPort(n, 0)
}

func checkPort(port, lowest int) error {
	if port < lowest || port > 65535 {
		return fmt.Errorf("port %d is outside %d-65535", port, lowest)
	}
	return nil
}

func checkDeployment(d paths.DeploymentType) error {
	_, err := paths.ParseDeploymentType(string(d))
	return err
}

func checkDataDir(dir string) error {
	if !filepath.IsAbs(dir) {
		return fmt.Errorf("%q must be an absolute path", dir)
	}
	return paths.RefuseTemp(dir)
}

// checkOrigin accepts an http or https URL with a host; an origin (for
// CORS) must have nothing after the host, a base URL may have a path.
func checkOrigin(s string, pathAllowed bool) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q is not a URL: %w", s, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q must be an http or https URL with a host", s)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || (!pathAllowed && u.Path != "") {
		return fmt.Errorf("%q must be scheme://host[:port] with nothing after it", s)
	}
	return nil
}

func checkDatabaseURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil {
		// The error would repeat the URL, password included.
		return errors.New("is not a URL")
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return fmt.Errorf("scheme %q must be postgres or postgresql", u.Scheme)
	}
	return nil
}

func checkSecret(secret string, d paths.DeploymentType) error {
	if secret == "" && d == paths.Development {
		return nil
	}
	if len(secret) < minSecretBytes {
		return fmt.Errorf("must be at least %d bytes, got %d", minSecretBytes, len(secret))
	}
	return nil
}

func checkPositive[T ~int | ~int64](v T) error {
	if v <= 0 {
		return fmt.Errorf("must be positive, got %v", v)
	}
	return nil
}

func checkAddress(s string) error {
	if _, err := mail.ParseAddress(s); err != nil {
		return fmt.Errorf("%q is not a mail address: %w", s, err)
	}
	return nil
}

func checkOneOf(s string, allowed ...string) error {
	for _, a := range allowed {
		if s == a {
			return nil
		}
	}
	return fmt.Errorf("%q must be one of %v", s, allowed)
}

func checkSMTPAuth(s SMTP) error {
	switch {
	case s.Password != "" && s.Username == "":
		return errors.New("SMTP_PASSWORD is set but SMTP_USERNAME is not")
	case s.Username != "" && s.Host == "":
		return errors.New("is set but SMTP_HOST is not")
	}
	return nil
}
