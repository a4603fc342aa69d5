package mail_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/mail"
)

const testFrom = "0711 <no-reply@0711.test>"

// roundTrip is a message to send and read back.
type roundTrip struct {
	name string
	msg  mail.Message
}

// roundTrips returns messages whose bodies exercise the encodings: long
// lines that quoted-printable folds, "=" signs, non-ASCII text and headers.
func roundTrips() []roundTrip {
	return []roundTrip{
		{name: "plain", msg: mail.Message{To: "ada@example.com", Subject: "Hello", Text: "Hello Ada.\nBye.\n"}},
		{name: "verification link", msg: mail.Message{
			To: "Ada Lovelace <ada@example.com>", Subject: "Verify your email",
			Text: "Open http://127.0.0.1:4080/verify-email?token=" + strings.Repeat("Ab0-_", 20) + "&x=1 to verify.\n",
		}},
		{name: "non-ascii", msg: mail.Message{
			To: "joerg@example.com", Subject: "Willkommen, Jörg – Ihr Zugang", Text: "Grüße aus Köln: ÄÖÜß €\n",
		}},
		{name: "html alternative", msg: mail.Message{
			To: "ada@example.com", Subject: "Both", Text: "plain version\n", HTML: "<p>html <b>version</b></p>\n",
		}},
	}
}

func TestOutboxRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tt := range roundTrips() {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "outbox")
			ob, err := mail.NewOutbox(dir, testFrom, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := ob.Send(context.Background(), tt.msg); err != nil {
				t.Fatal(err)
			}
			got, err := mail.ReadOutbox(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("ReadOutbox returned %d messages, want 1", len(got))
			}
			checkReceived(t, got[0], tt.msg)
			if filepath.Dir(got[0].Path) != dir || got[0].Date.IsZero() {
				t.Errorf("Path, Date = %q, %v", got[0].Path, got[0].Date)
			}
		})
	}
}

// checkReceived compares a decoded message with the one sent.
func checkReceived(t *testing.T, got mail.Received, sent mail.Message) {
	t.Helper()
	wantTo := sent.To
	if i := strings.Index(wantTo, "<"); i >= 0 {
		wantTo = strings.Trim(wantTo[i:], "<>")
	}
	if !reflect.DeepEqual(got.To, []string{wantTo}) {
		t.Errorf("To = %q, want [%q]", got.To, wantTo)
	}
	if got.Subject != sent.Subject {
		t.Errorf("Subject = %q, want %q", got.Subject, sent.Subject)
	}
	if got.Text != sent.Text {
		t.Errorf("Text = %q, want %q", got.Text, sent.Text)
	}
	if got.HTML != sent.HTML {
		t.Errorf("HTML = %q, want %q", got.HTML, sent.HTML)
	}
	if !strings.Contains(got.From, "no-reply@0711.test") {
		t.Errorf("From = %q, want the configured sender", got.From)
	}
}

func TestReceivedLinks(t *testing.T) {
	t.Parallel()
	r := mail.Received{Text: "Verify: http://h:1/verify-email?token=abc\nor <https://x.example/reset?token=d-e_f>.\nno link here"}
	want := []string{"http://h:1/verify-email?token=abc", "https://x.example/reset?token=d-e_f"}
	if got := r.Links(); !reflect.DeepEqual(got, want) {
		t.Errorf("Links = %q, want %q", got, want)
	}
}

func TestLastTo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ob, err := mail.NewOutbox(dir, testFrom, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []mail.Message{
		{To: "ada@example.com", Subject: "first", Text: "1"},
		{To: "bob@example.com", Subject: "second", Text: "2"},
		{To: "Ada <ada@example.com>", Subject: "third", Text: "3"},
		{To: "bob@example.com", Subject: "fourth", Text: "4"},
	} {
		if err := ob.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	// Neither stray files nor writes in flight count as messages.
	for name, content := range map[string]string{"notes.txt": "x", ".tmp-123.eml": "garbage"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		addr        string
		wantSubject string
		wantErr     string
	}{
		{addr: "ada@example.com", wantSubject: "third"},
		{addr: "ADA@example.com", wantSubject: "third"},
		{addr: "bob@example.com", wantSubject: "fourth"},
		{addr: "eve@example.com", wantErr: brain.ENOTFOUND},
	}
	for _, tt := range tests {
		got, err := mail.LastTo(dir, tt.addr)
		if tt.wantErr != "" {
			if brain.ErrorCode(err) != tt.wantErr {
				t.Errorf("LastTo(%q) error = %v, want %s", tt.addr, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got.Subject != tt.wantSubject {
			t.Errorf("LastTo(%q) = %q, %v, want %q", tt.addr, got.Subject, err, tt.wantSubject)
		}
	}
	all, err := mail.ReadOutbox(dir)
	if err != nil || len(all) != 4 {
		t.Fatalf("ReadOutbox = %d messages, %v, want 4", len(all), err)
	}
	for i, want := range []string{"first", "second", "third", "fourth"} {
		if all[i].Subject != want {
			t.Errorf("message %d Subject = %q, want %q", i, all[i].Subject, want)
		}
	}
}

func TestOutboxRefusesBadMessages(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ob, err := mail.NewOutbox(dir, testFrom, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		msg  mail.Message
	}{
		{name: "no recipient", msg: mail.Message{Subject: "s", Text: "t"}},
		{name: "bad recipient", msg: mail.Message{To: "not an address", Subject: "s", Text: "t"}},
		{name: "two recipients", msg: mail.Message{To: "a@example.com, b@example.com", Subject: "s", Text: "t"}},
		{name: "header injection", msg: mail.Message{To: "a@example.com", Subject: "s\r\nBcc: eve@example.com", Text: "t"}},
		{name: "no text", msg: mail.Message{To: "a@example.com", Subject: "s"}},
	}
	for _, tt := range tests {
		if err := ob.Send(context.Background(), tt.msg); brain.ErrorCode(err) != brain.EINVALID {
			t.Errorf("%s: Send = %v, want EINVALID", tt.name, err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("refused messages left %d files", len(entries))
	}
}

func TestOutboxLogsAndHonoursContext(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger := slogTo(&logs)
	dir := t.TempDir()
	ob, err := mail.NewOutbox(dir, testFrom, logger)
	if err != nil {
		t.Fatal(err)
	}
	if err := ob.Send(context.Background(), mail.Message{To: "ada@example.com", Subject: "Logged", Text: "secret token"}); err != nil {
		t.Fatal(err)
	}
	r, err := mail.LastTo(dir, "ada@example.com")
	if err != nil {
		t.Fatal(err)
	}
	line := logs.String()
	for _, want := range []string{"ada@example.com", "Logged", r.Path} {
		if !strings.Contains(line, want) {
			t.Errorf("log %q does not mention %q", line, want)
		}
	}
	if strings.Contains(line, "secret token") {
		t.Errorf("log %q contains the body", line)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ob.Send(ctx, mail.Message{To: "ada@example.com", Subject: "s", Text: "t"}); err == nil {
		t.Error("Send with a cancelled context succeeded")
	}
}

func TestNewOutboxRefusesBadSender(t *testing.T) {
	t.Parallel()
	if _, err := mail.NewOutbox(t.TempDir(), "nobody", nil); brain.ErrorCode(err) != brain.EINVALID {
		t.Errorf("NewOutbox with a bad sender = %v, want EINVALID", err)
	}
}

// slogTo returns a logger writing text to w.
func slogTo(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, nil))
}
