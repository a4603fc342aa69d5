package chunk

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/zero711/brain/internal/document"
)

func heading(level int, text string) document.Block {
	return document.Block{Kind: document.Heading, Level: level, Text: text}
}

func para(text string) document.Block { return document.Block{Kind: document.Paragraph, Text: text} }

func docOf(blocks ...document.Block) *document.Document {
	return &document.Document{Blocks: blocks}
}

// split runs Split and checks the invariants.
func split(t *testing.T, doc *document.Document, opts Options) []Chunk {
	t.Helper()
	chunks := Split(doc, opts)
	checkInvariants(t, doc, opts.withDefaults(), chunks)
	return chunks
}

// words returns n words of filler text, sentence by sentence.
func filler(prefix string, n int) string {
	var sb strings.Builder
	for i := range n {
		if i > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%s%d", prefix, i)
		if i%8 == 7 || i == n-1 {
			sb.WriteByte('.')
		}
	}
	return sb.String()
}

func TestHeadingsStartSections(t *testing.T) {
	t.Parallel()
	doc := docOf(
		heading(1, "Teil 2"),
		heading(2, "§ 8 Einkommen"),
		para("Einkommen ist der Gesamtbetrag der Einkünfte."),
		heading(2, "§ 9 Werbungskosten"),
		para("Werbungskosten sind Aufwendungen."),
	)
	got := split(t, doc, Options{MinTokens: -1})
	want := []Chunk{
		{Text: "Teil 2 > § 8 Einkommen\nEinkommen ist der Gesamtbetrag der Einkünfte.", Section: []string{"Teil 2", "§ 8 Einkommen"}, Kind: "paragraph"},
		{Text: "Teil 2 > § 9 Werbungskosten\nWerbungskosten sind Aufwendungen.", Section: []string{"Teil 2", "§ 9 Werbungskosten"}, Kind: "paragraph"},
	}
	for i := range want {
		want[i].Tokens = Tokens(want[i].Text)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestPackParagraphs(t *testing.T) {
	t.Parallel()
	var blocks []document.Block
	blocks = append(blocks, heading(1, "Kapitel"))
	for i := range 12 {
		blocks = append(blocks, para(filler(fmt.Sprintf("w%c", 'a'+i), 40)))
	}
	doc := docOf(blocks...)
	opts := Options{MaxTokens: 100}
	chunks := split(t, doc, opts)
	checkWholeBlocks(t, doc, opts.withDefaults(), chunks)
	// Each paragraph is 40 words and 5 stops (45 tokens), so two fit
	// with the prefix; all twelve need six chunks.
	if len(chunks) != 6 {
		t.Errorf("%d chunks, want 6", len(chunks))
	}
	for _, c := range chunks {
		if got := strings.Count(c.Text, "\n\n"); got != 1 {
			t.Errorf("chunk holds %d paragraphs, want 2: %q", got+1, c.Text)
		}
	}
}

func TestSectionChangeStartsChunk(t *testing.T) {
	t.Parallel()
	doc := docOf(
		heading(1, "A"), para(filler("a", 30)),
		heading(1, "B"), para(filler("b", 30)),
		para(filler("c", 30)), // same section as B
	)
	chunks := split(t, doc, Options{MaxTokens: 400})
	if len(chunks) != 2 {
		t.Fatalf("%d chunks, want 2: %+v", len(chunks), chunks)
	}
	if !strings.Contains(chunks[1].Text, "b0") || !strings.Contains(chunks[1].Text, "c0") || strings.Contains(chunks[0].Text, "b0") {
		t.Errorf("sections mixed: %+v", chunks)
	}
}

func TestTinySectionsMerge(t *testing.T) {
	t.Parallel()
	doc := docOf(
		heading(1, "Gesetz"),
		heading(2, "§ 1 Zweck"), para("Kurz."),
		heading(2, "§ 2 (weggefallen)"),
		heading(2, "§ 3 Sitz"), para("Der Sitz ist Berlin."),
		heading(2, "§ 4 Lang"), para(filler("x", 60)),
		heading(2, "§ 5 Kurz"), para("Auch kurz."),
	)
	chunks := split(t, doc, Options{})
	var sections [][]string
	for _, c := range chunks {
		sections = append(sections, c.Section)
	}
	want := [][]string{{"Gesetz"}, {"Gesetz", "§ 4 Lang"}, {"Gesetz", "§ 5 Kurz"}}
	if !reflect.DeepEqual(sections, want) {
		t.Fatalf("sections %q, want %q", sections, want)
	}
	if want := "Gesetz\n§ 1 Zweck\nKurz.\n\n§ 2 (weggefallen)\n§ 3 Sitz\nDer Sitz ist Berlin."; chunks[0].Text != want {
		t.Errorf("merged chunk %q, want %q", chunks[0].Text, want)
	}

	chunks = split(t, doc, Options{MinTokens: -1})
	if len(chunks) != 5 {
		t.Errorf("without merging: %d chunks, want 5", len(chunks))
	}
	if c := chunks[1]; c.Kind != "heading" || c.Text != "Gesetz\n§ 2 (weggefallen)" || !slices.Equal(c.Section, []string{"Gesetz", "§ 2 (weggefallen)"}) {
		t.Errorf("bare heading chunk %+v", c)
	}
}

func TestHeadingWithoutContent(t *testing.T) {
	t.Parallel()
	doc := docOf(
		heading(1, "Teil 1"),
		heading(2, "Abschnitt 1"), // content only in its subsection
		heading(3, "§ 1 Zweck"),
		para("Der Zweck."),
		heading(1, "Anhang"), // no content at all
	)
	chunks := split(t, doc, Options{MinTokens: -1})
	if len(chunks) != 2 {
		t.Fatalf("%d chunks, want 2: %+v", len(chunks), chunks)
	}
	if want := "Teil 1 > Abschnitt 1 > § 1 Zweck\nDer Zweck."; chunks[0].Text != want {
		t.Errorf("chunk 0 %q, want %q", chunks[0].Text, want)
	}
	if c := chunks[1]; c.Text != "Anhang" || c.Kind != "heading" {
		t.Errorf("chunk 1 %+v, want the bare heading", c)
	}
}

// TestLongParagraph checks that a paragraph larger than a chunk is cut
// between sentences and that each chunk repeats whole sentences of the
// previous one, up to Overlap tokens.
func TestLongParagraph(t *testing.T) {
	t.Parallel()
	var sents []string
	for i := range 40 {
		sents = append(sents, fmt.Sprintf("Satz %d sagt z. B. etwas über Abs. %d.", i, i))
	}
	doc := docOf(heading(1, "H"), para(strings.Join(sents, " ")))
	opts := Options{MaxTokens: 60, Overlap: 15}
	chunks := split(t, doc, opts)
	if len(chunks) < 5 {
		t.Fatalf("%d chunks", len(chunks))
	}
	isSentence := func(s string) bool { return slices.Contains(sents, s) }
	for i, c := range chunks {
		b := body(c, opts.withDefaults())
		got := sentences(b)
		for _, s := range got {
			if !isSentence(s) {
				t.Fatalf("chunk %d has a cut sentence %q", i, s)
			}
		}
		if i == 0 {
			continue
		}
		prev := sentences(body(chunks[i-1], opts.withDefaults()))
		// The chunk starts with the last sentence(s) of the previous one.
		n := 0
		for n < len(got) && n < len(prev) && slices.Equal(prev[len(prev)-n-1:], got[:n+1]) {
			n++
		}
		if n == 0 {
			t.Errorf("chunk %d does not overlap the previous one: %q", i, b)
		}
		if tok := Tokens(strings.Join(got[:n], " ")); tok > 15 {
			t.Errorf("chunk %d overlaps by %d tokens, more than 15", i, tok)
		}
	}

	chunks = split(t, doc, Options{MaxTokens: 60, Overlap: -1})
	var all []string
	for _, c := range chunks {
		all = append(all, sentences(body(c, opts.withDefaults()))...)
	}
	if !slices.Equal(all, sents) {
		t.Errorf("without overlap the sentences are not each once, in order: %q", all)
	}
}

func TestLongSentence(t *testing.T) {
	t.Parallel()
	doc := docOf(para(filler("wort", 200) + " Kurz."))
	chunks := split(t, doc, Options{MaxTokens: 50, Overlap: -1})
	var words []string
	for _, c := range chunks {
		words = append(words, strings.Fields(c.Text)...)
	}
	if want := strings.Fields(doc.Blocks[0].Text); !slices.Equal(words, want) {
		t.Errorf("words of the chunks differ from the sentence's")
	}
}

func TestSplitLongWord(t *testing.T) {
	t.Parallel()
	word := strings.Repeat("abcdefghij", 300)
	for _, max := range []int{1, 7, 100} {
		chunks := split(t, docOf(para(word)), Options{MaxTokens: max})
		var sb strings.Builder
		for _, c := range chunks {
			sb.WriteString(c.Text)
		}
		if sb.String() != word {
			t.Errorf("MaxTokens %d: pieces do not make the word", max)
		}
	}
}

func table(header bool, rows int) document.Block {
	b := document.Block{Kind: document.Table, Header: header, Rows: [][]string{{"Name", "Betrag", "Datum"}}}
	for i := range rows {
		b.Rows = append(b.Rows, []string{fmt.Sprintf("Posten %d", i), fmt.Sprintf("%d,00 EUR", i*10), "01.02.2024"})
	}
	return b
}

func TestTableRows(t *testing.T) {
	t.Parallel()
	for _, header := range []bool{true, false} {
		b := table(header, 60)
		doc := docOf(heading(1, "Tabelle"), b)
		opts := Options{MaxTokens: 80}
		chunks := split(t, doc, opts)
		if len(chunks) < 3 {
			t.Fatalf("%d chunks", len(chunks))
		}
		lines := strings.Split(document.RenderRows(b.Rows), "\n")
		var got []string
		for i, c := range chunks {
			rows := strings.Split(body(c, opts.withDefaults()), "\n")
			if c.Kind != "table" {
				t.Errorf("chunk %d kind %q", i, c.Kind)
			}
			if header {
				if rows[0] != lines[0] {
					t.Errorf("chunk %d does not start with the header: %q", i, rows[0])
				}
				if i > 0 {
					rows = rows[1:]
				}
			} else if i > 0 && rows[0] == lines[0] {
				t.Errorf("chunk %d repeats the first row of a table without header", i)
			}
			got = append(got, rows...)
		}
		if !slices.Equal(got, lines) {
			t.Errorf("header %v: rows of the chunks differ from the table's:\n%q", header, got)
		}
	}
}

func TestListItems(t *testing.T) {
	t.Parallel()
	var items []string
	for i := range 30 {
		items = append(items, fmt.Sprintf("%d. Punkt %d mit etwas Text, der ihn erklärt;", i+1, i))
	}
	lead := "Der Vertrag regelt folgende Punkte:"
	doc := docOf(heading(1, "Vertrag"), para(lead), document.Block{Kind: document.List, Items: items})
	opts := Options{MaxTokens: 80}
	chunks := split(t, doc, opts)
	var got []string
	for i, c := range chunks {
		lines := strings.Split(body(c, opts.withDefaults()), "\n")
		if lines[0] != lead {
			t.Errorf("chunk %d does not start with the lead-in: %q", i, lines[0])
		}
		if i == 0 {
			if lines[1] != "" {
				t.Errorf("chunk 0: lead-in not followed by a blank line: %q", lines)
			}
			lines = lines[1:]
		}
		got = append(got, lines[1:]...)
	}
	if !slices.Equal(got, items) {
		t.Errorf("items of the chunks differ:\n%q", got)
	}

	// A list that fits stays whole with its lead-in.
	small := docOf(para(lead), document.Block{Kind: document.List, Items: items[:3]})
	chunks = split(t, small, Options{})
	if len(chunks) != 1 || chunks[0].Text != lead+"\n\n"+strings.Join(items[:3], "\n") || chunks[0].Kind != "list" {
		t.Errorf("small list: %+v", chunks)
	}
}

func TestListLongItem(t *testing.T) {
	t.Parallel()
	items := []string{"kurz", filler("lang", 120), "auch kurz"}
	doc := docOf(document.Block{Kind: document.List, Items: items})
	chunks := split(t, doc, Options{MaxTokens: 60})
	if len(chunks) < 3 {
		t.Errorf("%d chunks, want the long item cut", len(chunks))
	}
}

func TestCodeLines(t *testing.T) {
	t.Parallel()
	var lines []string
	for i := range 80 {
		lines = append(lines, fmt.Sprintf("\tx%d := compute(%d, \"arg\") // step %d", i, i, i))
	}
	src := "func main() {\n" + strings.Join(lines, "\n") + "\n}"
	doc := docOf(heading(1, "main.go"), document.Block{Kind: document.Code, Text: src})
	opts := Options{MaxTokens: 100}
	chunks := split(t, doc, opts)
	if len(chunks) < 4 {
		t.Fatalf("%d chunks", len(chunks))
	}
	var got []string
	for _, c := range chunks {
		got = append(got, strings.Split(body(c, opts.withDefaults()), "\n")...)
	}
	if want := strings.Split(src, "\n"); !slices.Equal(got, want) {
		t.Errorf("lines of the chunks differ from the code's:\n%q", got)
	}
}

// TestAbsatzParagraph checks a § whose Absätze came out as one paragraph
// (as from a PDF): chunks start at Absätze and hold them whole.
func TestAbsatzParagraph(t *testing.T) {
	t.Parallel()
	var abs []string
	for i := range 12 {
		abs = append(abs, fmt.Sprintf("(%d) %s", i+1, filler(fmt.Sprintf("a%d_", i), 20+i%3*7)))
	}
	text := "§ 8 Einkommen\n" + strings.Join(abs, "\n")
	doc := docOf(heading(1, "KStG"), para(text))
	opts := Options{MaxTokens: 150}
	chunks := split(t, doc, opts)
	var got []string
	for i, c := range chunks {
		if !slices.Equal(c.Section, []string{"KStG", "§ 8 Einkommen"}) {
			t.Errorf("chunk %d section %q", i, c.Section)
		}
		got = append(got, strings.Split(body(c, opts.withDefaults()), "\n")...)
	}
	if !slices.Equal(got, abs) {
		t.Errorf("Absätze of the chunks differ:\n%q", got)
	}
}

func TestClauseParagraph(t *testing.T) {
	t.Parallel()
	var cl []string
	for i := range 10 {
		cl = append(cl, fmt.Sprintf("%d. %s", i+1, filler("k", 25)))
	}
	doc := docOf(para("Die Parteien vereinbaren:\n" + strings.Join(cl, "\n")))
	chunks := split(t, doc, Options{MaxTokens: 120})
	for i, c := range chunks[1:] {
		if !clauseMarker(c.Text) {
			t.Errorf("chunk %d does not start at a clause: %.40q", i+1, c.Text)
		}
	}
}

// TestStatuteParagraphs checks that § titles delivered as paragraphs
// start sections, and the paragraphs after them belong to them.
func TestStatuteParagraphs(t *testing.T) {
	t.Parallel()
	doc := docOf(
		heading(1, "Vertrag"),
		para("Präambel der Parteien."),
		para("§ 1 Gegenstand"),
		para("(1) Gegenstand ist die Lieferung. "+filler("g", 30)),
		para("(2) Die Lieferung erfolgt frei Haus."),
		para("§ 2 Vergütung\n(1) Die Vergütung beträgt 1.234,56 EUR. "+filler("v", 30)),
		para("§ 3 gilt entsprechend."), // a reference, not a title
		heading(1, "Anlage"),
		para("Liste der Waren."),
	)
	chunks := split(t, doc, Options{MinTokens: -1})
	var got [][]string
	for _, c := range chunks {
		got = append(got, c.Section)
	}
	want := [][]string{{"Vertrag"}, {"Vertrag", "§ 1 Gegenstand"}, {"Vertrag", "§ 2 Vergütung"}, {"Anlage"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sections %q, want %q", got, want)
	}
	if !strings.Contains(chunks[2].Text, "§ 3 gilt entsprechend.") {
		t.Errorf("reference paragraph not in § 2: %q", chunks[2].Text)
	}
}

func TestPageAndKind(t *testing.T) {
	t.Parallel()
	doc := docOf(
		document.Block{Kind: document.Heading, Level: 1, Text: "H", Page: 1},
		document.Block{Kind: document.Paragraph, Text: "Kurz.", Page: 2},
		document.Block{Kind: document.Table, Rows: [][]string{{"a", "b"}, {"c", "d"}, {"e", "f"}}, Page: 3},
		document.Block{Kind: document.Heading, Level: 1, Text: "I", Page: 4},
		document.Block{Kind: document.Paragraph, Text: filler("p", 200), Page: 5},
	)
	chunks := split(t, doc, Options{MaxTokens: 100})
	if c := chunks[0]; c.Page != 2 || c.Kind != "table" {
		t.Errorf("chunk 0 page %d kind %s, want 2 table", c.Page, c.Kind)
	}
	for _, c := range chunks[1:] {
		if c.Page != 5 || c.Kind != "paragraph" {
			t.Errorf("chunk page %d kind %s, want 5 paragraph", c.Page, c.Kind)
		}
	}
}

func TestContextLine(t *testing.T) {
	t.Parallel()
	long := "Gesetz über die steuerliche Behandlung von Dingen, die sehr lange Namen haben und noch mehr"
	tests := []struct {
		path   []string
		maxTok int
		want   string
		shown  []string
	}{
		{nil, 64, "", nil},
		{[]string{"Teil 2", "§ 8 Einkommen"}, 64, "Teil 2 > § 8 Einkommen", []string{"Teil 2", "§ 8 Einkommen"}},
		{[]string{long, "§ 1"}, 64, "Gesetz über die steuerliche Behandlung von… > § 1", []string{"§ 1"}},
		{[]string{"A", "B", "C", "D"}, 6, "A > … > D", []string{"A", "D"}},
		{[]string{"A", "B", "C", "D"}, 2, "D", []string{"D"}},
		{[]string{"A", "das sehr lange Innerste"}, 3, "das sehr…", nil},
		{[]string{"A", "Innerste"}, 1, "", nil},
	}
	for _, tt := range tests {
		got, shown := contextLine(tt.path, tt.maxTok)
		if got != tt.want || !slices.Equal(shown, tt.shown) {
			t.Errorf("contextLine(%q, %d) = %q %q, want %q %q", tt.path, tt.maxTok, got, shown, tt.want, tt.shown)
		}
		if Tokens(got) > tt.maxTok {
			t.Errorf("contextLine(%q, %d) has %d tokens", tt.path, tt.maxTok, Tokens(got))
		}
	}
}

// TestLongHeading checks that a heading the context line cuts is written
// in full at the start of its section.
func TestLongHeading(t *testing.T) {
	t.Parallel()
	long := "§ 6c " + strings.Repeat("Übertragung stiller Reserven ", 10)
	doc := docOf(heading(1, "EStG"), heading(2, long), para("Inhalt."))
	chunks := split(t, doc, Options{})
	if len(chunks) != 1 || !strings.Contains(chunks[0].Text, "\n"+strings.TrimSpace(long)+"\nInhalt.") {
		t.Errorf("chunks %+v", chunks)
	}
}

func TestOptionsDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want Options }{
		{Options{}, Options{MaxTokens: 400, Overlap: 50, MinTokens: 40}},
		{Options{MaxTokens: 100, Overlap: 80, MinTokens: 200}, Options{MaxTokens: 100, Overlap: 25, MinTokens: 100}},
		{Options{MaxTokens: -1, Overlap: -1, MinTokens: -1}, Options{MaxTokens: 400}},
	}
	for _, tt := range tests {
		if got := tt.in.withDefaults(); got != tt.want {
			t.Errorf("%+v.withDefaults() = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestSplitEmpty(t *testing.T) {
	t.Parallel()
	for _, doc := range []*document.Document{nil, {}, docOf(para("  \n ")), docOf(document.Block{Kind: document.List, Items: []string{" "}})} {
		if got := Split(doc, Options{}); len(got) != 0 {
			t.Errorf("Split(%v) = %+v", doc, got)
		}
	}
}

// TestSplitKeepsDocument checks that Split does not modify its input.
func TestSplitKeepsDocument(t *testing.T) {
	t.Parallel()
	doc := docOf(heading(1, "  H  "), para(" text "), document.Block{Kind: document.List, Items: []string{"a", "b"}})
	before := docOf(slices.Clone(doc.Blocks)...)
	Split(doc, Options{})
	if !reflect.DeepEqual(doc, before) {
		t.Errorf("document changed: %+v", doc)
	}
}
