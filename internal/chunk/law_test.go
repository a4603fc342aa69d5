package chunk

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zero711/brain/internal/corpustest"
	"github.com/zero711/brain/internal/document"
)

// lawDocument turns the Markdown of a law in the shared corpus (front
// matter, "#" headings, paragraphs separated by blank lines, "1.  " and
// "a)  " list items with indented continuations) into the document a
// Markdown extractor would produce. With flat, headings that start with
// "§" or "Art" become paragraphs, as PDF and Word extractors often
// deliver them.
func lawDocument(src string, flat bool) *document.Document {
	if strings.HasPrefix(src, "---\n") {
		if i := strings.Index(src[4:], "\n---\n"); i >= 0 {
			src = src[4+i+5:]
		}
	}
	var doc document.Document
	var para []string
	var list *document.Block
	flushPara := func() {
		if len(para) > 0 {
			doc.Blocks = append(doc.Blocks, document.Block{Kind: document.Paragraph, Text: strings.Join(para, "\n")})
			para = nil
		}
	}
	flushList := func() {
		if list != nil {
			doc.Blocks = append(doc.Blocks, *list)
			list = nil
		}
	}
	for group := range strings.SplitSeq(src, "\n\n") {
		group = strings.Trim(group, "\n")
		if strings.TrimSpace(group) == "" {
			continue
		}
		lines := strings.Split(group, "\n")
		first := lines[0]
		switch {
		case strings.HasPrefix(first, "#"):
			flushList()
			level := len(first) - len(strings.TrimLeft(first, "#"))
			text := strings.TrimSpace(first[level:])
			if flat && (strings.HasPrefix(text, "§") || strings.HasPrefix(text, "Art")) {
				para = []string{text}
				flushPara()
			} else {
				doc.Blocks = append(doc.Blocks, document.Block{Kind: document.Heading, Level: level, Text: text})
			}
		case listItem(first):
			if list == nil {
				list = &document.Block{Kind: document.List}
			}
			list.Items = append(list.Items, strings.TrimSpace(group))
		case list != nil && strings.HasPrefix(first, "    "):
			list.Items[len(list.Items)-1] += "\n" + strings.TrimSpace(group)
		default:
			flushList()
			for i, l := range lines {
				lines[i] = strings.TrimPrefix(l, ":   ")
			}
			para = lines
			flushPara()
		}
	}
	flushList()
	doc.Normalize()
	return &doc
}

// listItem reports whether a Markdown line starts a list item ("1.  ",
// "a)  ", "- ").
func listItem(line string) bool {
	if strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "* ") {
		return true
	}
	i := 0
	for i < len(line) && (isDigit(line[i]) || 'a' <= line[i] && line[i] <= 'z') && i < 4 {
		i++
	}
	return i > 0 && i+2 < len(line) && (line[i] == '.' || line[i] == ')') && line[i+1] == ' '
}

func readLaw(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpustest.Dir(t, "laws"), name))
	if err != nil {
		t.Fatalf("read law: %v", err)
	}
	return string(b)
}

// TestLaws splits real German laws and checks that chunks follow § and
// Absatz boundaries: every block (an Absatz, a list of Nummern) that fits
// a chunk is in one chunk whole, every chunk starts at the start of a
// block, an Absatz or a clause unless it continues a block too large for
// one chunk, and no chunk mixes two §§ unless it is a merged run of tiny
// ones.
func TestLaws(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"gmbhg.md", "gg.md", "estg.md", "kstdv_1977.md"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc := lawDocument(readLaw(t, name), false)
			opts := Options{}.withDefaults()
			chunks := Split(doc, Options{})
			checkInvariants(t, doc, opts, chunks)
			checkWholeBlocks(t, doc, opts, chunks)
			starts, mid := checkChunkStarts(t, doc, opts, chunks)
			checkOneParagraph(t, doc, opts, chunks)
			t.Logf("%s: %d blocks, %d chunks, %d start at block/Absatz/clause boundaries, %d continue an oversized block",
				name, len(doc.Blocks), len(chunks), starts, mid)
		})
	}
}

// TestLawsFlat splits laws whose § titles came out as paragraphs and
// checks that the § titles are found as section starts.
func TestLawsFlat(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"gmbhg.md", "gg.md", "ustg_1980.md"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src := readLaw(t, name)
			want := map[string]bool{}
			for _, b := range lawDocument(src, false).Blocks {
				if b.Kind == document.Heading && (strings.HasPrefix(b.Text, "§") || strings.HasPrefix(b.Text, "Art")) {
					want[b.Text] = true
				}
			}
			doc := lawDocument(src, true)
			opts := Options{}.withDefaults()
			chunks := Split(doc, Options{})
			checkInvariants(t, doc, opts, chunks)
			checkWholeBlocks(t, doc, opts, chunks)
			got := map[string]bool{}
			for _, c := range chunks {
				for _, s := range c.Section {
					got[s] = true
				}
				for line := range strings.SplitSeq(c.Text, "\n") {
					got[line] = true // bare and merged §§ are body lines
				}
			}
			var missing []string
			for s := range want {
				if !got[s] {
					missing = append(missing, s)
				}
			}
			found := len(want) - len(missing)
			t.Logf("%s: %d of %d § titles found as section starts; missing e.g. %q", name, found, len(want), first(missing, 5))
			if found*100 < len(want)*97 {
				t.Errorf("found %d of %d § titles", found, len(want))
			}
			for s := range got {
				if strings.HasPrefix(s, "§") && !want[s] && len(s) < maxTitleRunes && !strings.Contains(s, "\n") && isSectionOf(chunks, s) {
					t.Errorf("false § section %q", s)
				}
			}
		})
	}
}

func isSectionOf(chunks []Chunk, s string) bool {
	for _, c := range chunks {
		for _, p := range c.Section {
			if p == s {
				return true
			}
		}
	}
	return false
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }

// checkOneParagraph checks that a chunk under a § holds no other §'s
// title: only merged runs of tiny §§, whose Section is their parent, do.
func checkOneParagraph(t *testing.T, doc *document.Document, opts Options, chunks []Chunk) {
	t.Helper()
	titles := map[string]bool{}
	for _, b := range doc.Blocks {
		if b.Kind == document.Heading && (strings.HasPrefix(b.Text, "§") || strings.HasPrefix(b.Text, "Art")) {
			titles[b.Text] = true
		}
	}
	for i, c := range chunks {
		if len(c.Section) == 0 || !titles[c.Section[len(c.Section)-1]] {
			continue
		}
		for line := range strings.SplitSeq(body(c, opts), "\n") {
			if titles[line] && line != c.Section[len(c.Section)-1] {
				t.Errorf("chunk %d under %q holds %q", i, c.Section[len(c.Section)-1], line)
			}
		}
	}
}
