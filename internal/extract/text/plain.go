package text

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zero711/brain/internal/document"
)

// plainTypes are the text types mimetype reports that are best read as
// plain text: text itself, calendars, subtitles, contacts, scripts and
// source code.
var plainTypes = []string{
	"text/plain",
	"text/calendar",
	"text/vtt",
	"text/vcard",
	"application/x-subrip",
	"text/vnd.familysearch.gedcom",
	"text/x-php",
	"text/javascript",
	"text/x-lua",
	"text/x-perl",
	"text/x-python",
	"text/x-ruby",
	"text/x-tcl",
	"text/x-shellscript",
}

// Plain returns the extractor for plain text and the text-like types
// (Types lists them). It detects the charset (Metadata["charset"]),
// splits paragraphs at blank lines, and recognizes underlined and
// numbered headings and bullet lists. A file whose extension says it is
// Markdown, HTML, CSV, JSON, XML or RTF is handed to that extractor.
func Plain() document.Extractor {
	return &extractor{name: "text", types: plainTypes, run: extractPlain}
}

// byExtension maps extensions to the extractor that should read a file
// mimetype took for plain text.
func byExtension(e string) func(context.Context, document.Input) (*document.Document, error) {
	switch e {
	case ".md", ".markdown", ".mdown", ".mkd":
		return extractMarkdown
	case ".html", ".htm", ".xhtml":
		return extractHTML
	case ".mht", ".mhtml":
		return extractMHTML
	case ".csv", ".tsv", ".tab":
		return extractCSV
	case ".json", ".geojson":
		return extractJSON
	case ".ndjson", ".jsonl":
		return extractNDJSON
	case ".xml", ".tmx", ".xlf", ".xliff", ".dita", ".rdf", ".fb2", ".svg":
		return extractXML
	case ".rtf":
		return extractRTF
	}
	return nil
}

func extractPlain(ctx context.Context, in document.Input) (*document.Document, error) {
	if run := byExtension(ext(in)); run != nil {
		return run(ctx, in)
	}
	data, truncated, err := readInput(in)
	if err != nil {
		return nil, err
	}
	text, cs := decodeBytes(data)
	if looksLikeHTML(text) {
		return htmlFromText(ctx, in, text, cs)
	}
	doc := newDoc(in, "text")
	doc.Metadata["charset"] = cs
	if truncated {
		doc.Warnings = append(doc.Warnings, truncatedWarning())
	}
	if in.ContentType == "text/vtt" || in.ContentType == "application/x-subrip" {
		text = subtitleText(text)
	}
	doc.Blocks = plainBlocks(text)
	return finish(doc)
}

// subtitleText drops the cue numbers, timings and markup of WebVTT and
// SubRip subtitles, keeping the spoken text.
func subtitleText(text string) string {
	var b strings.Builder
	for line := range strings.SplitSeq(text, "\n") {
		t := strings.TrimSpace(line)
		if strings.Contains(t, "-->") || t == "WEBVTT" || strings.HasPrefix(t, "WEBVTT ") || isCueNumber(t) {
			continue
		}
		b.WriteString(htmlFragmentText(line))
		b.WriteByte('\n')
	}
	return b.String()
}

func isCueNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// looksLikeHTML says text starts as an HTML document: mimetype reports
// UTF-16 HTML as text/plain.
func looksLikeHTML(text string) bool {
	head := strings.ToLower(strings.TrimLeftFunc(text[:min(len(text), 512)], unicode.IsSpace))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html")
}

// plainBlocks splits text into paragraphs at blank lines and finds
// headings and lists in them.
func plainBlocks(text string) []document.Block {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	var blocks []document.Block
	var group []string
	flush := func() {
		if len(group) > 0 {
			blocks = append(blocks, groupBlocks(group)...)
			group = group[:0]
		}
	}
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimRightFunc(line, unicode.IsSpace)
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		group = append(group, line)
	}
	flush()
	return blocks
}

// groupBlocks turns the lines of one blank-line-separated group into
// blocks: a lone numbered title, setext headings, bullet lists and
// paragraphs.
func groupBlocks(lines []string) []document.Block {
	if len(lines) == 1 {
		if lvl, ok := numberedHeading(lines[0]); ok {
			return []document.Block{{Kind: document.Heading, Level: lvl, Text: strings.TrimSpace(lines[0])}}
		}
	}
	ordered := 0
	for _, l := range lines {
		if orderedItem(l) {
			ordered++
		}
	}
	var blocks []document.Block
	var para []string
	var items []string
	flushPara := func() {
		if len(para) > 0 {
			blocks = append(blocks, document.Block{Kind: document.Paragraph, Text: strings.Join(para, "\n")})
			para = nil
		}
	}
	flushList := func() {
		if len(items) > 0 {
			blocks = append(blocks, document.Block{Kind: document.List, Level: 1, Items: items})
			items = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if i+1 < len(lines) {
			if lvl := underline(lines[i+1]); lvl > 0 && isTitleLine(line) {
				flushPara()
				flushList()
				blocks = append(blocks, document.Block{Kind: document.Heading, Level: lvl, Text: strings.TrimSpace(line)})
				i++
				continue
			}
		}
		if item, ok := bulletItem(line); ok {
			flushPara()
			items = append(items, item)
			continue
		}
		if ordered >= 2 && orderedItem(line) {
			flushPara()
			items = append(items, strings.TrimSpace(line))
			continue
		}
		if len(items) > 0 && startsIndented(line) {
			items[len(items)-1] += " " + strings.TrimSpace(line)
			continue
		}
		flushList()
		para = append(para, line)
	}
	flushPara()
	flushList()
	return blocks
}

// underline is 1 for a line of ===, 2 for a line of ---, else 0.
func underline(line string) int {
	s := strings.TrimSpace(line)
	if len(s) < 3 {
		return 0
	}
	switch {
	case strings.Trim(s, "=") == "":
		return 1
	case strings.Trim(s, "-") == "":
		return 2
	}
	return 0
}

// isTitleLine says line is short enough to be a heading.
func isTitleLine(line string) bool {
	s := strings.TrimSpace(line)
	n := utf8.RuneCountInString(s)
	return n > 0 && n <= 120 && !startsIndented(line)
}

func startsIndented(line string) bool {
	return strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")
}

// numberedHeading recognizes "1. Title" or "2.3 Title" standing alone:
// short, starting with a capital, not ending like a sentence.
func numberedHeading(line string) (int, bool) {
	s := strings.TrimSpace(line)
	if utf8.RuneCountInString(s) > 80 || startsIndented(line) {
		return 0, false
	}
	i, level := 0, 0
	for i < len(s) {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i || j-i > 3 {
			break
		}
		level++
		i = j
		if i < len(s) && s[i] == '.' {
			i++
			continue
		}
		break
	}
	if level == 0 || i >= len(s) || s[i] != ' ' || (level == 1 && s[i-1] != '.') {
		return 0, false
	}
	title := strings.TrimSpace(s[i:])
	r, _ := utf8.DecodeRuneInString(title)
	if !unicode.IsUpper(r) || strings.ContainsAny(title[len(title)-1:], ".,;:!?") {
		return 0, false
	}
	return min(level, 6), true
}

// orderedItem recognizes "1. item" and "2) item" lines.
func orderedItem(line string) bool {
	s := strings.TrimLeft(line, " \t")
	i := 0
	for i < len(s) && i < 3 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(s) && (s[i] == '.' || s[i] == ')') && s[i+1] == ' '
}

// bulletItem recognizes "- item", "* item", "• item", "– item" and
// "+ item" lines, returning the item text.
func bulletItem(line string) (string, bool) {
	s := strings.TrimLeft(line, " \t")
	for _, m := range []string{"- ", "* ", "• ", "– ", "+ ", "· ", "▪ ", "◦ "} {
		if strings.HasPrefix(s, m) {
			if item := strings.TrimSpace(s[len(m):]); item != "" {
				return item, true
			}
		}
	}
	return "", false
}
