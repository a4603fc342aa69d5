package text

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/document"
)

func TestRTF(t *testing.T) {
	t.Parallel()
	src := `{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss\fcharset0 Arial;}{\f1\fcharset238 Arial CE;}}` +
		`{\colortbl;\red255\green0\blue0;}{\stylesheet{\s0 Normal;}{\s1\outlinelevel0 heading 1;}{\s2 \'dcberschrift 2;}}` +
		`{\info{\title Gr\'f6\'dfe}{\author Erika Muster}{\creatim\yr2023\mo7\dy14\hr9\min30}{\keywords RTF Test}}` +
		`{\*\generator Hand 1.0;}` + "\n" +
		`\pard\s1 Kapitel\par` + "\n" +
		`\pard Gr\'f6\'dfe, \'dcberma\'df, \'c4pfel, Stra\'dfe, \uc1\u8364?\~5\par` +
		`\pard\s2 Abschnitt\par` +
		`\pard Polnisch: {\f1 za\'bf\'f3\'b3\'e6}\line neue Zeile\par` +
		`{\pict\wmetafile8 0102030405}` +
		`\trowd\cellx1000\cellx2000\pard\intbl Name\cell Wert\cell\row` +
		`\trowd\cellx1000\cellx2000\pard\intbl Apfel\cell 5\cell\row` +
		`\pard Danach.\par` +
		`{\header Kopfzeile\par}` +
		`\pard{\listtext\'b7\tab}\ls1 eins\par{\listtext\'b7\tab}\ls1 zwei\par\pard Ende\par}`
	doc := mustExtract(t, RTF(), "test.rtf", "text/rtf", []byte(src))
	wantText(t, doc, []string{"Größe, Übermaß, Äpfel, Straße, €\u00a05", "zażółć", "Polnisch: zażółć\nneue Zeile", "Kopfzeile"}, "0102030405", "Arial", "Hand 1.0", "Normal")
	if doc.Title != "Größe" || doc.Author != "Erika Muster" || doc.Metadata["keywords"] != "RTF Test" {
		t.Errorf("title %q author %q metadata %v", doc.Title, doc.Author, doc.Metadata)
	}
	if want := time.Date(2023, 7, 14, 9, 30, 0, 0, time.UTC); !doc.Created.Equal(want) {
		t.Errorf("created = %v", doc.Created)
	}
	heads := blocksOf(doc, document.Heading)
	if len(heads) != 2 || heads[0].Text != "Kapitel" || heads[0].Level != 1 || heads[1].Text != "Abschnitt" || heads[1].Level != 2 {
		t.Errorf("headings = %+v", heads)
	}
	tables := blocksOf(doc, document.Table)
	if len(tables) != 1 || document.RenderRows(tables[0].Rows) != "Name | Wert\nApfel | 5" {
		t.Errorf("tables = %+v", tables)
	}
	lists := blocksOf(doc, document.List)
	if len(lists) != 1 || strings.Join(lists[0].Items, "|") != "eins|zwei" {
		t.Errorf("lists = %+v", lists)
	}
	if last := doc.Blocks[len(doc.Blocks)-1]; last.Text != "Kopfzeile" {
		t.Errorf("header text not after the body: last block %q", last.Text)
	}
}

func TestRTFUnicode(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, src, want string }{
		{"uc1", `{\rtf1\ansi\uc1 \u8364?\u252?ber}`, "€über"},
		{"uc2", `{\rtf1\ansi\uc2 \u8364\'80\'80 x}`, "€ x"},
		{"uc0", `{\rtf1\ansi\uc0 \u8364 x}`, "€x"},
		{"surrogates", `{\rtf1\ansi\uc1\u-10179?\u-8694?}`, "😊"},
		{"unpaired", `{\rtf1\ansi\uc0 a\u-10240 b}`, "a\uFFFDb"},
		{"cp1251", `{\rtf1\ansi\ansicpg1251 \'cf\'f0\'e8\'e2\'e5\'f2}`, "Привет"},
		{"shift-jis", `{\rtf1\ansi\ansicpg932 \'82\'b1\'82\'f1}`, "こん"},
		{"escapes", `{\rtf1 a\\b\{c\}\tab d\emdash e}`, "a\\b{c}\td—e"},
		{"upr", `{\rtf1{\info{\upr{\title ???}{\*\ud{\title \u26085?\u26412?}}}}Text}`, "Text"},
		{"bin", `{\rtf1 a{\pict\bin4 }}}}b}c}`, "ac"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := parseRTF(context.Background(), []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range res.blocks {
				got = append(got, b.Text)
			}
			if s := strings.Join(got, "\n\n"); s != tt.want {
				t.Errorf("text = %q, want %q", s, tt.want)
			}
		})
	}
}

func TestRTFInfoUpr(t *testing.T) {
	t.Parallel()
	res, err := parseRTF(context.Background(), []byte(`{\rtf1{\info{\upr{\title ???}{\*\ud{\title \u26085?\u26412?}}}}Text}`))
	if err != nil {
		t.Fatal(err)
	}
	if res.meta["title"] != "日本" {
		t.Errorf("title = %q", res.meta["title"])
	}
}

func TestRTFErrors(t *testing.T) {
	t.Parallel()
	deep := `{\rtf1 ` + strings.Repeat("{", 100_000) + "tief" + strings.Repeat("}", 100_000) + " oben}"
	tests := []struct {
		name, src string
		err       error
	}{
		{"not-rtf", "Hallo Welt", document.ErrCorrupt},
		{"empty", `{\rtf1\ansi{\fonttbl{\f0 Arial;}}}`, document.ErrEmpty},
		{"deep", deep, nil},
		{"unterminated", `{\rtf1 offen \'f`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc, err := extractBytes(t, RTF(), tt.name+".rtf", "text/rtf", []byte(tt.src))
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if tt.name == "deep" && !strings.Contains(doc.Text(), "oben") {
				t.Errorf("text after a too-deep group lost: %q", doc.Text())
			}
		})
	}
}
