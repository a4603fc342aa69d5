package text

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/zero711/brain/internal/document"
)

// articlePage is a page with navigation, footer and a long article.
func articlePage() string {
	para := strings.Repeat("Der Wirkstoff wurde in mehreren klinischen Studien untersucht, und die Ergebnisse zeigen eine deutliche Verbesserung. ", 4)
	return `<!DOCTYPE html><html lang="de-DE"><head><meta charset="utf-8"><title>Studienergebnisse</title>
<meta name="author" content="Dr. Anna Beispiel"><meta name="description" content="Zusammenfassung">
<meta property="article:published_time" content="2024-03-05T10:00:00Z"></head><body>
<nav><ul><li><a href="/">Startseite</a></li><li><a href="/kontakt">Kontakt</a></li></ul></nav>
<header><div class="logo">Beispiel GmbH Navigation</div></header>
<article><h1>Ergebnisse der Studie</h1><p>` + para + `</p><h2>Methoden</h2><p>` + para + `</p>
<ul><li>Gruppe A</li><li>Gruppe B</li></ul><p>` + para + `</p>
<table><tr><th>Gruppe</th><th>Wert</th></tr><tr><td>A</td><td>42</td></tr></table>
<pre>x = 1
y = 2</pre></article>
<aside>Werbung hier</aside><footer><p>Impressum Copyright 2024</p></footer>
<script>var tracking = 1;</script></body></html>`
}

func TestHTMLArticle(t *testing.T) {
	t.Parallel()
	doc := mustExtract(t, HTML(), "studie.html", "text/html", []byte(articlePage()))
	wantText(t, doc, []string{"Der Wirkstoff wurde", "Gruppe A"}, "Startseite", "Impressum", "Werbung", "tracking")
	if doc.Title != "Studienergebnisse" || doc.Author != "Dr. Anna Beispiel" || doc.Language != "de" {
		t.Errorf("title %q author %q language %q", doc.Title, doc.Author, doc.Language)
	}
	if doc.Metadata["content"] != "article" {
		t.Errorf("readability found no article: %v", doc.Metadata)
	}
	if doc.Metadata["description"] != "Zusammenfassung" || doc.Created.Year() != 2024 {
		t.Errorf("metadata %v created %v", doc.Metadata, doc.Created)
	}
	if h := blocksOf(doc, document.Heading); len(h) == 0 || h[len(h)-1].Text != "Methoden" {
		t.Errorf("headings = %+v", h)
	}
	if tb := blocksOf(doc, document.Table); len(tb) != 1 || !tb[0].Header || tb[0].Rows[1][1] != "42" {
		t.Errorf("tables = %+v", tb)
	}
	if c := blocksOf(doc, document.Code); len(c) != 1 || c[0].Text != "x = 1\ny = 2" {
		t.Errorf("code = %+v", c)
	}
}

func TestHTMLFallbackBody(t *testing.T) {
	t.Parallel()
	src := `<html><head><title>Kurz</title></head><body><nav>Menü</nav><h1>Hallo</h1>
<p>Ein kurzer Text<br>zweite Zeile</p><ol><li>eins<ul><li>unter</li></ul></li><li>zwei</li></ol>
<form><input value="Suche"><button>Los</button></form><footer>Fußzeile</footer></body></html>`
	doc := mustExtract(t, HTML(), "kurz.html", "text/html", []byte(src))
	wantText(t, doc, []string{"Hallo", "Ein kurzer Text\nzweite Zeile"}, "Menü", "Fußzeile", "Suche", "Los")
	lists := blocksOf(doc, document.List)
	if len(lists) != 1 || strings.Join(lists[0].Items, "|") != "eins|  unter|zwei" {
		t.Errorf("lists = %+v", lists)
	}
}

func TestHTMLCharsets(t *testing.T) {
	t.Parallel()
	body := "<p>Größe, Übermaß, Äpfel, Straße</p>"
	latin1, _ := charmap.ISO8859_1.NewEncoder().Bytes([]byte(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>` + body + `</body></html>`))
	undeclared, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(`<html><body>` + body + `<p>€ 5</p></body></html>`))
	lying := []byte(`<html><head><meta charset="iso-8859-1"></head><body>` + body + `</body></html>`)
	for name, data := range map[string][]byte{"declared": latin1, "undeclared": undeclared, "lying-utf8": lying} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc := mustExtract(t, HTML(), name+".html", "text/html", data)
			wantText(t, doc, []string{"Größe, Übermaß, Äpfel, Straße"})
		})
	}
}

func TestMHTML(t *testing.T) {
	t.Parallel()
	src := "From: <Saved by Blink>\r\nSubject: =?utf-8?q?Gr=C3=B6=C3=9Fe?=\r\nDate: Tue, 5 Mar 2024 10:00:00 +0100\r\n" +
		"Snapshot-Content-Location: https://example.com/seite\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/related; type=\"text/html\"; boundary=\"----B\"\r\n\r\n" +
		"------B\r\nContent-Type: text/html; charset=\"iso-8859-1\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
		"<html><body><h1>=DCberschrift</h1><p>Stra=DFe und =\r\nGr=F6=DFe</p></body></html>\r\n" +
		"------B\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n------B--\r\n"
	doc := mustExtract(t, MHTML(), "seite.mhtml", "message/rfc822", []byte(src))
	wantText(t, doc, []string{"Überschrift", "Straße und Größe"})
	if doc.Handler != "mhtml" || doc.Metadata["url"] != "https://example.com/seite" || doc.Title != "Größe" || doc.Created.IsZero() {
		t.Errorf("handler %q url %q title %q created %v", doc.Handler, doc.Metadata["url"], doc.Title, doc.Created)
	}
}

func TestMHTMLBase64(t *testing.T) {
	t.Parallel()
	src := "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n--x\r\nContent-Type: text/html; charset=utf-8\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\nPGh0bWw+PGJvZHk+PHA+SGFsbG8g\r\nV2VsdDwvcD48L2JvZHk+PC9odG1sPg==\r\n--x--\r\n"
	doc := mustExtract(t, MHTML(), "b.mht", "message/rfc822", []byte(src))
	wantText(t, doc, []string{"Hallo Welt"})
}
