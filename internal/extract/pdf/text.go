package pdf

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zero711/brain/internal/document"
)

// TextBlocks turns the plain text of one page, as pdftotext, antiword or
// catppt write it (wrapped lines, blank lines between blocks), into
// blocks on page: wrapped lines are joined into paragraphs (a word
// hyphenated at a line end is joined when the next line goes on in lower
// case), short unpunctuated lines that are numbered, in capitals or
// stand alone are headings, and lines starting with a bullet, "1." or
// "a)" are list items. A lone page number at the top or bottom of the
// page is dropped. The rules are conservative: when in doubt a line is
// paragraph text.
func TextBlocks(text string, page int) []document.Block {
	chunks := splitChunks(text)
	var blocks []document.Block
	for i, c := range chunks {
		if (i == 0 || i == len(chunks)-1) && len(c) == 1 && pageNumber.MatchString(c[0]) {
			continue
		}
		blocks = append(blocks, chunkBlocks(c, i < len(chunks)-1, page)...)
	}
	return blocks
}

// splitChunks splits text into runs of non-blank lines, each line
// trimmed of surrounding white space.
func splitChunks(text string) [][]string {
	var chunks [][]string
	var cur []string
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimFunc(line, unicode.IsSpace)
		if line == "" {
			if len(cur) > 0 {
				chunks = append(chunks, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if len(cur) > 0 {
		chunks = append(chunks, cur)
	}
	return chunks
}

var (
	// pageNumber matches a line that is only a page number.
	pageNumber = regexp.MustCompile(`^(?:[-–]\s*)?(?:\d{1,4}|[ivxlc]{1,6}|[IVXLC]{1,6})(?:\s*[-–])?$|^(?i:page|seite)\s+\d{1,4}(?:\s+(?i:of|von)\s+\d{1,4})?$`)
	// listItem matches a list item's marker; the item text is group 1.
	listItem = regexp.MustCompile(`^(?:[•·▪‣◦●○■□►➢✓\-*–]|\(?\d{1,3}[.)]|\(?[a-z]\))\s+(\S.*)$`)
	// numbered matches a numbered heading such as "2.3 Title" or
	// "4 Title"; group 1 is the number.
	numbered = regexp.MustCompile(`^(\d{1,2}(?:\.\d{1,2}){0,5})\.?\s+\p{Lu}`)
)

// chunkBlocks turns one run of non-blank lines into blocks. more says
// another chunk follows on the page.
func chunkBlocks(lines []string, more bool, page int) []document.Block {
	var blocks []document.Block
	if lvl := headingLevel(lines, more); lvl > 0 {
		blocks = append(blocks, document.Block{Kind: document.Heading, Level: lvl, Text: lines[0], Page: page})
		lines = lines[1:]
	}
	width := maxWidth(lines)
	var para, item []byte
	var items []string
	flushPara := func() {
		if len(para) > 0 {
			blocks = append(blocks, document.Block{Kind: document.Paragraph, Text: string(para), Page: page})
			para = para[:0]
		}
	}
	flushItem := func() {
		if len(item) > 0 {
			items = append(items, string(item))
			item = item[:0]
		}
	}
	for i, line := range lines {
		if m := listItem.FindStringSubmatch(line); m != nil {
			flushPara()
			flushItem()
			item = append(item, m[1]...)
			continue
		}
		if len(item) > 0 {
			// A line after an item without a marker continues the item.
			item = joinLine(item, line)
			continue
		}
		if i > 0 && len(para) > 0 && paragraphBreak(lines[i-1], line, width) {
			flushPara()
		}
		para = joinLine(para, line)
	}
	flushPara()
	flushItem()
	if len(items) > 0 {
		blocks = append(blocks, document.Block{Kind: document.List, Level: 1, Items: items, Page: page})
	}
	return blocks
}

// headingLevel returns the heading level of the chunk's first line, or
// 0 when it is not a heading.
func headingLevel(lines []string, more bool) int {
	first := lines[0]
	if !headingShaped(first) {
		return 0
	}
	nextIsItem := len(lines) > 1 && listItem.MatchString(lines[1])
	if m := numbered.FindStringSubmatch(first); m != nil && !nextIsItem {
		return min(strings.Count(m[1], ".")+1, 6)
	}
	if listItem.MatchString(first) {
		return 0
	}
	if allCaps(first) {
		return 1
	}
	if !startsUpperOrDigit(first) || len(strings.Fields(first)) > 8 {
		return 0
	}
	if len(lines) == 1 {
		if more {
			return 2
		}
		return 0
	}
	// A short first line over much longer ones: a title set above its
	// paragraph without a blank line, as pdftotext often writes them.
	if !nextIsItem && runeLen(lines[1]) >= 2*runeLen(first) && runeLen(first) <= 60 {
		return 2
	}
	return 0
}

// headingShaped reports whether line could be a heading at all: short,
// with a letter, not ending like a sentence or a clause.
func headingShaped(line string) bool {
	n := runeLen(line)
	if n < 2 || n > 80 || len(strings.Fields(line)) > 12 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(line)
	if strings.ContainsRune(".,;:-", last) {
		return false
	}
	return strings.IndexFunc(line, unicode.IsLetter) >= 0
}

// allCaps reports whether line has at least three letters, all upper
// case.
func allCaps(line string) bool {
	letters := 0
	for _, r := range line {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			letters++
		}
	}
	return letters >= 3
}

// paragraphBreak reports whether cur starts a new paragraph after prev
// in a chunk whose longest line is width runes: prev ends a sentence
// well before the right margin and cur starts like a sentence.
func paragraphBreak(prev, cur string, width int) bool {
	if width < 40 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(prev)
	if !strings.ContainsRune(".!?:", last) {
		return false
	}
	return runeLen(prev)*10 < width*7 && startsUpperOrDigit(cur)
}

// joinLine appends line to the paragraph in buf. A line ending in a
// hyphen after a letter is joined without a space, and the hyphen is
// dropped when the next line goes on in lower case ("Wort-" "ende");
// a soft hyphen at the end is always dropped.
func joinLine(buf []byte, line string) []byte {
	if len(buf) == 0 {
		return append(buf, line...)
	}
	if bytesHasSuffix(buf, "\u00ad") {
		return append(buf[:len(buf)-len("\u00ad")], line...)
	}
	if n := len(buf); buf[n-1] == '-' && n > 1 {
		if r, _ := utf8.DecodeLastRune(buf[:n-1]); unicode.IsLetter(r) {
			if startsLower(line) {
				return append(buf[:n-1], line...)
			}
			return append(buf, line...)
		}
	}
	return append(append(buf, ' '), line...)
}

func bytesHasSuffix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}

func maxWidth(lines []string) int {
	w := 0
	for _, l := range lines {
		w = max(w, runeLen(l))
	}
	return w
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

func startsUpperOrDigit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}
