package mail

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/zero711/brain"
)

// Received is a message read back from an outbox or off the wire, with its
// bodies decoded.
type Received struct {
	// Path is the file the message was read from, if any.
	Path string
	// From is the sender as written in the header.
	From string
	// To holds the bare recipient addresses.
	To []string
	// Subject is the decoded subject.
	Subject string
	// Date is the Date header, zero if missing.
	Date time.Time
	// Text and HTML are the decoded bodies, with line ends as "\n".
	Text string
	HTML string
}

// Links returns the http and https URLs in the text body, in order, such as
// a verification link http://host/verify-email?token=TOKEN.
func (r Received) Links() []string {
	return regexp.MustCompile(`https?://[^\s<>"']+`).FindAllString(r.Text, -1)
}

// ReadOutbox returns the messages in an Outbox directory, oldest first. It
// ignores files that are not .eml and the hidden files of writes in flight.
func ReadOutbox(dir string) ([]Received, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("mail: read outbox: %w", err)
	}
	var out []Received
	for _, e := range entries { // ReadDir sorts by name, which is by time
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasPrefix(name, ".") || filepath.Ext(name) != ".eml" {
			continue
		}
		r, err := readFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// LastTo returns the newest message in an Outbox directory addressed to
// addr, compared without regard to case. It returns an ENOTFOUND error
// when there is none.
func LastTo(dir, addr string) (Received, error) {
	msgs, err := ReadOutbox(dir)
	if err != nil {
		return Received{}, err
	}
	for _, m := range slices.Backward(msgs) {
		if slices.ContainsFunc(m.To, func(to string) bool { return strings.EqualFold(to, addr) }) {
			return m, nil
		}
	}
	return Received{}, brain.Errorf(brain.ENOTFOUND, "no message to %s in the outbox", addr)
}

func readFile(path string) (Received, error) {
	f, err := os.Open(path)
	if err != nil {
		return Received{}, fmt.Errorf("mail: read outbox: %w", err)
	}
	defer f.Close()
	r, err := ParseMessage(f)
	if err != nil {
		return Received{}, fmt.Errorf("mail: read %s: %w", path, err)
	}
	r.Path = path
	return r, nil
}

// ParseMessage reads one RFC 5322 message and decodes its headers and its
// text and HTML bodies, whether plain or multipart, quoted-printable or
// base64.
func ParseMessage(rd io.Reader) (Received, error) {
	msg, err := netmail.ReadMessage(rd)
	if err != nil {
		return Received{}, fmt.Errorf("parse message: %w", err)
	}
	var dec mime.WordDecoder
	r := Received{}
	if r.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return Received{}, fmt.Errorf("decode subject: %w", err)
	}
	if r.From, err = dec.DecodeHeader(msg.Header.Get("From")); err != nil {
		return Received{}, fmt.Errorf("decode from: %w", err)
	}
	to, err := msg.Header.AddressList("To")
	if err != nil && !errors.Is(err, netmail.ErrHeaderNotPresent) {
		return Received{}, fmt.Errorf("parse to: %w", err)
	}
	for _, a := range to {
		r.To = append(r.To, a.Address)
	}
	r.Date, _ = msg.Header.Date()
	if err := r.readPart(textproto.MIMEHeader(msg.Header), msg.Body); err != nil {
		return Received{}, err
	}
	return r, nil
}

// readPart decodes one body part into r, descending into multipart parts.
// The first text/plain and text/html parts win.
func (r *Received) readPart(h textproto.MIMEHeader, body io.Reader) error {
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		mediaType = "text/plain" // RFC 2045's default
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("read multipart: %w", err)
			}
			if err := r.readPart(p.Header, p); err != nil {
				return err
			}
		}
	}
	if mediaType != "text/plain" && mediaType != "text/html" {
		return nil
	}
	b, err := io.ReadAll(decodeTransfer(h.Get("Content-Transfer-Encoding"), body))
	if err != nil {
		return fmt.Errorf("decode %s body: %w", mediaType, err)
	}
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	switch {
	case mediaType == "text/plain" && r.Text == "":
		r.Text = text
	case mediaType == "text/html" && r.HTML == "":
		r.HTML = text
	}
	return nil
}

// decodeTransfer undoes a Content-Transfer-Encoding.
func decodeTransfer(encoding string, body io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		return quotedprintable.NewReader(body)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, body)
	}
	return body
}
