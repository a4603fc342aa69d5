// Package openai embeds texts through an OpenAI-compatible /v1/embeddings
// endpoint, as served by vLLM, Hugging Face TEI, Ollama and OpenAI itself.
//
// It is a small net/http client rather than github.com/openai/openai-go:
// the platform needs one endpoint, and the SDK would bring a large
// dependency while still leaving the parts that matter here to us: the
// error bodies of TEI ({"error": "...", "error_type": ...}) and FastAPI
// ({"detail": ...}) servers, a retry policy that honours Retry-After with
// jitter, learning and checking the dimension, and e5's prefixes.
package openai

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/embed"
)

// Defaults for zero Config fields.
const (
	DefaultBatchSize  = 128
	DefaultTimeout    = 60 * time.Second
	DefaultMaxRetries = 4
	DefaultBackoff    = 500 * time.Millisecond
	DefaultMaxBackoff = 30 * time.Second
	// DefaultMaxRetryAfter bounds how long a Retry-After header may make
	// the client wait before one retry.
	DefaultMaxRetryAfter = 2 * time.Minute
)

// Encodings of the vectors in the response, as sent in encoding_format.
const (
	EncodingFloat  = "float"
	EncodingBase64 = "base64"
)

// e5 models want their input marked as query or passage
// (https://huggingface.co/intfloat/multilingual-e5-large); the instruct
// variant wants a task instruction on queries and nothing on passages.
const (
	e5QueryPrefix    = "query: "
	e5PassagePrefix  = "passage: "
	e5InstructPrefix = "Instruct: Given a web search query, retrieve relevant passages that answer the query\nQuery: "
)

// Config says how to reach the embeddings service.
type Config struct {
	// BaseURL is the API root, e.g. "http://vllm:8000/v1" or
	// "https://api.openai.com/v1"; requests go to BaseURL + "/embeddings".
	// A URL without a path, such as "http://tei:8080", means its "/v1".
	BaseURL string
	// APIKey is sent as a bearer token; empty sends none.
	APIKey string
	// Model is the model name the server knows, e.g.
	// "intfloat/multilingual-e5-large".
	Model string
	// Dim is the expected vector length; 0 learns it from the first
	// response. A response of another length is an error either way.
	Dim int
	// BatchSize is the most texts per request; 0 means 128.
	BatchSize int
	// Timeout bounds one request, including reading the response; 0 means
	// 60 seconds. A request that runs out of time is retried.
	Timeout time.Duration
	// MaxRetries is how often a failed request is retried (429, 5xx,
	// network errors, timeouts); 0 means 4, negative means never.
	MaxRetries int
	// Backoff is the wait before the first retry, doubled for each further
	// one up to MaxBackoff, with jitter; 0 means 500 ms and 30 s.
	Backoff, MaxBackoff time.Duration
	// MaxRetryAfter is the longest Retry-After the client waits out; a
	// longer one fails at once. 0 means 2 minutes.
	MaxRetryAfter time.Duration
	// QueryPrefix and PassagePrefix are put before every text of that
	// kind. When both are empty and Model contains "e5", e5's prefixes are
	// used ("query: ", "passage: "; an instruction for e5 instruct models)
	// unless NoAutoPrefix is set.
	QueryPrefix, PassagePrefix string
	NoAutoPrefix               bool
	// Encoding is sent as encoding_format: EncodingFloat (the default) or
	// EncodingBase64, which is smaller and faster to parse where the server
	// supports it. Responses are read in either encoding.
	Encoding string
	// HTTPClient sends the requests; nil means a client of its own.
	HTTPClient *http.Client
	// Logger receives a warning for every retry; nil discards them.
	Logger *slog.Logger
}

// Client is an embed.Embedder backed by an OpenAI-compatible embeddings
// endpoint. Its vectors are scaled to unit length (most servers already
// return them so). It is safe for concurrent use; one Embed call sends its
// batches one after another.
type Client struct {
	cfg      Config
	endpoint string
	http     *http.Client
	logger   *slog.Logger
	dim      atomic.Int64
}

var _ embed.Embedder = (*Client)(nil)

// New validates cfg, fills in defaults and returns a Client; brain.EINVALID
// if a field is unusable. It does not contact the server.
func New(cfg Config) (*Client, error) {
	if err := cfg.fill(); err != nil {
		return nil, fmt.Errorf("openai: %w", err)
	}
	endpoint, err := endpointURL(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("openai: %w", err)
	}
	c := &Client{cfg: cfg, endpoint: endpoint, http: cfg.HTTPClient, logger: cfg.Logger}
	if c.http == nil {
		c.http = &http.Client{}
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	c.dim.Store(int64(cfg.Dim))
	return c, nil
}

// fill checks cfg and sets the defaults of zero fields.
func (cfg *Config) fill() error {
	switch {
	case cfg.Model == "":
		return brain.Errorf(brain.EINVALID, "embeddings model not set")
	case cfg.Dim < 0:
		return brain.Errorf(brain.EINVALID, "negative embedding dimension %d", cfg.Dim)
	case cfg.BatchSize < 0:
		return brain.Errorf(brain.EINVALID, "negative embedding batch size %d", cfg.BatchSize)
	case cfg.Encoding != "" && cfg.Encoding != EncodingFloat && cfg.Encoding != EncodingBase64:
		return brain.Errorf(brain.EINVALID, "embedding encoding %q is neither %q nor %q", cfg.Encoding, EncodingFloat, EncodingBase64)
	case cfg.Timeout < 0 || cfg.Backoff < 0 || cfg.MaxBackoff < 0 || cfg.MaxRetryAfter < 0:
		return brain.Errorf(brain.EINVALID, "negative embeddings timeout or backoff")
	}
	setDefault(&cfg.BatchSize, DefaultBatchSize)
	setDefault(&cfg.Timeout, DefaultTimeout)
	setDefault(&cfg.MaxRetries, DefaultMaxRetries)
	setDefault(&cfg.Backoff, DefaultBackoff)
	setDefault(&cfg.MaxBackoff, DefaultMaxBackoff)
	setDefault(&cfg.MaxRetryAfter, DefaultMaxRetryAfter)
	setDefault(&cfg.Encoding, EncodingFloat)
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.QueryPrefix == "" && cfg.PassagePrefix == "" && !cfg.NoAutoPrefix {
		cfg.QueryPrefix, cfg.PassagePrefix = autoPrefixes(cfg.Model)
	}
	return nil
}

func setDefault[T comparable](p *T, def T) {
	var zero T
	if *p == zero {
		*p = def
	}
}

// autoPrefixes returns the prefixes a model is known to be trained with.
func autoPrefixes(model string) (query, passage string) {
	m := strings.ToLower(model)
	switch {
	case !strings.Contains(m, "e5"):
		return "", ""
	case strings.Contains(m, "instruct"):
		return e5InstructPrefix, ""
	}
	return e5QueryPrefix, e5PassagePrefix
}

// endpointURL returns the embeddings URL for a base URL.
func endpointURL(base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", brain.Errorf(brain.EINVALID, "embeddings base URL %q is not an http(s) URL", base)
	}
	path := strings.TrimSuffix(u.Path, "/")
	if path == "" {
		path = "/v1"
	}
	u.Path = path + "/embeddings"
	return u.String(), nil
}

// Model returns the configured model name.
func (c *Client) Model() string { return c.cfg.Model }

// Dim returns the vector length: the configured one, else the one learned
// from the first response, else 0.
func (c *Client) Dim() int { return int(c.dim.Load()) }

// Prefixes returns the prefixes put before queries and passages.
func (c *Client) Prefixes() (query, passage string) {
	return c.cfg.QueryPrefix, c.cfg.PassagePrefix
}

// Embed returns the vectors of texts, sending them in batches of at most
// BatchSize. Errors: brain.EINVALID for an unknown kind or a request the
// server refuses as invalid (400, 413, 422); brain.EUNAVAILABLE when the
// server cannot be reached or keeps failing (429, 5xx, timeouts) after the
// retries; ErrDimension and ErrResponse, both internal, for vectors of the
// wrong length or a malformed response; ctx.Err() when ctx ends. The
// server's error, if any, is in the chain as *APIError.
func (c *Client) Embed(ctx context.Context, texts []string, kind embed.Kind) ([][]float32, error) {
	prefix, err := c.prefix(kind)
	if err != nil {
		return nil, err
	}
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += c.cfg.BatchSize {
		batch := texts[start:min(start+c.cfg.BatchSize, len(texts))]
		input := make([]string, len(batch))
		for i, t := range batch {
			input[i] = prefix + t
		}
		vs, err := c.embedBatch(ctx, input)
		if err != nil {
			return nil, fmt.Errorf("openai: embed texts %d..%d of %d: %w", start, start+len(batch)-1, len(texts), err)
		}
		out = append(out, vs...)
	}
	return out, nil
}

func (c *Client) prefix(kind embed.Kind) (string, error) {
	switch kind {
	case embed.Query:
		return c.cfg.QueryPrefix, nil
	case embed.Passage:
		return c.cfg.PassagePrefix, nil
	}
	return "", fmt.Errorf("openai: %w", brain.Errorf(brain.EINVALID, "unknown embedding kind %d", int(kind)))
}
