package mail

import (
	"bufio"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/zero711/brain/internal/document"
)

const threeMessages = "From alice@example.com Mon Jun 01 10:00:00 2009\n" +
	"From: Alice <alice@example.com>\n" +
	"Subject: First\n" +
	"\n" +
	"Hello.\n" +
	">From the archives: an escaped line.\n" +
	">>From twice escaped.\n" +
	"\n" +
	"From bob@example.com Mon Jun 01 11:00:00 2009\n" +
	"From: Bob <bob@example.com>\n" +
	"Subject: =?UTF-8?Q?Zweite_Nachricht_=C3=BCber_X?=\n" +
	"Content-Type: multipart/mixed; boundary=b\n" +
	"\n" +
	"--b\n" +
	"Content-Type: text/plain\n" +
	"\n" +
	"Second body.\n" +
	"--b\n" +
	"Content-Type: text/csv\n" +
	"Content-Disposition: attachment; filename=data.csv\n" +
	"\n" +
	"a,b\n" +
	"--b--\n" +
	"\n" +
	"From carol@example.com Mon Jun 01 12:00:00 2009\n" +
	"From: Carol <carol@example.com>\n" +
	"\n" +
	"Third, without subject.\n"

func TestMbox(t *testing.T) {
	t.Parallel()
	d, err := extract(t, mboxExtractor{}, writeFile(t, "box.mbox", threeMessages), document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var headings []string
	for _, b := range d.Blocks {
		if b.Kind == document.Heading {
			headings = append(headings, b.Text)
		}
	}
	if want := []string{"First", "Zweite Nachricht über X", "Message 3"}; !slices.Equal(headings, want) {
		t.Errorf("headings %q, want %q", headings, want)
	}
	text := d.Text()
	for _, s := range []string{"From: Alice <alice@example.com>", "\nFrom the archives: an escaped line.", "\n>From twice escaped.", "Second body.", "Third, without subject.", "From: Carol"} {
		if !strings.Contains(text, s) {
			t.Errorf("text lacks %q:\n%s", s, text)
		}
	}
	if d.Title != "First" || d.Metadata["messages"] != "3" || len(d.Attachments) != 1 || d.Attachments[0].Name != "data.csv" {
		t.Errorf("title %q metadata %v attachments %d", d.Title, d.Metadata, len(d.Attachments))
	}
	if b := d.Blocks[len(d.Blocks)-1]; len(b.Section) != 1 || b.Section[0] != "Message 3" {
		t.Errorf("last block section %q", b.Section)
	}
}

func TestMboxLimitsAndErrors(t *testing.T) {
	t.Parallel()
	d, err := extract(t, mboxExtractor{}, writeFile(t, "box.mbox", threeMessages), document.Limits{MaxMembers: 2})
	if err != nil || d.Metadata["messages"] != "3" && len(d.Warnings) != 1 {
		t.Fatalf("err %v, doc %+v", err, d)
	}
	if strings.Contains(d.Text(), "Third") || len(d.Warnings) == 0 {
		t.Errorf("message 3 read despite MaxMembers 2; warnings %q", d.Warnings)
	}
	if _, err := extract(t, mboxExtractor{}, writeFile(t, "x.mbox", "Subject: not a mailbox\n\nbody\n"), document.Limits{}); !errors.Is(err, document.ErrCorrupt) {
		t.Errorf("no From line: err = %v", err)
	}
	if _, err := extract(t, mboxExtractor{}, writeFile(t, "x.mbox", "\n\n"), document.Limits{}); !errors.Is(err, document.ErrEmpty) {
		t.Errorf("blank: err = %v", err)
	}
}

// TestSplitter covers lines longer than the read buffer, a "From " line
// among them, and a message over the size limit.
func TestSplitter(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 100)
	in := "From " + long + "\nSubject: a\n\n" + long + "\nFrom b\n>From " + long + "\nFrom c\n" + strings.Repeat("y", 500)
	s := &splitter{r: bufio.NewReaderSize(strings.NewReader(in), 16), limit: 200}
	var got []string
	var big []bool
	for {
		m, err := s.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(m))
		big = append(big, s.tooBig)
	}
	want := []string{"Subject: a\n\n" + long + "\n", "From " + long + "\n", ""}
	if !slices.Equal(got[:2], want[:2]) || len(got) != 3 || !slices.Equal(big, []bool{false, false, true}) {
		t.Errorf("messages %q (too big %v), want %q", got, big, want)
	}
}

func FuzzSplitter(f *testing.F) {
	f.Add([]byte(threeMessages), uint8(16))
	f.Add([]byte("From \n>From \n>>From x\nFrom"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, size uint8) {
		s := &splitter{r: bufio.NewReaderSize(strings.NewReader(string(data)), 16+int(size)), limit: 64}
		for range len(data) + 2 {
			m, err := s.next()
			if err != nil {
				return
			}
			if len(m) > 64 {
				t.Fatalf("message of %d bytes over the limit", len(m))
			}
		}
		t.Fatal("splitter did not end")
	})
}
