package mail

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/document"
)

func writeFile(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func extract(t *testing.T, x document.Extractor, path string, l document.Limits) (*document.Document, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	return x.Extract(ctx, document.Input{Path: path, Name: filepath.Base(path), ContentType: x.Types()[0], Limits: l})
}

// germanEML has a quoted-printable German body, an RFC 2047 subject and
// sender, an HTML alternative and a PDF attachment.
const germanEML = "From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.de>\r\n" +
	"To: Anna <anna@example.de>, bob@example.com\r\n" +
	"Cc: team@example.de\r\n" +
	"Subject: =?UTF-8?B?w5xiZXJ3ZWlzdW5nIGbDvHIgTcOkcno=?=\r\n" +
	"Date: Tue, 04 Mar 2025 10:15:00 +0100\r\n" +
	"Message-ID: <abc123@example.de>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=\"outer\"\r\n" +
	"\r\n" +
	"--outer\r\n" +
	"Content-Type: multipart/alternative; boundary=\"alt\"\r\n" +
	"\r\n" +
	"--alt\r\n" +
	"Content-Type: text/plain; charset=ISO-8859-1\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Gr=FC=DFe aus D=FCsseldorf,\r\n" +
	"die =DCberweisung ist unterwegs. Eine sehr lange Zeile, die umbrochen w=\r\n" +
	"ird.\r\n" +
	"\r\n" +
	"Viele Gr=FC=DFe\r\n" +
	"--alt\r\n" +
	"Content-Type: text/html; charset=UTF-8\r\n" +
	"\r\n" +
	"<html><body><p>HTML-only words</p></body></html>\r\n" +
	"--alt--\r\n" +
	"--outer\r\n" +
	"Content-Type: application/pdf; name=\"bericht.pdf\"\r\n" +
	"Content-Disposition: attachment; filename=\"../bericht.pdf\"\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"JVBERi0xLjQKJcOkw7zDtsOfCg==\r\n" +
	"--outer--\r\n"

func TestEML(t *testing.T) {
	t.Parallel()
	d, err := extract(t, emlExtractor{}, writeFile(t, "mail.eml", germanEML), document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Überweisung für März" || d.Author != "Jürgen Müller <juergen@example.de>" || d.Handler != "eml" {
		t.Errorf("title %q author %q handler %q", d.Title, d.Author, d.Handler)
	}
	if want := time.Date(2025, 3, 4, 9, 15, 0, 0, time.UTC); !d.Created.Equal(want) {
		t.Errorf("created %v, want %v", d.Created, want)
	}
	if d.Metadata["to"] != "Anna <anna@example.de>, bob@example.com" || d.Metadata["cc"] != "team@example.de" || d.Metadata["message_id"] != "<abc123@example.de>" {
		t.Errorf("metadata %v", d.Metadata)
	}
	for _, h := range []string{"From: Jürgen Müller <juergen@example.de>", "To: Anna", "Subject: Überweisung für März", "Date: Tue, 04 Mar 2025"} {
		if !strings.Contains(d.Blocks[0].Text, h) {
			t.Errorf("header block %q lacks %q", d.Blocks[0].Text, h)
		}
	}
	text := d.Text()
	for _, s := range []string{"Grüße aus Düsseldorf", "die Überweisung ist unterwegs", "umbrochen wird.", "Viele Grüße"} {
		if !strings.Contains(text, s) {
			t.Errorf("text lacks %q:\n%s", s, text)
		}
	}
	if strings.Contains(text, "HTML-only") {
		t.Error("the HTML alternative was added to the plain-text body")
	}
	if len(d.Attachments) != 1 || d.Attachments[0].Name != "bericht.pdf" || !strings.HasPrefix(string(d.Attachments[0].Data), "%PDF-1.4") {
		t.Errorf("attachments %+v", d.Attachments)
	}
}

func TestEMLBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, eml string
		want      []string
		not       []string
	}{
		{"html only", "Subject: h\r\nContent-Type: text/html\r\n\r\n<html><head><title>T</title><style>p{}</style></head><body><h1>Head</h1><p>One &amp; two</p><div>Three<br>Four</div><script>x()</script></body></html>",
			[]string{"Head", "One & two", "Three\nFour"}, []string{"p{}", "x()", "T\n"}},
		{"plain only", "Subject: p\r\n\r\nfirst paragraph\r\n\r\nsecond", []string{"first paragraph", "second"}, nil},
		{"alternative with richer mixed", "Subject: a\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nbody 1\r\n--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\nContent-Type: text/html\r\n\r\n<p>body 2</p>\r\n--c\r\nContent-Type: text/html\r\n\r\n<p>body 3</p>\r\n--c--\r\n--b--\r\n",
			[]string{"body 2", "body 3"}, []string{"body 1"}},
		{"emlx", "26\nSubject: x\n\nemlx body\n\n<?xml version=\"1.0\"?><plist>junk</plist>", []string{"emlx body"}, []string{"plist"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := extract(t, emlExtractor{}, writeFile(t, "m.eml", tt.eml), document.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			text := d.Text()
			for _, s := range tt.want {
				if !strings.Contains(text, s) {
					t.Errorf("text lacks %q:\n%s", s, text)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(text, s) {
					t.Errorf("text has %q:\n%s", s, text)
				}
			}
		})
	}
}

func TestEMLAttachmentLimits(t *testing.T) {
	t.Parallel()
	eml := "Subject: many\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n" +
		"--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=a.bin\r\n\r\naaaa\r\n" +
		"--b\r\nContent-Type: image/png\r\nContent-Disposition: inline\r\n\r\npng\r\n" +
		"--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\ninner body\r\n--b--\r\n"
	p := writeFile(t, "m.eml", eml)
	tests := []struct {
		name     string
		limits   document.Limits
		want     []string
		warnings int
	}{
		{"all", document.Limits{}, []string{"a.bin", "attachment-2.png", "attachment-3.eml"}, 0},
		{"members", document.Limits{MaxMembers: 1}, []string{"a.bin"}, 1},
		{"bytes", document.Limits{MaxExpandedBytes: int64(len(eml)) + 5}, []string{"a.bin"}, 1},
		{"depth", document.Limits{Depth: 5, MaxDepth: 5}, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := extract(t, emlExtractor{}, p, tt.limits)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, a := range d.Attachments {
				names = append(names, a.Name)
			}
			if !slices.Equal(names, tt.want) || len(d.Warnings) != tt.warnings || !strings.Contains(d.Text(), "body") {
				t.Errorf("attachments %q warnings %q", names, d.Warnings)
			}
		})
	}
}

func TestEMLErrors(t *testing.T) {
	t.Parallel()
	if _, err := extract(t, emlExtractor{}, writeFile(t, "e.eml", " \r\n"), document.Limits{}); !errors.Is(err, document.ErrEmpty) {
		t.Errorf("empty: err = %v", err)
	}
	if _, err := extract(t, emlExtractor{}, writeFile(t, "e.eml", "Subject: x\r\n\r\nbody"), document.Limits{MaxExpandedBytes: 10}); !errors.Is(err, document.ErrTooLarge) {
		t.Errorf("too large: err = %v", err)
	}
	parts := "Content-Type: multipart/mixed; boundary=b\r\n\r\n" + strings.Repeat("--b\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n", maxBoundaryLines+1)
	if _, err := extract(t, emlExtractor{}, writeFile(t, "e.eml", parts), document.Limits{}); !errors.Is(err, document.ErrTooLarge) {
		t.Errorf("too many parts: err = %v", err)
	}
}

func TestHTMLParagraphs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"<p>a  b</p><p>c</p>", []string{"a b", "c"}},
		{"x<b>y</b> z", []string{"xy z"}},
		{"<head><title>t</title>no body tag", []string{"no body tag"}},
		{"<head><title>t</title><body>body ends head", []string{"body ends head"}},
		{"<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>", []string{"1 2", "3"}},
		{"<ul><li>one</li><li>two</li></ul>", []string{"one", "two"}},
		{"a&nbsp;b<br/>c", []string{"a b\nc"}},
		{"<script>never</script><style/>after", []string{"after"}},
	}
	for _, tt := range tests {
		if got := htmlParagraphs([]byte(tt.in)); !slices.Equal(got, tt.want) {
			t.Errorf("htmlParagraphs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
