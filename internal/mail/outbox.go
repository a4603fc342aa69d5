package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// outboxPerm is the mode of the outbox directory; messages carry login
// links, so only the service may read them.
const outboxPerm = 0o750

// Outbox is a Mailer that writes each message as an RFC 5322 .eml file into
// a directory instead of sending it. Development setups and tests use it;
// ReadOutbox reads the files back.
type Outbox struct {
	dir    string
	from   string
	logger *slog.Logger
}

var _ Mailer = (*Outbox)(nil)

// NewOutbox returns an Outbox writing into dir, which it creates if needed,
// with from as the sender. A nil logger logs nothing.
func NewOutbox(dir, from string, logger *slog.Logger) (*Outbox, error) {
	if err := checkFrom(from); err != nil {
		return nil, fmt.Errorf("mail: outbox: %w", err)
	}
	if err := os.MkdirAll(dir, outboxPerm); err != nil {
		return nil, fmt.Errorf("mail: create outbox %s: %w", dir, err)
	}
	return &Outbox{dir: dir, from: from, logger: orDiscard(logger)}, nil
}

// Dir returns the directory messages are written to.
func (o *Outbox) Dir() string { return o.dir }

// Send writes m to a new file named after the current time, so that file
// names sort in the order messages were sent. The file appears complete or
// not at all: it is written under a hidden name and renamed.
func (o *Outbox) Send(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := time.Now().UTC()
	msg, err := build(o.from, m, now)
	if err != nil {
		return fmt.Errorf("mail: outbox: %w", err)
	}
	var suffix [4]byte
	_, _ = rand.Read(suffix[:])
	name := now.Format("20060102T150405.000000000Z") + "-" + hex.EncodeToString(suffix[:]) + ".eml"
	path := filepath.Join(o.dir, name)

	tmp, err := os.CreateTemp(o.dir, ".tmp-*.eml")
	if err != nil {
		return fmt.Errorf("mail: outbox: %w", err)
	}
	if err := writeAndClose(tmp, msg); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("mail: outbox: write %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("mail: outbox: %w", err)
	}
	o.logger.InfoContext(ctx, "mail written to outbox", "to", m.To, "subject", m.Subject, "path", path)
	return nil
}

// writeAndClose writes msg to f, flushes it to disk and closes f.
func writeAndClose(f *os.File, msg io.WriterTo) error {
	_, err := msg.WriteTo(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
