package text

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"

	"github.com/zero711/brain/internal/document"
)

// HTML returns the extractor for HTML and XHTML. It keeps the main
// content (the article readability finds, or else the body without
// navigation, header, footer, asides and forms) as headings,
// paragraphs, lists, tables and code, and reads the title, author,
// description and date into the document's metadata.
func HTML() document.Extractor {
	return &extractor{name: "html", types: []string{"text/html", "application/xhtml+xml"}, run: extractHTML}
}

// Readability bounds: pages with more elements skip it, and an article
// shorter than minArticleChars, or than minArticleShare of the body's
// text, is not trusted to be the page's content.
const (
	maxReadabilityElems = 100_000
	minArticleChars     = 200
	minArticleShare     = 0.15
)

func extractHTML(ctx context.Context, in document.Input) (*document.Document, error) {
	data, truncated, err := readInput(in)
	if err != nil {
		return nil, err
	}
	doc, err := htmlDocument(ctx, in, data, "", "html")
	if err != nil {
		return nil, err
	}
	if truncated {
		doc.Warnings = append(doc.Warnings, truncatedWarning())
	}
	return finish(doc)
}

// htmlFromText extracts HTML that was already decoded as text.
func htmlFromText(ctx context.Context, in document.Input, text, cs string) (*document.Document, error) {
	doc, err := parseHTML(ctx, in, text, "html")
	if err != nil {
		return nil, err
	}
	doc.Metadata["charset"] = cs
	return finish(doc)
}

// htmlDocument decodes data (contentType may carry a charset parameter)
// and extracts it; the caller finishes the document.
func htmlDocument(ctx context.Context, in document.Input, data []byte, contentType, handler string) (*document.Document, error) {
	text, cs := decodeHTML(data, contentType)
	doc, err := parseHTML(ctx, in, text, handler)
	if err != nil {
		return nil, err
	}
	doc.Metadata["charset"] = cs
	return doc, nil
}

// metaCharset finds a charset declared in a meta element or the XML
// declaration.
var metaCharset = regexp.MustCompile(`(?i)(?:<meta[^>]*charset\s*=\s*["']?|<\?xml[^>]*encoding\s*=\s*["'])\s*([-\w.:]+)`)

// decodeHTML decodes an HTML file: a byte-order mark, then the declared
// charset (Content-Type parameter, meta element, XML declaration),
// unless the bytes are valid UTF-8 with non-ASCII text while the
// declaration names a legacy charset; then the detected one.
func decodeHTML(data []byte, contentType string) (string, string) {
	if name, enc, bom := detectCharset(data[:min(len(data), 4)]); bom > 0 {
		return decodeWith(data[bom:], enc, name)
	}
	label := ""
	if e, name, certain := charset.DetermineEncoding(data, contentType); certain && e != nil {
		label = name
	} else if m := metaCharset.FindSubmatch(data[:min(len(data), 4096)]); m != nil {
		label = string(m[1])
	}
	if label == "" {
		return decodeBytes(data)
	}
	e, name := charset.Lookup(label)
	utf8Text := validUTF8Prefix(data)
	switch {
	case e == nil:
		return decodeBytes(data)
	case name == "utf-8" && utf8Text:
		return decodeWith(data, nil, csUTF8)
	case name == "utf-8":
		return decodeBytes(data)
	case utf8Text && !isASCII(data):
		return decodeWith(data, nil, csUTF8)
	}
	return decodeWith(data, e, name)
}

// decodeWith decodes data with enc (nil for UTF-8).
func decodeWith(data []byte, enc encoding.Encoding, name string) (string, string) {
	if enc == nil || enc == encoding.Nop {
		return strings.ToValidUTF8(string(data), "\uFFFD"), name
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD"), name
	}
	return string(out), name
}

// parseHTML parses decoded HTML and walks its main content.
func parseHTML(ctx context.Context, in document.Input, text, handler string) (*document.Document, error) {
	root, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("%w: html: %v", document.ErrCorrupt, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	doc := newDoc(in, handler)
	htmlMeta(root, doc)
	body := findElement(root, atom.Body, 0)
	if body == nil {
		body = root
	}
	content, fromArticle := mainContent(root, body)
	w := &htmlWalker{ctx: ctx, budget: newBudget(), dropChrome: !fromArticle}
	if err := w.walk(content, 0); err != nil {
		if err != errOutputFull {
			return nil, err
		}
		doc.Warnings = append(doc.Warnings, outputWarning())
	}
	w.flush()
	if fromArticle {
		doc.Metadata["content"] = "article"
	}
	doc.Blocks = w.out
	return doc, nil
}

// mainContent is the article readability finds in root when it is long
// enough to be the page's content, or body.
func mainContent(root, body *html.Node) (*html.Node, bool) {
	article := readArticle(root)
	if article == nil {
		return body, false
	}
	n := len(collapse(nodeText(article)))
	if n < minArticleChars {
		return body, false
	}
	w := &htmlWalker{ctx: context.Background(), budget: newBudget(), dropChrome: true}
	_ = w.walk(body, 0)
	w.flush()
	total := 0
	for _, b := range w.out {
		total += len(b.Text) + len(strings.Join(b.Items, " ")) + len(document.RenderRows(b.Rows))
	}
	if float64(n) < minArticleShare*float64(total) {
		return body, false
	}
	return article, true
}

// readArticle runs readability on a copy of root; nil when it finds no
// article. A panic inside the library is treated as no article.
func readArticle(root *html.Node) (node *html.Node) {
	defer func() {
		if recover() != nil {
			node = nil
		}
	}()
	p := readability.NewParser()
	p.MaxElemsToParse = maxReadabilityElems
	a, err := p.ParseDocument(root, nil)
	if err != nil {
		return nil
	}
	return a.Node
}

// htmlMeta reads title, author, description, keywords, date and
// language from the head.
func htmlMeta(root *html.Node, doc *document.Document) {
	if h := findElement(root, atom.Html, 0); h != nil {
		if lang := attr(h, "lang"); lang != "" {
			doc.Language = strings.ToLower(strings.SplitN(strings.SplitN(lang, "-", 2)[0], "_", 2)[0])
		}
	}
	if t := findElement(root, atom.Title, 0); t != nil {
		doc.Title = collapse(nodeText(t))
	}
	head := findElement(root, atom.Head, 0)
	if head == nil {
		return
	}
	for m := range head.Descendants() {
		if m.Type != html.ElementNode || m.DataAtom != atom.Meta {
			continue
		}
		key := strings.ToLower(attr(m, "name"))
		if key == "" {
			key = strings.ToLower(attr(m, "property"))
		}
		htmlMetaValue(doc, key, strings.TrimSpace(attr(m, "content")))
	}
}

// htmlMetaValue stores one meta element's content.
func htmlMetaValue(doc *document.Document, key, val string) {
	if val == "" {
		return
	}
	switch key {
	case "author", "dc.creator", "dcterms.creator", "article:author":
		if doc.Author == "" {
			doc.Author = val
		}
	case "description", "og:description", "dc.description":
		if doc.Metadata["description"] == "" {
			doc.Metadata["description"] = val
		}
	case "keywords":
		doc.Metadata["keywords"] = val
	case "og:title":
		if doc.Title == "" {
			doc.Title = val
		}
	case "date", "dc.date", "dcterms.created", "article:published_time", "pubdate", "publish-date", "created":
		if t, ok := parseDate(val); ok && doc.Created.IsZero() {
			doc.Created = t
		}
		doc.Metadata["date"] = val
	case "article:modified_time", "last-modified", "dcterms.modified", "revised":
		if t, ok := parseDate(val); ok && doc.Modified.IsZero() {
			doc.Modified = t
		}
	case "generator", "language":
		doc.Metadata[key] = val
	}
}

// parseDate reads the date layouts found in meta elements.
func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02", time.RFC1123Z, time.RFC1123, "02.01.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// findElement is the first element a below n, depth-first.
func findElement(n *html.Node, a atom.Atom, depth int) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	if depth > maxDepth {
		return nil
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findElement(c, a, depth+1); f != nil {
			return f
		}
	}
	return nil
}

// attr is n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// nodeText is the text below n, script and style excluded.
func nodeText(n *html.Node) string {
	var b bytes.Buffer
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style):
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return b.String()
}
