package config_test

import (
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/config"
	"github.com/zero711/brain/internal/paths"
)

// load runs config.Load with env as the whole environment and a fresh
// flag set that reports errors instead of exiting.
func load(t *testing.T, args []string, env map[string]string) (*config.Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("0711", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return config.Load(args, func(k string) string { return env[k] }, fs)
}

// writeFile writes a dotenv file and returns its path.
func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "0711.env")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	c, err := load(t, nil, map[string]string{"DEPLOYMENT_TYPE": "development"})
	if err != nil {
		t.Fatal(err)
	}
	dataDir, err := filepath.Abs("data")
	if err != nil {
		t.Fatal(err)
	}
	want := &config.Config{
		Addr:       ":4080",
		Deployment: paths.Development,
		DataDir:    dataDir,
		PublicURL:  "http://localhost:4080",
		JWTTTL:     168 * time.Hour,
		SMTP: config.SMTP{
			Port: 587, From: "0711 <no-reply@localhost>", TLS: "starttls",
		},
		MaxBodyBytes:     1 << 20,
		LogLevel:         slog.LevelInfo,
		LogFormat:        "text",
		AuthRateLimit:    20,
		LockoutThreshold: 5,
		LockoutDuration:  15 * time.Minute,
		ShutdownTimeout:  15 * time.Second,
		Lakehouse: config.Lakehouse{MemoryBudget: 2 << 30, RefreshInterval: 2 * time.Second,
			SQLTimeout: 10 * time.Second, SQLMaxRows: 1000},
		Ingest: config.Ingest{MaxFileBytes: 512 << 20, MaxRequestBytes: 2 << 30, Workers: 2, FileTimeout: 5 * time.Minute,
			MaxAttempts: 5, MaxExpanded: 1 << 30, Lease: time.Minute},
		S3:  config.S3{Region: "us-east-1", UseSSL: true},
		LLM: config.LLM{Provider: "openai"},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Load defaults =\n%+v\nwant\n%+v", c, want)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Validate defaults: %v", err)
	}
	if got, want := c.SQLitePath(), filepath.Join(dataDir, "meta.db"); got != want {
		t.Errorf("SQLitePath = %q, want %q", got, want)
	}
}

func TestLoadDerivedDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		env           map[string]string
		wantDataDir   string
		wantPublicURL string
	}{
		{name: "managed", env: map[string]string{"DEPLOYMENT_TYPE": "managed"},
			wantDataDir: "/data", wantPublicURL: "http://localhost:4080"},
		{name: "self hosted", env: map[string]string{"DEPLOYMENT_TYPE": "self_hosted"},
			wantDataDir: "/var/lib/0711", wantPublicURL: "http://localhost:4080"},
		{name: "explicit data dir wins", env: map[string]string{"DEPLOYMENT_TYPE": "managed", "DATA_DIR": "/srv/0711/"},
			wantDataDir: "/srv/0711", wantPublicURL: "http://localhost:4080"},
		{name: "port of addr", env: map[string]string{"DEPLOYMENT_TYPE": "managed", "ADDR": "127.0.0.1:9000"},
			wantDataDir: "/data", wantPublicURL: "http://localhost:9000"},
		{name: "explicit public url", env: map[string]string{"DEPLOYMENT_TYPE": "managed", "PUBLIC_URL": "https://0711.example.com"},
			wantDataDir: "/data", wantPublicURL: "https://0711.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := load(t, nil, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if c.DataDir != tt.wantDataDir || c.PublicURL != tt.wantPublicURL {
				t.Errorf("DataDir, PublicURL = %q, %q, want %q, %q", c.DataDir, c.PublicURL, tt.wantDataDir, tt.wantPublicURL)
			}
		})
	}
}

func TestLoadDetectsDeployment(t *testing.T) {
	t.Parallel()
	c, err := load(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := paths.Detect(paths.Exists); c.Deployment != want {
		t.Errorf("Deployment = %q, want detected %q", c.Deployment, want)
	}
}

func TestLoadPrecedence(t *testing.T) {
	t.Parallel()
	file := writeFile(t, "# comment\nADDR=:1000\nLOG_LEVEL=debug\nJWT_TTL=1h\nOTHER_TOOL=ignored\n")
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantAddr string
		wantTTL  time.Duration
	}{
		{name: "file", args: []string{"--config", file},
			wantAddr: ":1000", wantTTL: time.Hour},
		{name: "file via env", env: map[string]string{"CONFIG_FILE": file},
			wantAddr: ":1000", wantTTL: time.Hour},
		{name: "env over file", args: []string{"--config", file}, env: map[string]string{"ADDR": ":2000"},
			wantAddr: ":2000", wantTTL: time.Hour},
		{name: "empty env does not override", args: []string{"--config", file}, env: map[string]string{"ADDR": ""},
			wantAddr: ":1000", wantTTL: time.Hour},
		{name: "flag over env", args: []string{"--config", file, "--addr", ":3000"}, env: map[string]string{"ADDR": ":2000"},
			wantAddr: ":3000", wantTTL: time.Hour},
		{name: "flag over file", args: []string{"--config=" + file, "-jwt-ttl=2h"},
			wantAddr: ":1000", wantTTL: 2 * time.Hour},
		{name: "no file", env: map[string]string{"ADDR": ":2000"},
			wantAddr: ":2000", wantTTL: 168 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{"DEPLOYMENT_TYPE": "development"}
			for k, v := range tt.env {
				env[k] = v
			}
			c, err := load(t, tt.args, env)
			if err != nil {
				t.Fatal(err)
			}
			if c.Addr != tt.wantAddr || c.JWTTTL != tt.wantTTL {
				t.Errorf("Addr, JWTTTL = %q, %v, want %q, %v", c.Addr, c.JWTTTL, tt.wantAddr, tt.wantTTL)
			}
		})
	}
}

func TestLoadConfigFlagOverConfigEnv(t *testing.T) {
	t.Parallel()
	fromFlag := writeFile(t, "ADDR=:1111\n")
	fromEnv := writeFile(t, "ADDR=:2222\n")
	c, err := load(t, []string{"--config", fromFlag}, map[string]string{"CONFIG_FILE": fromEnv})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":1111" || c.ConfigFile != fromFlag {
		t.Errorf("Addr, ConfigFile = %q, %q, want :1111, %q", c.Addr, c.ConfigFile, fromFlag)
	}
}

func TestLoadDoesNotSetProcessEnv(t *testing.T) {
	file := writeFile(t, "SMTP_HOST=mail.example.test\n")
	if _, err := load(t, []string{"--config", file}, nil); err != nil {
		t.Fatal(err)
	}
	if v, ok := os.LookupEnv("SMTP_HOST"); ok && v == "mail.example.test" {
		t.Errorf("Load set SMTP_HOST in the process environment")
	}
}

func TestLoadParsesTypes(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"DEPLOYMENT_TYPE":      "self_hosted",
		"CORS_ALLOWED_ORIGINS": " https://a.example.com, ,http://localhost:5173 ",
		"TRUSTED_PROXIES":      "10.0.0.0/8, 192.168.1.7, ::1, 172.16.5.4/12",
		"LOG_LEVEL":            "WARN",
		"MAX_BODY_BYTES":       "2048",
		"SMTP_PORT":            "465",
		"LOCKOUT_DURATION":     "90s",
	}
	c, err := load(t, nil, env)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"https://a.example.com", "http://localhost:5173"}; !reflect.DeepEqual(c.CORSAllowedOrigins, want) {
		t.Errorf("CORSAllowedOrigins = %q, want %q", c.CORSAllowedOrigins, want)
	}
	wantProxies := []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.7/32"),
		netip.MustParsePrefix("::1/128"), netip.MustParsePrefix("172.16.0.0/12"),
	}
	if !reflect.DeepEqual(c.TrustedProxies, wantProxies) {
		t.Errorf("TrustedProxies = %v, want %v", c.TrustedProxies, wantProxies)
	}
	if c.LogLevel != slog.LevelWarn || c.MaxBodyBytes != 2048 || c.SMTP.Port != 465 || c.LockoutDuration != 90*time.Second {
		t.Errorf("LogLevel, MaxBodyBytes, SMTP.Port, LockoutDuration = %v, %d, %d, %v",
			c.LogLevel, c.MaxBodyBytes, c.SMTP.Port, c.LockoutDuration)
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantIn  []string
		wantErr error
	}{
		{name: "bad int", env: map[string]string{"SMTP_PORT": "smtp"}, wantIn: []string{"SMTP_PORT"}},
		{name: "bad duration", env: map[string]string{"JWT_TTL": "7 days"}, wantIn: []string{"JWT_TTL"}},
		{name: "bad deployment", env: map[string]string{"DEPLOYMENT_TYPE": "cloud"}, wantIn: []string{"DEPLOYMENT_TYPE"}},
		{name: "bad log level", env: map[string]string{"LOG_LEVEL": "info+2"}, wantIn: []string{"LOG_LEVEL"}},
		{name: "bad cidr", env: map[string]string{"TRUSTED_PROXIES": "10.0.0.0/33"}, wantIn: []string{"TRUSTED_PROXIES"}},
		{name: "all reported", env: map[string]string{"SMTP_PORT": "x", "AUTH_RATE_LIMIT": "y"},
			wantIn: []string{"SMTP_PORT", "AUTH_RATE_LIMIT"}},
		{name: "missing config file", args: []string{"--config", "/nonexistent/0711.env"}, wantIn: []string{"/nonexistent/0711.env"}},
		{name: "unknown flag", args: []string{"--no-such-flag"}, wantIn: []string{"no-such-flag"}},
		{name: "secret flag", args: []string{"--jwt-secret", "x"}, wantIn: []string{"jwt-secret"}},
		{name: "help", args: []string{"-h"}, wantErr: flag.ErrHelp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := load(t, tt.args, tt.env)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			for _, s := range tt.wantIn {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v is not %v", err, tt.wantErr)
			}
		})
	}
}
