package llm

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/zero711/brain"
)

// Defaults for zero Config fields.
const (
	DefaultTimeout         = 5 * time.Minute
	DefaultMaxRetries      = 3
	DefaultBackoff         = 500 * time.Millisecond
	DefaultMaxBackoff      = 20 * time.Second
	DefaultMaxRetryAfter   = time.Minute
	DefaultAdapterTemplate = "{customer}@{version}"
	DefaultModelsTTL       = time.Minute
	DefaultModelsMissAfter = 5 * time.Second
	DefaultMaxTokens       = 4096
)

// Config says how to reach a model server. It is shared by NewOpenAI and
// NewAnthropic; fields one backend does not use are ignored.
type Config struct {
	// BaseURL is the API root: "http://vllm:8000/v1" for OpenAI-compatible
	// servers (a URL without a path means its "/v1"), and
	// "https://api.anthropic.com" (the default) for Anthropic.
	BaseURL string
	// APIKey is sent as a bearer token (OpenAI) or x-api-key (Anthropic);
	// empty sends none.
	APIKey string
	// Model is the base model, used when Request.Model is empty.
	Model string
	// Timeout bounds one attempt, from sending the request to the end of
	// the answer, stream included; 0 means 5 minutes, negative none. An
	// attempt that runs out of time is not retried.
	Timeout time.Duration
	// MaxRetries is how often a retryable failure is retried; 0 means 3,
	// negative means never.
	MaxRetries int
	// Backoff is the wait before the first retry, doubled for each further
	// one up to MaxBackoff, with jitter; 0 means 500 ms and 20 s.
	Backoff, MaxBackoff time.Duration
	// MaxRetryAfter is the longest Retry-After the client waits out; a
	// longer one fails at once. 0 means a minute.
	MaxRetryAfter time.Duration
	// MaxTokens is sent when Request.MaxTokens is 0 and the API needs a
	// limit (Anthropic); 0 means 4096.
	MaxTokens int
	// AdapterTemplate names a customer's adapters (OpenAI only); it must
	// contain "{version}" and may contain "{customer}". Empty means
	// "{customer}@{version}".
	AdapterTemplate string
	// ModelsTTL is how long the list of served models is trusted; 0 means
	// a minute. ModelsMissAfter is how old the list must be before a
	// customer without an adapter in it makes the client fetch it again;
	// 0 means 5 seconds.
	ModelsTTL, ModelsMissAfter time.Duration
	// HTTPClient sends the requests; nil means a client of its own. Its
	// Timeout, if any, also cuts streams.
	HTTPClient *http.Client
	// Logger receives retries and failed model listings; nil discards.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// fill checks cfg and sets the defaults of zero fields; brain.EINVALID if
// a field is unusable.
func (cfg *Config) fill(defaultBase string) error {
	switch {
	case cfg.Model == "":
		return brain.Errorf(brain.EINVALID, "base model not set")
	case cfg.Backoff < 0 || cfg.MaxBackoff < 0 || cfg.MaxRetryAfter < 0:
		return brain.Errorf(brain.EINVALID, "negative backoff")
	case cfg.ModelsTTL < 0 || cfg.ModelsMissAfter < 0 || cfg.MaxTokens < 0:
		return brain.Errorf(brain.EINVALID, "negative models TTL or max tokens")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = defaultBase
	}
	if cfg.AdapterTemplate == "" {
		cfg.AdapterTemplate = DefaultAdapterTemplate
	}
	if !strings.Contains(cfg.AdapterTemplate, "{version}") {
		return brain.Errorf(brain.EINVALID, "adapter template %q lacks {version}", cfg.AdapterTemplate)
	}
	setDefault(&cfg.Timeout, DefaultTimeout)
	setDefault(&cfg.Backoff, DefaultBackoff)
	setDefault(&cfg.MaxBackoff, DefaultMaxBackoff)
	setDefault(&cfg.MaxRetryAfter, DefaultMaxRetryAfter)
	setDefault(&cfg.ModelsTTL, DefaultModelsTTL)
	setDefault(&cfg.ModelsMissAfter, DefaultModelsMissAfter)
	setDefault(&cfg.MaxTokens, DefaultMaxTokens)
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return nil
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// apiRoot parses base and gives it the path defaultPath when it has none;
// the result has no trailing slash.
func apiRoot(base, defaultPath string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", brain.Errorf(brain.EINVALID, "base URL %q is not an http(s) URL", base)
	}
	if strings.Trim(u.Path, "/") == "" {
		u.Path = defaultPath
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// newConfigError wraps a configuration error with the backend's name.
func newConfigError(backend string, err error) error {
	return fmt.Errorf("llm: %s: %w", backend, err)
}
