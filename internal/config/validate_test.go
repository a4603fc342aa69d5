package config_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zero711/brain/internal/config"
	"github.com/zero711/brain/internal/paths"
	"github.com/zero711/brain/internal/paths/pathstest"
)

// valid returns a managed Config that passes Validate.
func valid(t *testing.T) *config.Config {
	t.Helper()
	c, err := load(t, nil, map[string]string{
		"DEPLOYMENT_TYPE": "managed",
		"DATA_DIR":        pathstest.Dir(t),
		"JWT_SECRET":      strings.Repeat("k", 32),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("valid config: %v", err)
	}
	return c
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(c *config.Config)
		want   []string // setting names the error must mention; none for valid
	}{
		{name: "valid", change: func(*config.Config) {}},
		{name: "random port", change: func(c *config.Config) { c.Addr = "127.0.0.1:0" }},
		{name: "addr without port", change: func(c *config.Config) { c.Addr = "localhost" }, want: []string{"ADDR"}},
		{name: "addr port too big", change: func(c *config.Config) { c.Addr = ":70000" }, want: []string{"ADDR"}},
		{name: "unknown deployment", change: func(c *config.Config) { c.Deployment = "cloud" }, want: []string{"DEPLOYMENT_TYPE"}},
		{name: "relative data dir", change: func(c *config.Config) { c.DataDir = "data" }, want: []string{"DATA_DIR"}},
		{name: "data dir in tmp", change: func(c *config.Config) { c.DataDir = "/tmp/0711" }, want: []string{"DATA_DIR"}},
		{name: "data dir in os temp", change: func(c *config.Config) { c.DataDir = filepath.Join(os.TempDir(), "d") }, want: []string{"DATA_DIR"}},
		{name: "public url path ok", change: func(c *config.Config) { c.PublicURL = "https://example.com/0711" }},
		{name: "public url scheme", change: func(c *config.Config) { c.PublicURL = "ftp://example.com" }, want: []string{"PUBLIC_URL"}},
		{name: "public url no host", change: func(c *config.Config) { c.PublicURL = "localhost:4080" }, want: []string{"PUBLIC_URL"}},
		{name: "postgres url", change: func(c *config.Config) { c.DatabaseURL = "postgres://u:p@db/brain?sslmode=disable" }},
		{name: "mysql url", change: func(c *config.Config) { c.DatabaseURL = "mysql://u:p@db/brain" }, want: []string{"DATABASE_URL"}},
		{name: "secret missing", change: func(c *config.Config) { c.JWTSecret = "" }, want: []string{"JWT_SECRET"}},
		{name: "secret short", change: func(c *config.Config) { c.JWTSecret = "short" }, want: []string{"JWT_SECRET"}},
		{name: "secret optional in development", change: func(c *config.Config) {
			c.Deployment, c.JWTSecret = paths.Development, ""
		}},
		{name: "short secret in development", change: func(c *config.Config) {
			c.Deployment, c.JWTSecret = paths.Development, "short"
		}, want: []string{"JWT_SECRET"}},
		{name: "ttl zero", change: func(c *config.Config) { c.JWTTTL = 0 }, want: []string{"JWT_TTL"}},
		{name: "smtp port zero", change: func(c *config.Config) { c.SMTP.Port = 0 }, want: []string{"SMTP_PORT"}},
		{name: "smtp from", change: func(c *config.Config) { c.SMTP.From = "not an address" }, want: []string{"SMTP_FROM"}},
		{name: "smtp tls", change: func(c *config.Config) { c.SMTP.TLS = "ssl" }, want: []string{"SMTP_TLS"}},
		{name: "smtp password alone", change: func(c *config.Config) {
			c.SMTP.Host, c.SMTP.Password = "mail", "pw"
		}, want: []string{"SMTP_PASSWORD"}},
		{name: "smtp user without host", change: func(c *config.Config) { c.SMTP.Username = "u" }, want: []string{"SMTP_HOST"}},
		{name: "smtp auth", change: func(c *config.Config) {
			c.SMTP.Host, c.SMTP.Username, c.SMTP.Password = "mail", "u", "p"
		}},
		{name: "cors ok", change: func(c *config.Config) {
			c.CORSAllowedOrigins = []string{"https://app.example.com", "http://localhost:5173"}
		}},
		{name: "cors path", change: func(c *config.Config) {
			c.CORSAllowedOrigins = []string{"https://app.example.com/"}
		}, want: []string{"CORS_ALLOWED_ORIGINS"}},
		{name: "cors wildcard", change: func(c *config.Config) { c.CORSAllowedOrigins = []string{"*"} }, want: []string{"CORS_ALLOWED_ORIGINS"}},
		{name: "body", change: func(c *config.Config) { c.MaxBodyBytes = 0 }, want: []string{"MAX_BODY_BYTES"}},
		{name: "log format", change: func(c *config.Config) { c.LogFormat = "xml" }, want: []string{"LOG_FORMAT"}},
		{name: "rate", change: func(c *config.Config) { c.AuthRateLimit = -1 }, want: []string{"AUTH_RATE_LIMIT"}},
		{name: "lockout", change: func(c *config.Config) {
			c.LockoutThreshold, c.LockoutDuration = 0, 0
		}, want: []string{"LOCKOUT_THRESHOLD", "LOCKOUT_DURATION"}},
		{name: "shutdown", change: func(c *config.Config) { c.ShutdownTimeout = -1 }, want: []string{"SHUTDOWN_TIMEOUT"}},
		{name: "proxy", change: func(c *config.Config) { c.TrustedProxies = []netip.Prefix{{}} }, want: []string{"TRUSTED_PROXIES"}},
		{name: "all at once", change: func(c *config.Config) {
			c.Addr, c.DataDir, c.JWTSecret, c.LogFormat = "x", "/tmp/d", "", "yaml"
		}, want: []string{"ADDR", "DATA_DIR", "JWT_SECRET", "LOG_FORMAT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := valid(t)
			tt.change(c)
			err := c.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Errorf("Validate: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate succeeded, want errors about %v", tt.want)
			}
			for _, name := range tt.want {
				if !strings.Contains(err.Error(), name) {
					t.Errorf("Validate error %q does not mention %s", err, name)
				}
			}
			if n := len(strings.Split(err.Error(), "\n")); n != len(tt.want) {
				t.Errorf("Validate reported %d problems, want %d: %v", n, len(tt.want), err)
			}
		})
	}
}

func TestValidateDoesNotLeakDatabasePassword(t *testing.T) {
	t.Parallel()
	c := valid(t)
	c.DatabaseURL = "mysql://user:hunter2@db/x"
	if err := c.Validate(); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("Validate = %v, want an error without the password", err)
	}
}
