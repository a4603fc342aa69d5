package extract

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/zero711/brain/internal/document"
)

// runes is the fallback for binary formats no extractor reads (old word
// processors, publisher files, databases): it keeps the runs of readable
// text in the file, in single-byte (Windows-1252) and UTF-16LE encodings,
// as paragraphs, and says so in a warning. A file with too little
// readable text stays unsupported.
type runes struct{}

func (runes) Name() string    { return "strings" }
func (runes) Types() []string { return nil }

// maxRunesInput bounds how much of a file the fallback reads.
const maxRunesInput = 64 << 20

func (runes) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(io.LimitReader(f, maxRunesInput), 1<<16)
	var single, wide strings.Builder
	var run1, run2 []rune
	var prev byte
	havePrev := false
	pos := 0
	flush := func(run *[]rune, out *strings.Builder) {
		if words(*run) >= 3 {
			out.WriteString(strings.TrimSpace(string(*run)))
			out.WriteString("\n\n")
		}
		*run = (*run)[:0]
	}
	for {
		if pos&0xffff == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		b, err := r.ReadByte()
		if err != nil {
			break
		}
		// Single-byte text.
		if c := charmap.Windows1252.DecodeByte(b); readable(c) {
			run1 = append(run1, c)
		} else {
			flush(&run1, &single)
		}
		// UTF-16LE text: a readable code unit at every even offset.
		if pos%2 == 1 && havePrev {
			u := rune(prev) | rune(b)<<8
			if readable(u) && utf8.ValidRune(u) {
				run2 = append(run2, u)
			} else {
				flush(&run2, &wide)
			}
		}
		prev, havePrev = b, true
		pos++
	}
	flush(&run1, &single)
	flush(&run2, &wide)
	text := single.String()
	if letters(wide.String()) > letters(text) {
		text = wide.String()
	}
	if letters(text) < 80 {
		return nil, fmt.Errorf("%w: no extractor for %s (%s) and too little readable text in it", document.ErrUnsupported, in.Name, in.ContentType)
	}
	doc := &document.Document{Handler: "strings", Warnings: []string{
		fmt.Sprintf("no extractor for %s: kept the readable text runs of the file; layout and structure are lost", in.ContentType)}}
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			doc.Blocks = append(doc.Blocks, document.Block{Kind: document.Paragraph, Text: p})
		}
	}
	return doc, nil
}

// readable accepts letters, digits, punctuation and spaces of text.
func readable(c rune) bool {
	return c == ' ' || c == '\t' || unicode.IsLetter(c) || unicode.IsDigit(c) || unicode.IsPunct(c) ||
		(unicode.IsSymbol(c) && c < 0x2000)
}

// words counts runs of at least three letters: a run without words is
// noise from binary structures.
func words(run []rune) int {
	n, cur := 0, 0
	for _, c := range run {
		if unicode.IsLetter(c) {
			cur++
			continue
		}
		if cur >= 3 {
			n++
		}
		cur = 0
	}
	if cur >= 3 {
		n++
	}
	return n
}

func letters(s string) int {
	n := 0
	for _, c := range s {
		if unicode.IsLetter(c) {
			n++
		}
	}
	return n
}
