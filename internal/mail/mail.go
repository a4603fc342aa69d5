// Package mail sends the platform's email: verification links, password
// resets, invitations. Mailer has two implementations: SMTP, which hands
// messages to a mail server, and Outbox, which writes them as .eml files to
// a directory for development and tests, where ReadOutbox finds them again.
package mail

import (
	"context"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/zero711/brain"
)

// Mailer sends one message.
type Mailer interface {
	// Send delivers m or returns why not: EINVALID for a message that
	// cannot be sent (bad address, header injection), any other error for a
	// failed delivery, or the context's error.
	Send(ctx context.Context, m Message) error
}

// Message is one email to one recipient.
type Message struct {
	// To is the recipient, "name@example.com" or "Name <name@example.com>".
	To string
	// Subject is the subject line; it must not contain line breaks.
	Subject string
	// Text is the plain-text body.
	Text string
	// HTML is an optional HTML alternative to Text.
	HTML string
}

// validate refuses messages that cannot be sent as they are.
func (m Message) validate() error {
	if _, err := netmail.ParseAddress(m.To); err != nil {
		return brain.Errorf(brain.EINVALID, "recipient %q is not a mail address", m.To)
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return brain.Errorf(brain.EINVALID, "subject must not contain line breaks")
	}
	if m.Text == "" {
		return brain.Errorf(brain.EINVALID, "message to %s has no text", m.To)
	}
	return nil
}

// build turns m into a go-mail message from from, dated now.
func build(from string, m Message, now time.Time) (*gomail.Msg, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("sender %q: %w", from, err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, brain.Errorf(brain.EINVALID, "recipient %q is not a mail address", m.To)
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(now)
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// checkFrom refuses a sender address that no message could carry.
func checkFrom(from string) error {
	if _, err := netmail.ParseAddress(from); err != nil {
		return brain.Errorf(brain.EINVALID, "sender %q is not a mail address", from)
	}
	return nil
}

// orDiscard returns logger, or a logger that writes nothing when it is nil.
func orDiscard(logger *slog.Logger) *slog.Logger {
	if logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return logger
}
