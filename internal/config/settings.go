package config

import (
	"flag"
	"strings"
)

// Setting describes one setting for documentation and the serve banner.
type Setting struct {
	// Name is the environment variable and dotenv key, e.g. "DATA_DIR".
	Name string
	// Flag is the command-line flag without dashes, e.g. "data-dir"; it is
	// empty for secrets, which do not belong on a command line.
	Flag string
	// Value is the current value; for a secret it is "set" or "unset".
	Value string
	// Default is the value used when the setting is absent, or a phrase
	// saying how it is derived.
	Default string
	// Description says what the setting does, in one sentence.
	Description string
	// Secret reports whether Value is masked.
	Secret bool
}

// setting is the definition behind a Setting: how to find it and which
// Config field it fills.
type setting struct {
	name   string
	def    string // static default; "" when absent or derived after loading
	defDoc string // Default shown to people when def is ""
	desc   string
	secret bool
	bind   func(c *Config) flag.Value
}

// flagName is the command-line flag for the setting, or "" for none.
func (s setting) flagName() string {
	if s.secret {
		return ""
	}
	return strings.ToLower(strings.ReplaceAll(s.name, "_", "-"))
}

// defaultDoc is the Default shown in Settings.
func (s setting) defaultDoc() string {
	if s.def != "" {
		return s.def
	}
	return s.defDoc
}

// definitions lists every setting in the order documentation shows them.
func definitions() []setting {
	return []setting{
		{name: "ADDR", def: ":4080", desc: "Address the HTTP server listens on.",
			bind: func(c *Config) flag.Value { return stringValue{&c.Addr} }},
		{name: "DEPLOYMENT_TYPE", defDoc: "detected: managed in a container, self_hosted when /var/lib/0711 exists, else development",
			desc: "How the platform is run: managed, self_hosted or development.",
			bind: func(c *Config) flag.Value { return deploymentValue{&c.Deployment} }},
		{name: "DATA_DIR", defDoc: "./data (development, made absolute), /var/lib/0711 (self_hosted), /data (managed)",
			desc: "Directory for all persistent data; never under /tmp.",
			bind: func(c *Config) flag.Value { return stringValue{&c.DataDir} }},
		{name: "PUBLIC_URL", defDoc: "http://localhost plus the port of ADDR",
			desc: "Base URL users reach the platform at, used in links sent by email.",
			bind: func(c *Config) flag.Value { return stringValue{&c.PublicURL} }},
		{name: "DATABASE_URL", defDoc: "embedded SQLite in DATA_DIR/meta.db", secret: true,
			desc: "PostgreSQL connection URL (postgres://user:pass@host/db) for the metadata store.",
			bind: func(c *Config) flag.Value { return stringValue{&c.DatabaseURL} }},
		{name: "JWT_SECRET", defDoc: "required outside development; generated and kept in DATA_DIR in development", secret: true,
			desc: "Key that signs session tokens, at least 32 bytes.",
			bind: func(c *Config) flag.Value { return stringValue{&c.JWTSecret} }},
		{name: "JWT_TTL", def: "168h", desc: "How long a session token stays valid.",
			bind: func(c *Config) flag.Value { return durationValue{&c.JWTTTL} }},
		{name: "SMTP_HOST", defDoc: "none: mail is written to DATA_DIR/outbox", desc: "SMTP server that sends mail.",
			bind: func(c *Config) flag.Value { return stringValue{&c.SMTP.Host} }},
		{name: "SMTP_PORT", def: "587", desc: "Port of the SMTP server.",
			bind: func(c *Config) flag.Value { return intValue{&c.SMTP.Port} }},
		{name: "SMTP_USERNAME", desc: "User name for SMTP authentication; empty for none.",
			bind: func(c *Config) flag.Value { return stringValue{&c.SMTP.Username} }},
		{name: "SMTP_PASSWORD", secret: true, desc: "Password for SMTP authentication.",
			bind: func(c *Config) flag.Value { return stringValue{&c.SMTP.Password} }},
		{name: "SMTP_FROM", def: "0711 <no-reply@localhost>", desc: "Sender address of outgoing mail.",
			bind: func(c *Config) flag.Value { return stringValue{&c.SMTP.From} }},
		{name: "SMTP_TLS", def: "starttls", desc: "SMTP transport security: starttls, tls or none.",
			bind: func(c *Config) flag.Value { return stringValue{&c.SMTP.TLS} }},
		{name: "CORS_ALLOWED_ORIGINS", desc: "Comma-separated origins (https://app.example.com) allowed to call the API from a browser.",
			bind: func(c *Config) flag.Value { return listValue{&c.CORSAllowedOrigins} }},
		{name: "MAX_BODY_BYTES", def: "1048576", desc: "Largest request body accepted, in bytes, except for uploads.",
			bind: func(c *Config) flag.Value { return int64Value{&c.MaxBodyBytes} }},
		{name: "LOG_LEVEL", def: "info", desc: "Least severe log level written: debug, info, warn or error.",
			bind: func(c *Config) flag.Value { return levelValue{&c.LogLevel} }},
		{name: "LOG_FORMAT", def: "text", desc: "Log format: text or json.",
			bind: func(c *Config) flag.Value { return stringValue{&c.LogFormat} }},
		{name: "AUTH_RATE_LIMIT", def: "20", desc: "Requests per minute per client IP allowed on authentication routes.",
			bind: func(c *Config) flag.Value { return intValue{&c.AuthRateLimit} }},
		{name: "LOCKOUT_THRESHOLD", def: "5", desc: "Failed logins in a row after which an account is locked.",
			bind: func(c *Config) flag.Value { return intValue{&c.LockoutThreshold} }},
		{name: "LOCKOUT_DURATION", def: "15m", desc: "How long a locked account stays locked.",
			bind: func(c *Config) flag.Value { return durationValue{&c.LockoutDuration} }},
		{name: "SHUTDOWN_TIMEOUT", def: "15s", desc: "How long the server waits for requests in flight when stopping.",
			bind: func(c *Config) flag.Value { return durationValue{&c.ShutdownTimeout} }},
		{name: "LAKEHOUSE_MEMORY_BUDGET", def: "2147483648",
			desc: "Bytes of search indexes kept in memory across customers; the least recently used customer is evicted first.",
			bind: func(c *Config) flag.Value { return int64Value{&c.Lakehouse.MemoryBudget} }},
		{name: "LAKEHOUSE_REFRESH_INTERVAL", def: "2s",
			desc: "How stale a node's indexes may be against other nodes' writes before a read checks the tables.",
			bind: func(c *Config) flag.Value { return durationValue{&c.Lakehouse.RefreshInterval} }},
		{name: "HYBRID_VECTOR_WEIGHT", def: "0",
			desc: "Weight of the vector ranking against BM25's 1 in hybrid search; 0 means 0.3 for the built-in embedder and 1 for EMBEDDING_URL.",
			bind: func(c *Config) flag.Value { return floatValue{&c.Lakehouse.VectorWeight} }},
		{name: "SQL_TIMEOUT", def: "10s", desc: "Longest a SQL query over the lakehouse may run.",
			bind: func(c *Config) flag.Value { return durationValue{&c.Lakehouse.SQLTimeout} }},
		{name: "SQL_MAX_ROWS", def: "1000", desc: "Most rows a SQL query returns.",
			bind: func(c *Config) flag.Value { return intValue{&c.Lakehouse.SQLMaxRows} }},
		{name: "UPLOAD_MAX_FILE_BYTES", def: "536870912", desc: "Largest single uploaded file (bytes); larger ones are refused with 413.",
			bind: func(c *Config) flag.Value { return int64Value{&c.Ingest.MaxFileBytes} }},
		{name: "UPLOAD_MAX_REQUEST_BYTES", def: "2147483648", desc: "Largest upload request, all its files together (bytes).",
			bind: func(c *Config) flag.Value { return int64Value{&c.Ingest.MaxRequestBytes} }},
		{name: "INGEST_WORKERS", def: "2", desc: "Files ingested at once on this node (0 disables ingestion workers on this node).",
			bind: func(c *Config) flag.Value { return intValue{&c.Ingest.Workers} }},
		{name: "INGEST_FILE_TIMEOUT", def: "5m", desc: "Longest the extraction of one file (or one embedded file) may take.",
			bind: func(c *Config) flag.Value { return durationValue{&c.Ingest.FileTimeout} }},
		{name: "INGEST_MAX_ATTEMPTS", def: "5", desc: "Tries per file before it is marked failed (transient errors and crashes).",
			bind: func(c *Config) flag.Value { return intValue{&c.Ingest.MaxAttempts} }},
		{name: "INGEST_LEASE", def: "1m", desc: "How long a file a worker took stays its own without a heartbeat; a crashed node's files are taken over after it.",
			bind: func(c *Config) flag.Value { return durationValue{&c.Ingest.Lease} }},
		{name: "INGEST_MAX_EXPANDED_BYTES", def: "1073741824", desc: "Most bytes an archive (all members, nested ones included) may expand to.",
			bind: func(c *Config) flag.Value { return int64Value{&c.Ingest.MaxExpanded} }},
		{name: "EMBEDDING_URL", defDoc: "none: the built-in hashing embedder",
			desc: "Base URL of an OpenAI-compatible /v1/embeddings server (vLLM, TEI, Ollama).",
			bind: func(c *Config) flag.Value { return stringValue{&c.Embedding.URL} }},
		{name: "EMBEDDING_MODEL", defDoc: "builtin-hash-v1-384 (built-in)", desc: "Embedding model name sent to EMBEDDING_URL, e.g. intfloat/multilingual-e5-large.",
			bind: func(c *Config) flag.Value { return stringValue{&c.Embedding.Model} }},
		{name: "EMBEDDING_API_KEY", secret: true, desc: "Bearer key for EMBEDDING_URL.",
			bind: func(c *Config) flag.Value { return stringValue{&c.Embedding.APIKey} }},
		{name: "LLM_PROVIDER", def: "openai", desc: "Which API LLM_URL speaks: openai (vLLM and other OpenAI-compatible servers) or anthropic.",
			bind: func(c *Config) flag.Value { return stringValue{&c.LLM.Provider} }},
		{name: "LLM_URL", defDoc: "none: the built-in extractive answerer",
			desc: "Base URL of the answer model: an OpenAI-compatible server (http://vllm:8000/v1) or https://api.anthropic.com.",
			bind: func(c *Config) flag.Value { return stringValue{&c.LLM.URL} }},
		{name: "LLM_MODEL", desc: "Base model name; a customer's adapter {customer}@{version} is used instead where the server serves one.",
			bind: func(c *Config) flag.Value { return stringValue{&c.LLM.Model} }},
		{name: "LLM_API_KEY", secret: true, desc: "Key for LLM_URL (bearer token, or x-api-key for anthropic).",
			bind: func(c *Config) flag.Value { return stringValue{&c.LLM.APIKey} }},
		{name: "EMBEDDING_DIM", def: "0", desc: "Embedding dimension: 0 means 384 for the built-in embedder and asks the server once for EMBEDDING_URL.",
			bind: func(c *Config) flag.Value { return intValue{&c.Embedding.Dim} }},
		{name: "S3_ENDPOINT", defDoc: "none: the lakehouse lives on local disk in DATA_DIR",
			desc: "S3/MinIO endpoint (host:port) for the lakehouse tables; each customer gets the bucket customer-{id}.",
			bind: func(c *Config) flag.Value { return stringValue{&c.S3.Endpoint} }},
		{name: "S3_ACCESS_KEY", desc: "S3 access key.",
			bind: func(c *Config) flag.Value { return stringValue{&c.S3.AccessKey} }},
		{name: "S3_SECRET_KEY", secret: true, desc: "S3 secret key.",
			bind: func(c *Config) flag.Value { return stringValue{&c.S3.SecretKey} }},
		{name: "S3_REGION", def: "us-east-1", desc: "S3 region.",
			bind: func(c *Config) flag.Value { return stringValue{&c.S3.Region} }},
		{name: "S3_USE_SSL", def: "true", desc: "Whether to reach S3_ENDPOINT over TLS: true or false.",
			bind: func(c *Config) flag.Value { return boolValue{&c.S3.UseSSL} }},
		{name: "TRUSTED_PROXIES", desc: "Comma-separated CIDRs of reverse proxies whose X-Forwarded-For is honoured.",
			bind: func(c *Config) flag.Value { return prefixListValue{&c.TrustedProxies} }},
	}
}

// Settings returns every setting with its current value, secrets masked,
// in documentation order. README, .env.example and the serve banner are
// written from it.
func (c *Config) Settings() []Setting {
	defs := definitions()
	out := make([]Setting, len(defs))
	for i, d := range defs {
		value := d.bind(c).String()
		if d.secret {
			value = mask(value)
		}
		out[i] = Setting{
			Name: d.name, Flag: d.flagName(), Value: value,
			Default: d.defaultDoc(), Description: d.desc, Secret: d.secret,
		}
	}
	return out
}

// mask hides a secret, saying only whether it is there.
func mask(v string) string {
	if v == "" {
		return "unset"
	}
	return "set"
}
