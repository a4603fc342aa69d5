package text

import (
	"errors"
	"slices"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/zero711/brain/internal/document"
)

const german = "Größe, Übermaß, Äpfel, Straße, € 5"

func TestPlainCharsets(t *testing.T) {
	t.Parallel()
	latin1Text := "Größe, Übermaß, Äpfel, Straße, 5 Euro"
	utf16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(german))
	utf16be, _ := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(german))
	win1252, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(german + " „zitiert“"))
	latin1, _ := charmap.ISO8859_1.NewEncoder().Bytes([]byte(latin1Text))
	shortLatin1, _ := charmap.ISO8859_1.NewEncoder().Bytes([]byte("Größe"))
	tests := []struct {
		name, want, charset string
		data                []byte
	}{
		{"utf8", german, "UTF-8", []byte(german)},
		{"utf8-bom", german, "UTF-8", append([]byte{0xEF, 0xBB, 0xBF}, german...)},
		{"utf16le-bom", german, "UTF-16LE", utf16le},
		{"utf16be-bom", german, "UTF-16BE", utf16be},
		{"windows-1252", german + " „zitiert“", "windows-1252", win1252},
		{"iso-8859-1", latin1Text, "ISO-8859-1", latin1},
		{"short-latin1", "Größe", "ISO-8859-1", shortLatin1},
		{"ascii", "plain words", "US-ASCII", []byte("plain words")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := mustExtract(t, Plain(), "note.txt", "text/plain", tt.data)
			if got := doc.Text(); got != tt.want {
				t.Errorf("text = %q, want %q", got, tt.want)
			}
			if got := doc.Metadata["charset"]; got != tt.charset {
				t.Errorf("charset = %q, want %q", got, tt.charset)
			}
			if doc.Handler != "text" {
				t.Errorf("handler = %q", doc.Handler)
			}
		})
	}
}

func TestPlainStructure(t *testing.T) {
	t.Parallel()
	src := "Bericht\n=======\n\nErster Absatz, der\nüber zwei Zeilen geht.\n\n1. Einleitung\n\nText der Einleitung.\n\nPunkte:\n- eins\n- zwei\n  mit Fortsetzung\n* drei\n\nUnterpunkt\n----------\nSchluss.\n\nSchritte:\n1. öffnen\n2) schließen\n"
	doc := mustExtract(t, Plain(), "bericht.txt", "text/plain", []byte(src))
	type blk struct {
		kind  document.Kind
		level int
		text  string
	}
	want := []blk{
		{document.Heading, 1, "Bericht"},
		{document.Paragraph, 0, "Erster Absatz, der\nüber zwei Zeilen geht."},
		{document.Heading, 1, "1. Einleitung"},
		{document.Paragraph, 0, "Text der Einleitung."},
		{document.Paragraph, 0, "Punkte:"},
		{document.List, 1, "eins\nzwei mit Fortsetzung\ndrei"},
		{document.Heading, 2, "Unterpunkt"},
		{document.Paragraph, 0, "Schluss."},
		{document.Paragraph, 0, "Schritte:"},
		{document.List, 1, "1. öffnen\n2) schließen"},
	}
	if len(doc.Blocks) != len(want) {
		t.Fatalf("got %d blocks, want %d: %+v", len(doc.Blocks), len(want), doc.Blocks)
	}
	for i, w := range want {
		b := doc.Blocks[i]
		if b.Kind != w.kind || b.Level != w.level || b.Text != w.text {
			t.Errorf("block %d = %s/%d %q, want %s/%d %q", i, b.Kind, b.Level, b.Text, w.kind, w.level, w.text)
		}
	}
	if last := doc.Blocks[7]; !slices.Equal(last.Section, []string{"1. Einleitung", "Unterpunkt"}) {
		t.Errorf("section = %q", last.Section)
	}
}

func TestNumberedHeading(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line  string
		level int
	}{
		{"1. Einleitung", 1},
		{"2.3 Methoden und Daten", 2},
		{"2.3. Methoden", 2},
		{"1. this is lower case", 0},
		{"1. Ein ganzer Satz mit Punkt.", 0},
		{"12 Monkeys", 0},
		{"2024. Year", 0},
		{"1.", 0},
	}
	for _, tt := range tests {
		lvl, ok := numberedHeading(tt.line)
		if (tt.level > 0) != ok || lvl != tt.level {
			t.Errorf("numberedHeading(%q) = %d, %v; want %d", tt.line, lvl, ok, tt.level)
		}
	}
}

func TestPlainOtherTypes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, ct, src string
		want          []string
		unwanted      []string
		handler       string
	}{
		{"sub.vtt", "text/vtt", "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nHallo <b>Welt</b>\n", []string{"Hallo Welt"}, []string{"-->", "WEBVTT"}, "text"},
		{"cal.ics", "text/calendar", "BEGIN:VCALENDAR\nSUMMARY:Teamtreffen\nEND:VCALENDAR\n", []string{"SUMMARY:Teamtreffen"}, nil, "text"},
		{"app.properties", "text/plain", "greeting=Grüß Gott\n", []string{"greeting=Grüß Gott"}, nil, "text"},
		{"page.txt", "text/plain", "<!DOCTYPE html><html><body><p>Nur Text</p></body></html>", []string{"Nur Text"}, []string{"<p>"}, "html"},
		{"readme.md", "text/plain", "# Titel\n\n*kursiv*\n", []string{"Titel", "kursiv"}, []string{"*", "#"}, "markdown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := mustExtract(t, Plain(), tt.name, tt.ct, []byte(tt.src))
			wantText(t, doc, tt.want, tt.unwanted...)
			if doc.Handler != tt.handler {
				t.Errorf("handler = %q, want %q", doc.Handler, tt.handler)
			}
		})
	}
}

func TestPlainEmpty(t *testing.T) {
	t.Parallel()
	for _, src := range []string{"", "  \n\n\t\n"} {
		if _, err := extractBytes(t, Plain(), "e.txt", "text/plain", []byte(src)); !errors.Is(err, document.ErrEmpty) {
			t.Errorf("%q: err = %v, want ErrEmpty", src, err)
		}
	}
}
