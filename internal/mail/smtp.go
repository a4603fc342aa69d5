package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/zero711/brain"
)

// TLSMode is how the connection to the SMTP server is secured.
type TLSMode string

// TLS modes, as written in SMTP_TLS.
const (
	// StartTLS upgrades a plain connection with STARTTLS and fails when the
	// server does not offer it.
	StartTLS TLSMode = "starttls"
	// ImplicitTLS speaks TLS from the first byte (usually port 465).
	ImplicitTLS TLSMode = "tls"
	// NoTLS sends everything in clear text; only for a relay on the same
	// host or network.
	NoTLS TLSMode = "none"
)

// defaultTimeout bounds connecting to and talking with the server.
const defaultTimeout = 15 * time.Second

// SMTPConfig says how to reach the SMTP server.
type SMTPConfig struct {
	// Host and Port address the server.
	Host string
	Port int
	// Username and Password authenticate; an empty Username means no
	// authentication. Credentials never travel in clear text except to
	// localhost.
	Username string
	Password string
	// From is the sender of every message.
	From string
	// TLS secures the connection; empty means StartTLS.
	TLS TLSMode
	// TLSConfig overrides the TLS settings, e.g. to trust a private CA;
	// nil verifies the server's certificate against Host.
	TLSConfig *tls.Config
	// Timeout bounds each connection; zero means 15 seconds.
	Timeout time.Duration
}

// SMTP is a Mailer that hands each message to an SMTP server over a new
// connection.
type SMTP struct {
	cfg    SMTPConfig
	logger *slog.Logger
}

var _ Mailer = (*SMTP)(nil)

// NewSMTP returns an SMTP mailer for cfg, or an EINVALID error when cfg is
// incomplete. It does not connect. A nil logger logs nothing.
func NewSMTP(cfg SMTPConfig, logger *slog.Logger) (*SMTP, error) {
	if cfg.TLS == "" {
		cfg.TLS = StartTLS
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = defaultTimeout
	}
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("mail: smtp: %w", err)
	}
	return &SMTP{cfg: cfg, logger: orDiscard(logger)}, nil
}

func (cfg SMTPConfig) validate() error {
	switch {
	case cfg.Host == "":
		return brain.Errorf(brain.EINVALID, "SMTP host is empty")
	case cfg.Port < 1 || cfg.Port > 65535:
		return brain.Errorf(brain.EINVALID, "SMTP port %d is outside 1-65535", cfg.Port)
	case cfg.TLS != StartTLS && cfg.TLS != ImplicitTLS && cfg.TLS != NoTLS:
		return brain.Errorf(brain.EINVALID, "SMTP TLS mode %q must be starttls, tls or none", cfg.TLS)
	}
	return checkFrom(cfg.From)
}

// Send delivers m to the server. Delivery failures are returned wrapped,
// without a code, since they are no fault of the caller.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := build(s.cfg.From, m, time.Now())
	if err != nil {
		return fmt.Errorf("mail: smtp: %w", err)
	}
	client, err := gomail.NewClient(s.cfg.Host, s.options()...)
	if err != nil {
		return fmt.Errorf("mail: smtp: client for %s: %w", s.cfg.Host, err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: smtp: send to %s via %s:%d: %w", m.To, s.cfg.Host, s.cfg.Port, err)
	}
	s.logger.InfoContext(ctx, "mail sent", "to", m.To, "subject", m.Subject, "server", s.cfg.Host)
	return nil
}

// options translates the configuration into go-mail client options.
func (s *SMTP) options() []gomail.Option {
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.cfg.Timeout)}
	switch s.cfg.TLS {
	case ImplicitTLS:
		opts = append(opts, gomail.WithSSL())
	case NoTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.TLSConfig != nil {
		tc := s.cfg.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = s.cfg.Host
		}
		opts = append(opts, gomail.WithTLSConfig(tc))
	}
	if s.cfg.Username != "" {
		// The first of these that the server offers is used; go-mail
		// refuses PLAIN and LOGIN over clear text to anything but localhost.
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1,
				gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	return opts
}
