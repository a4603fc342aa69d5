package config_test

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

func TestSettings(t *testing.T) {
	t.Parallel()
	c := valid(t)
	c.SMTP.Host = "mail.example.com"
	settings := c.Settings()
	byName := map[string]string{}
	for _, s := range settings {
		if _, dup := byName[s.Name]; dup {
			t.Errorf("setting %s listed twice", s.Name)
		}
		byName[s.Name] = s.Value
		if s.Description == "" || !strings.HasSuffix(s.Description, ".") {
			t.Errorf("setting %s: description %q is not a sentence", s.Name, s.Description)
		}
		if s.Secret && s.Flag != "" {
			t.Errorf("secret %s has flag --%s", s.Name, s.Flag)
		}
	}
	tests := []struct{ name, want string }{
		{"ADDR", ":4080"},
		{"DEPLOYMENT_TYPE", "managed"},
		{"JWT_SECRET", "set"},
		{"SMTP_PASSWORD", "unset"},
		{"DATABASE_URL", "unset"},
		{"SMTP_HOST", "mail.example.com"},
		{"JWT_TTL", "168h"},
		{"LOCKOUT_DURATION", "15m"},
		{"SHUTDOWN_TIMEOUT", "15s"},
		{"LOG_LEVEL", "info"},
		{"MAX_BODY_BYTES", "1048576"},
		{"TRUSTED_PROXIES", ""},
	}
	for _, tt := range tests {
		if got, ok := byName[tt.name]; !ok || got != tt.want {
			t.Errorf("Settings %s = %q (listed %v), want %q", tt.name, got, ok, tt.want)
		}
	}
	if len(settings) != 47 {
		t.Errorf("Settings lists %d settings, want 47", len(settings))
	}
}

// TestEnvExample checks that the repository's .env.example documents every
// setting, commented out or not.
func TestEnvExample(t *testing.T) {
	t.Parallel()
	f, err := os.Open("../../.env.example")
	if os.IsNotExist(err) {
		t.Skip("no .env.example")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	listed := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(sc.Text()), "#"))
		if name, _, ok := strings.Cut(line, "="); ok && !strings.Contains(name, " ") {
			listed[name] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, s := range valid(t).Settings() {
		if !listed[s.Name] {
			t.Errorf(".env.example does not list %s=", s.Name)
		}
	}
	c, err := load(t, []string{"--config", "../../.env.example"}, map[string]string{"DEPLOYMENT_TYPE": "development"})
	if err != nil {
		t.Fatalf("load .env.example: %v", err)
	}
	if err := c.Validate(); err != nil {
		t.Errorf(".env.example is not a valid development configuration: %v", err)
	}
}
