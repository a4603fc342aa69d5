// Package config loads the settings of the 0711 binary. Settings come, each
// overriding the one before, from a dotenv file (--config or CONFIG_FILE),
// the environment, and command-line flags. Load parses them and fills in
// defaults; Validate reports every problem at once. The Config is built once
// in cmd and passed to constructors; nothing here is global.
package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/netip"
	"path/filepath"
	"time"

	"github.com/joho/godotenv"

	"github.com/zero711/brain/internal/paths"
)

// SMTP holds the settings of the mail server. An empty Host means no
// server: mail is written to an outbox directory instead.
type SMTP struct {
	// Host is the server's name; empty means no server.
	Host string
	// Port is the server's port (SMTP_PORT).
	Port int
	// Username and Password authenticate; an empty Username means none.
	Username string
	Password string
	// From is the sender, e.g. "0711 <no-reply@example.com>".
	From string
	// TLS is "starttls", "tls" (implicit TLS) or "none".
	TLS string
}

// Lakehouse holds the LAKEHOUSE_* and SQL_* settings.
type Lakehouse struct {
	MemoryBudget    int64
	RefreshInterval time.Duration
	SQLTimeout      time.Duration
	SQLMaxRows      int
	VectorWeight    float64
}

// Ingest holds the UPLOAD_* and INGEST_* settings.
type Ingest struct {
	MaxFileBytes    int64
	MaxRequestBytes int64
	Workers         int
	FileTimeout     time.Duration
	MaxAttempts     int
	MaxExpanded     int64
	Lease           time.Duration
}

// LLM holds the LLM_* settings.
type LLM struct {
	Provider, URL, Model, APIKey string
}

// Embedding holds the EMBEDDING_* settings.
type Embedding struct {
	URL, Model, APIKey string
	Dim                int
}

// S3 holds the S3_* settings.
type S3 struct {
	Endpoint, AccessKey, SecretKey, Region string
	UseSSL                                 bool
}

// Config is every setting of the 0711 binary. Load fills it in; Settings
// documents each one under its environment name.
type Config struct {
	// ConfigFile is the dotenv file the settings were read from, if any.
	ConfigFile string

	// Addr is the HTTP listen address (ADDR).
	Addr string
	// Deployment is how the platform is run (DEPLOYMENT_TYPE).
	Deployment paths.DeploymentType
	// DataDir is the absolute directory of all persistent data (DATA_DIR).
	DataDir string
	// PublicURL is the base URL in links sent to users (PUBLIC_URL).
	PublicURL string
	// DatabaseURL is the PostgreSQL URL; empty means SQLite in DataDir
	// (DATABASE_URL).
	DatabaseURL string
	// JWTSecret signs session tokens; it may be empty in development only,
	// where the caller generates one (JWT_SECRET).
	JWTSecret string
	// JWTTTL is how long a session token is valid (JWT_TTL).
	JWTTTL time.Duration
	// SMTP configures outgoing mail (SMTP_*).
	SMTP SMTP
	// Lakehouse tunes the per-customer lakehouse (LAKEHOUSE_*, SQL_*).
	Lakehouse Lakehouse
	// Ingest bounds uploads and tunes the ingestion workers.
	Ingest Ingest
	// LLM selects the answer model (LLM_*); none means the built-in
	// extractive answerer.
	LLM LLM
	// Embedding selects the embedder (EMBEDDING_*).
	Embedding Embedding
	// S3 puts the lakehouse on S3 when Endpoint is set (S3_*).
	S3 S3

	// CORSAllowedOrigins are the browser origins allowed to call the API
	// (CORS_ALLOWED_ORIGINS).
	CORSAllowedOrigins []string
	// MaxBodyBytes caps request bodies other than uploads (MAX_BODY_BYTES).
	MaxBodyBytes int64
	// LogLevel is the least severe level logged (LOG_LEVEL).
	LogLevel slog.Level
	// LogFormat is "text" or "json" (LOG_FORMAT).
	LogFormat string
	// AuthRateLimit is the requests per minute per client IP allowed on
	// authentication routes (AUTH_RATE_LIMIT).
	AuthRateLimit int
	// LockoutThreshold is the failed logins in a row that lock an account
	// (LOCKOUT_THRESHOLD).
	LockoutThreshold int
	// LockoutDuration is how long a locked account stays locked
	// (LOCKOUT_DURATION).
	LockoutDuration time.Duration
	// ShutdownTimeout is how long stopping waits for requests in flight
	// (SHUTDOWN_TIMEOUT).
	ShutdownTimeout time.Duration
	// TrustedProxies are the proxies whose X-Forwarded-For is honoured
	// (TRUSTED_PROXIES).
	TrustedProxies []netip.Prefix
}

// Load registers the settings' flags and --config on fs, parses args with
// it, and returns the Config assembled from the config file, getenv and the
// flags, in that order of precedence. An empty value counts as absent.
// getenv is the environment lookup (os.Getenv in programs, a map in tests);
// nil reads no environment. An unset DEPLOYMENT_TYPE is detected from the
// real filesystem with paths.Detect.
//
// Load reports values it cannot parse; the caller must still call Validate.
// fs must not define the settings' flags itself.
func Load(args []string, getenv func(string) string, fs *flag.FlagSet) (*Config, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	defs := definitions()
	configFlag := fs.String("config", "", "dotenv `file` to read settings from (env CONFIG_FILE)")
	byFlag := map[string]string{}
	for _, d := range defs {
		if name := d.flagName(); name != "" {
			fs.String(name, d.def, d.desc+" (env "+d.name+")")
			byFlag[name] = d.name
		}
	}
	if err := fs.Parse(args); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}

	file := *configFlag
	if file == "" {
		file = getenv("CONFIG_FILE")
	}
	raw := map[string]string{}
	if file != "" {
		m, err := godotenv.Read(file)
		if err != nil {
			return nil, fmt.Errorf("config: read %s: %w", file, err)
		}
		maps.Copy(raw, m)
	}
	for _, d := range defs {
		if v := getenv(d.name); v != "" {
			raw[d.name] = v
		}
	}
	fs.Visit(func(f *flag.Flag) {
		if name, ok := byFlag[f.Name]; ok {
			raw[name] = f.Value.String()
		}
	})

	c := &Config{ConfigFile: file}
	if err := c.set(defs, raw); err != nil {
		return nil, err
	}
	if err := c.derive(paths.Exists); err != nil {
		return nil, err
	}
	return c, nil
}

// set parses raw values, or the static defaults where raw has none, into c.
// It reports every value it cannot parse.
func (c *Config) set(defs []setting, raw map[string]string) error {
	var errs []error
	for _, d := range defs {
		v := raw[d.name]
		if v == "" {
			v = d.def
		}
		if v == "" {
			continue
		}
		if err := d.bind(c).Set(v); err != nil {
			errs = append(errs, fmt.Errorf("config: %s: %w", d.name, err))
		}
	}
	return errors.Join(errs...)
}

// derive fills in the defaults that depend on other settings or on the
// machine: the deployment type, the data directory and the public URL.
func (c *Config) derive(exists func(string) bool) error {
	if c.Deployment == "" {
		c.Deployment = paths.Detect(exists)
	}
	if c.DataDir == "" {
		c.DataDir = paths.DefaultBase(c.Deployment)
	}
	abs, err := filepath.Abs(c.DataDir)
	if err != nil {
		return fmt.Errorf("config: DATA_DIR: %w", err)
	}
	c.DataDir = abs
	if c.PublicURL == "" {
		c.PublicURL = "http://localhost"
		if _, port, err := net.SplitHostPort(c.Addr); err == nil && port != "" {
			c.PublicURL += ":" + port
		}
	}
	return nil
}

// SQLitePath returns the file of the embedded metadata database, or "" when
// DatabaseURL names an external one.
func (c *Config) SQLitePath() string {
	if c.DatabaseURL != "" {
		return ""
	}
	return filepath.Join(c.DataDir, "meta.db")
}
