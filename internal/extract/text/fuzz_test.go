package text

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/zero711/brain/internal/document"
)

func FuzzRTF(f *testing.F) {
	for _, s := range []string{
		`{\rtf1\ansi\ansicpg1252{\fonttbl{\f0\fcharset238 A;}}\f0 za\'bf\par}`,
		`{\rtf1\uc1\u-10179?\u-8694?\u8364?{\*\x y}\trowd\intbl a\cell b\cell\row}`,
		`{\rtf1{\info{\title T}{\creatim\yr2020\mo1\dy2}}{\pict\bin3 abc}\bin-5 x\'zz\'8}`,
		`{\rtf1{\stylesheet{\s1 heading 1;}}\s1 H\par\ls1 item\par{\upr{a}{\*\ud{b}}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := parseRTF(context.Background(), data)
		if err != nil {
			t.Fatalf("parseRTF: %v", err)
		}
		n := 0
		for _, b := range res.blocks {
			n += len(b.Text) + len(b.Items) + len(b.Rows)
		}
		if n > 16*len(data)+64 {
			t.Fatalf("output %d out of proportion to input %d", n, len(data))
		}
	})
}

func FuzzSniffDialect(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "x;y\n\"1;\n2\";3\n", "a\tb\n", "'a'|'b'\n", "\"\"\"\n,,,\n"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, sample string, preferTab bool) {
		d := sniffDialect(sample, preferTab)
		switch d.Comma {
		case ',', ';', '\t', '|':
		default:
			t.Fatalf("delimiter %q", d.Comma)
		}
		if d.Quote != '"' && d.Quote != '\'' {
			t.Fatalf("quote %q", d.Quote)
		}
		if n := preambleRows(sample, d); n < 0 || n > 3 {
			t.Fatalf("preamble %d", n)
		}
	})
}

func FuzzJSON(f *testing.F) {
	for _, s := range []string{`[{"a":1},{"a":2,"b":"x"}]`, `{"a":{"b":[1,2,{"c":null}]},"d":[{"e":true}]}`, "{\"a\":1}\n{\"a\":2}", `[1,"x",[2]]`, `{"a":`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := flattenJSON(context.Background(), bytes.NewReader(data), "f", isValueStream(data))
		if err != nil && !errors.Is(err, document.ErrCorrupt) && !errors.Is(err, document.ErrEmpty) {
			t.Fatalf("untyped error %v", err)
		}
	})
}

func FuzzXML(f *testing.F) {
	for _, s := range []string{`<a><title>T</title><p>x <b>y</b></p></a>`, `<?xml version="1.0" encoding="ISO-8859-1"?><a>&auml;</a>`, `<a><b></a>`, `<a x:title="t"/>`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc := &document.Document{Metadata: map[string]string{}}
		_, _ = walkXML(context.Background(), bytes.NewReader(data), doc)
	})
}

// FuzzExtract feeds random bytes through every extractor: each returns
// a document or a typed error, and none panics.
func FuzzExtract(f *testing.F) {
	f.Add([]byte("Größe\n=====\n\n- a\n- b\n"))
	f.Add([]byte("<html><body><table><tr><th>a</th></tr></table></body></html>"))
	f.Add([]byte("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n--x\r\nContent-Type: text/html\r\n\r\n<p>a</p>\r\n--x--"))
	f.Add([]byte("# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "in")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, ex := range Extractors() {
			doc, err := ex.Extract(context.Background(), document.Input{Path: path, Name: "in", ContentType: ex.Types()[0]})
			if err != nil {
				if !typedError(err) {
					t.Fatalf("%s: untyped error %v", ex.Name(), err)
				}
				continue
			}
			if len(doc.Blocks) == 0 && len(doc.Data) == 0 {
				t.Fatalf("%s: empty document without ErrEmpty", ex.Name())
			}
		}
	})
}
