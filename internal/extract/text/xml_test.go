package text

import (
	"errors"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/zero711/brain/internal/document"
)

func TestXML(t *testing.T) {
	t.Parallel()
	src := `<?xml version="1.0" encoding="UTF-8"?>
<topic xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Erika">
  <title>Handbuch</title>
  <body>
    <p>Ein <b>fetter</b> Satz über Größe.</p>
    <script>var x = 1;</script>
    <section><title>Teil 1</title><p>Inhalt</p></section>
    <item><name>Apfel</name><price>5</price></item>
    <img alt="Bild einer Straße"/>
  </body>
</topic>`
	doc := mustExtract(t, XML(), "h.xml", "text/xml", []byte(src))
	wantText(t, doc, []string{"Ein fetter Satz über Größe.", "Inhalt", "Apfel", "5", "Bild einer Straße"}, "var x")
	heads := blocksOf(doc, document.Heading)
	if len(heads) != 2 || heads[0].Text != "Handbuch" || heads[0].Level != 1 || heads[1].Text != "Teil 1" || heads[1].Level != 2 {
		t.Errorf("headings = %+v", heads)
	}
	if doc.Title != "Handbuch" || doc.Author != "Erika" || doc.Metadata["root"] != "topic" {
		t.Errorf("title %q author %q metadata %v", doc.Title, doc.Author, doc.Metadata)
	}
}

func TestXMLCharsetAndLeniency(t *testing.T) {
	t.Parallel()
	latin1, _ := charmap.ISO8859_1.NewEncoder().Bytes([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><a><b>Äpfel &amp; Straße&nbsp;x</b></a>`))
	doc := mustExtract(t, XML(), "l.xml", "text/xml", latin1)
	wantText(t, doc, []string{"Äpfel & Straße"})
	doc = mustExtract(t, XML(), "u.xml", "text/xml", []byte(`<a><b>offen</a><c>weiter</c>`))
	wantText(t, doc, []string{"offen", "weiter"})
}

func TestXMLErrors(t *testing.T) {
	t.Parallel()
	if _, err := extractBytes(t, XML(), "bad.xml", "text/xml", []byte("<<<>>>")); !errors.Is(err, document.ErrCorrupt) {
		t.Errorf("garbage: err = %v, want ErrCorrupt", err)
	}
	if _, err := extractBytes(t, XML(), "empty.xml", "text/xml", []byte(`<a><b/></a>`)); !errors.Is(err, document.ErrEmpty) {
		t.Errorf("no text: err = %v, want ErrEmpty", err)
	}
}
