package mail_test

import (
	"strings"
	"testing"

	"github.com/zero711/brain/internal/mail"
)

func TestParseMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		raw      string
		wantText string
		wantHTML string
		wantErr  bool
	}{
		{name: "no content type", raw: "To: a@example.com\r\nSubject: s\r\n\r\nhello\r\n", wantText: "hello\n"},
		{name: "base64", raw: "To: a@example.com\r\nContent-Type: text/plain; charset=utf-8\r\n" +
			"Content-Transfer-Encoding: base64\r\n\r\naGVsbG8g\r\nd29ybGQ=\r\n", wantText: "hello world"},
		{name: "nested multipart", raw: "To: a@example.com\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n" +
			"--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n" +
			"--inner\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nt=3D1\r\n" +
			"--inner\r\nContent-Type: text/html\r\n\r\n<p>h</p>\r\n--inner--\r\n" +
			"--outer\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--outer--\r\n",
			wantText: "t=1", wantHTML: "<p>h</p>"},
		{name: "no header", raw: "no header at all", wantErr: true},
	}
	for _, tt := range tests {
		got, err := mail.ParseMessage(strings.NewReader(tt.raw))
		if tt.wantErr {
			if err == nil {
				t.Errorf("%s: ParseMessage succeeded, want an error", tt.name)
			}
			continue
		}
		if err != nil || got.Text != tt.wantText || got.HTML != tt.wantHTML {
			t.Errorf("%s: ParseMessage = %q, %q, %v, want %q, %q", tt.name, got.Text, got.HTML, err, tt.wantText, tt.wantHTML)
		}
	}
}

func FuzzParseMessage(f *testing.F) {
	f.Add("To: a@example.com\r\nSubject: =?UTF-8?q?J=C3=B6rg?=\r\n\r\nhello\r\n")
	f.Add("Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n")
	f.Fuzz(func(t *testing.T, raw string) {
		_, _ = mail.ParseMessage(strings.NewReader(raw))
	})
}
