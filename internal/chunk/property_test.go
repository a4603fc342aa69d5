package chunk

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/zero711/brain/internal/document"
)

// vocabulary mixes German and English legal prose with the things
// boundary detection must get right.
var vocabulary = strings.Fields(`der die das Gesellschaft Vertrag gilt nach z. B. u. a. Abs. Nr. bzw. ca. Dr. e.g. i.e.
§ 8 (1) (2a) 1.234,56 01.02.2024 EUR the contract shall apply; Einkommensteuergesetz 3. Mai
is not? yes! a) 1. 1.1 - "quoted." (bracket) Straße Grüße 日本 über`)

// genDoc generates a document of about n blocks from rng.
func genDoc(rng *rand.Rand, n int) *document.Document {
	sentence := func() string {
		var sb strings.Builder
		for i := range 3 + rng.IntN(25) {
			if i > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(vocabulary[rng.IntN(len(vocabulary))])
		}
		sb.WriteString([]string{".", ".", "!", "?", ";"}[rng.IntN(5)])
		return sb.String()
	}
	text := func(max int) string {
		var sb strings.Builder
		for i := range 1 + rng.IntN(max) {
			if i > 0 {
				sb.WriteString([]string{" ", " ", "\n", "\n(3) ", "\n2. "}[rng.IntN(5)])
			}
			sb.WriteString(sentence())
		}
		return sb.String()
	}
	var doc document.Document
	page := 1
	for i := range n {
		page += rng.IntN(2)
		var b document.Block
		switch r := rng.IntN(20); {
		case r < 4:
			b = document.Block{Kind: document.Heading, Level: 1 + rng.IntN(4), Text: fmt.Sprintf("§ %d %s", i, sentence())}
		case r < 5:
			b = document.Block{Kind: document.Paragraph, Text: fmt.Sprintf("§ %d Titel Nummer %d\n%s", i, i, text(3))}
		case r < 12:
			b = document.Block{Kind: document.Paragraph, Text: text(1 + rng.IntN(40))}
		case r < 15:
			b = document.Block{Kind: document.List}
			for range 1 + rng.IntN(30) {
				b.Items = append(b.Items, text(1+rng.IntN(3)))
			}
		case r < 18:
			b = document.Block{Kind: document.Table, Header: rng.IntN(2) == 0}
			cols := 1 + rng.IntN(5)
			for range 1 + rng.IntN(60) {
				row := make([]string, cols)
				for c := range row {
					row[c] = vocabulary[rng.IntN(len(vocabulary))]
				}
				b.Rows = append(b.Rows, row)
			}
		default:
			var lines []string
			for range 1 + rng.IntN(80) {
				lines = append(lines, strings.Repeat("\t", rng.IntN(3))+sentence())
			}
			b = document.Block{Kind: document.Code, Text: strings.Join(lines, "\n")}
		}
		b.Page = page
		doc.Blocks = append(doc.Blocks, b)
	}
	return &doc
}

// TestSplitGenerated checks the invariants on generated documents with
// varied options: chunks within budget, not empty, every word covered in
// order, pages in order, and the same chunks on a second run.
func TestSplitGenerated(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 11))
	for i := range 300 {
		doc := genDoc(rng, 1+rng.IntN(40))
		opts := Options{
			MaxTokens: []int{1, 5, 16, 50, 120, 400}[rng.IntN(6)],
			Overlap:   []int{-1, 0, 10, 100}[rng.IntN(4)],
			MinTokens: []int{-1, 0, 5, 60}[rng.IntN(4)],
		}
		chunks := Split(doc, opts)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			checkInvariants(t, doc, opts.withDefaults(), chunks)
		})
		page := 0
		for j, c := range chunks {
			if c.Page < page {
				t.Fatalf("doc %d chunk %d: page %d after page %d", i, j, c.Page, page)
			}
			page = c.Page
		}
		if again := Split(doc, opts); !reflect.DeepEqual(again, chunks) {
			t.Fatalf("doc %d: second split differs", i)
		}
	}
}

// fuzzDoc builds a document from fuzz bytes: the first three set the
// options, the rest are blocks separated by 0x00, each starting with a
// byte that picks the kind and level; lists split items at '\n', tables
// rows at '\n' and cells at '|'.
func fuzzDoc(data []byte) (*document.Document, Options) {
	var opts Options
	if len(data) >= 3 {
		opts = Options{MaxTokens: int(data[0]) + 1, Overlap: int(int8(data[1])), MinTokens: int(int8(data[2]))}
		data = data[3:]
	}
	var doc document.Document
	for i, raw := range bytes.Split(data, []byte{0}) {
		if len(raw) == 0 {
			continue
		}
		sel, text := raw[0], string(raw[1:])
		b := document.Block{Level: int(sel>>3) % 5, Page: i}
		switch sel % 5 {
		case 0:
			b.Kind, b.Text = document.Heading, text
		case 1:
			b.Kind, b.Text = document.Paragraph, text
		case 2:
			b.Kind, b.Items = document.List, strings.Split(text, "\n")
		case 3:
			b.Kind, b.Header = document.Table, sel&0x80 != 0
			for line := range strings.SplitSeq(text, "\n") {
				b.Rows = append(b.Rows, strings.Split(line, "|"))
			}
		default:
			b.Kind, b.Text = document.Code, text
		}
		doc.Blocks = append(doc.Blocks, b)
	}
	return &doc, opts
}

func FuzzSplit(f *testing.F) {
	f.Add([]byte("\x10\x05\x05\x00Teil 1\x00\x01§ 8 Einkommen\n(1) Satz eins. Satz z. B. zwei.\n(2) Drei.\x00\x02eins\nzwei\x00\x83a|b\nc|d\x00\x04code\n  line"))
	f.Add([]byte("\x03\x01\x00\x01" + strings.Repeat("x", 300) + " " + strings.Repeat("Wort ", 50)))
	f.Add([]byte("\xff\x80\x80\x00H\x00\x08H2\x00\x00H3"))
	f.Add([]byte("\x00\x00\x00\x01§ 1\nZweck\n§ 2 Form\x00\x02\n\n\x00\x03|\n|"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, opts := fuzzDoc(data)
		chunks := Split(doc, opts)
		checkInvariants(t, doc, opts.withDefaults(), chunks)
	})
}

// benchDoc generates a document of about size bytes.
func benchDoc(size int) *document.Document {
	rng := rand.New(rand.NewPCG(3, 5))
	doc := &document.Document{}
	n := 0
	for n < size {
		d := genDoc(rng, 50)
		for _, b := range d.Blocks {
			n += len(b.Text) + len(strings.Join(b.Items, "\n")) + len(document.RenderRows(b.Rows))
		}
		doc.Blocks = append(doc.Blocks, d.Blocks...)
	}
	return doc
}

func BenchmarkSplit(b *testing.B) {
	doc := benchDoc(1 << 20)
	size := 0
	for _, bl := range normalized(doc) {
		size += len(bl.Text)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		Split(doc, Options{})
	}
}
