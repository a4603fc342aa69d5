package text

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/net/html/charset"

	"github.com/zero711/brain/internal/document"
)

// XML returns the extractor for XML and the XML vocabularies no other
// extractor reads (XLIFF, TMX, RDF, DITA, FictionBook, RSS, Atom, KML,
// GPX, SVG, …). Character data becomes one paragraph per element that
// holds text; title, head and h1–h6 elements become headings.
func XML() document.Extractor {
	return &extractor{name: "xml", types: []string{
		"text/xml", "application/xml", "application/x-xliff+xml", "application/rss+xml",
		"application/atom+xml", "application/owl+xml", "application/gml+xml",
		"application/gpx+xml", "application/vnd.google-earth.kml+xml",
		"application/vnd.garmin.tcx+xml", "application/vnd.cyclonedx+xml",
		"application/vnd.adobe.xfdf", "model/x3d+xml", "model/vnd.collada+xml", "image/svg+xml",
	}, run: extractXML}
}

// xmlFrame is an open element.
type xmlFrame struct {
	name     string
	buf      *xmlBuf // shared with the parent for inline elements
	inline   bool
	skip     bool // script/style: its text is dropped
	block    bool // a paragraph-like element: everything inside is inline
	hasTitle bool // a title child was emitted: deeper titles are subheadings
}

// xmlBuf gathers an element's text; text says it holds more than
// whitespace.
type xmlBuf struct {
	b    strings.Builder
	text bool
}

func (b *xmlBuf) write(p []byte) {
	b.b.Write(p)
	if !b.text && strings.TrimSpace(string(p)) != "" {
		b.text = true
	}
}

// xmlBlockName says an element's whole content is one paragraph, in
// the vocabularies we meet (XHTML, DocBook, DITA, FictionBook, TMX,
// XLIFF, WordprocessingML).
func xmlBlockName(local string) bool {
	switch local {
	case "p", "para", "li", "title", "head", "h1", "h2", "h3", "h4", "h5", "h6",
		"seg", "source", "target", "note", "shortdesc", "dt", "dd", "td", "th", "v", "subtitle":
		return true
	}
	return false
}

// xmlHeading is the heading level an element gives (0 none); parentLvl
// counts the titled ancestors.
func xmlHeading(local string, titled int) int {
	switch local {
	case "h1", "h2", "h3", "h4", "h5", "h6":
		return int(local[1] - '0')
	case "title", "head":
		return min(titled+1, 6)
	}
	return 0
}

func extractXML(ctx context.Context, in document.Input) (*document.Document, error) {
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	defer f.Close()
	doc := newDoc(in, "xml")
	x, err := walkXML(ctx, f, doc)
	switch {
	case err == nil:
	case errors.Is(err, errOutputFull):
		doc.Warnings = append(doc.Warnings, outputWarning())
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case len(x.blocks) == 0:
		return nil, fmt.Errorf("%w: xml: %v", document.ErrCorrupt, err)
	default:
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("xml: stopped at an error: %v", err))
	}
	if x.root != "" {
		doc.Metadata["root"] = x.root
	}
	doc.Blocks = x.blocks
	return finish(doc)
}

// walkXML reads XML from r into blocks, with doc receiving the title
// and author.
func walkXML(ctx context.Context, r io.Reader, doc *document.Document) (*xmlWalker, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	dec.CharsetReader = charset.NewReaderLabel
	x := &xmlWalker{ctx: ctx, dec: dec, budget: newBudget(), doc: doc}
	return x, x.run()
}

// xmlWalker turns tokens into blocks.
type xmlWalker struct {
	ctx    context.Context
	dec    *xml.Decoder
	budget *budget
	doc    *document.Document
	stack  []*xmlFrame
	deep   int // elements open beyond maxDepth
	blocks []document.Block
	root   string
}

func (x *xmlWalker) run() error {
	top := &xmlFrame{buf: &xmlBuf{}}
	x.stack = []*xmlFrame{top}
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := x.ctx.Err(); err != nil {
				return err
			}
		}
		tok, err := x.dec.Token()
		if err == io.EOF {
			return x.close(top)
		}
		if err != nil {
			return err
		}
		if err := x.token(tok); err != nil {
			return err
		}
	}
}

func (x *xmlWalker) token(tok xml.Token) error {
	switch t := tok.(type) {
	case xml.StartElement:
		x.start(t)
	case xml.EndElement:
		if x.deep > 0 {
			x.deep--
			return nil
		}
		if len(x.stack) > 1 {
			f := x.stack[len(x.stack)-1]
			x.stack = x.stack[:len(x.stack)-1]
			return x.close(f)
		}
	case xml.CharData:
		f := x.stack[len(x.stack)-1]
		if !f.skip && x.deep == 0 {
			if !x.budget.take(len(t)) {
				return errOutputFull
			}
			f.buf.write(t)
		}
	}
	return nil
}

// start opens an element: inline when its parent is a paragraph-like
// element or already holds text (mixed content), else a block of its
// own.
func (x *xmlWalker) start(t xml.StartElement) {
	if len(x.stack) > maxDepth {
		x.deep++
		return
	}
	local := strings.ToLower(t.Name.Local)
	if x.root == "" {
		x.root = t.Name.Local
	}
	parent := x.stack[len(x.stack)-1]
	f := &xmlFrame{name: local, skip: parent.skip || xmlSkipped(local)}
	if parent.block || parent.buf.text {
		f.buf, f.inline, f.block = parent.buf, true, parent.block
		if local == "br" || local == "lb" || local == "tab" || xmlBlockName(local) {
			f.buf.write([]byte{' '})
		}
	} else {
		f.buf, f.block = &xmlBuf{}, xmlBlockName(local)
	}
	x.stack = append(x.stack, f)
	if !f.skip {
		x.attrs(t.Attr)
	}
}

// xmlSkipped names elements whose content is not text: scripts,
// styles and embedded binary data.
func xmlSkipped(local string) bool {
	switch local {
	case "script", "style", "bindata", "binary", "objdata":
		return true
	}
	return false
}

// attrs emits the attributes that carry text (RDF writes properties as
// attributes: dc:title="…").
func (x *xmlWalker) attrs(attrs []xml.Attr) {
	for _, a := range attrs {
		local := strings.ToLower(a.Name.Local)
		switch local {
		case "title", "alt", "label", "description", "caption", "summary", "subject", "creator", "author":
		default:
			continue
		}
		v := collapse(a.Value)
		if v == "" || !x.budget.take(len(v)) {
			continue
		}
		// Only Dublin Core names the document; other titles (of images,
		// links) don't.
		if strings.HasPrefix(a.Name.Space, "http://purl.org/dc/") {
			switch {
			case local == "title" && x.doc.Title == "":
				x.doc.Title = v
			case local == "creator" && x.doc.Author == "":
				x.doc.Author = v
			}
		}
		x.blocks = append(x.blocks, document.Block{Kind: document.Paragraph, Text: v})
	}
}

// close ends an element, emitting its text as a block.
func (x *xmlWalker) close(f *xmlFrame) error {
	if f.inline && xmlBlockName(f.name) {
		f.buf.write([]byte{' '})
	}
	if f.inline || f.skip {
		return nil
	}
	text := collapse(f.buf.b.String())
	f.buf.b.Reset()
	if text == "" {
		return nil
	}
	titled := 0
	for _, a := range x.stack {
		if a.hasTitle {
			titled++
		}
	}
	if lvl := xmlHeading(f.name, titled); lvl > 0 && len(text) <= 300 {
		if len(x.stack) > 0 {
			x.stack[len(x.stack)-1].hasTitle = true
		}
		if x.doc.Title == "" {
			x.doc.Title = text
		}
		x.blocks = append(x.blocks, document.Block{Kind: document.Heading, Level: lvl, Text: text})
		return nil
	}
	if (f.name == "creator" || f.name == "author") && x.doc.Author == "" && len(text) <= 200 {
		x.doc.Author = text
	}
	x.blocks = append(x.blocks, document.Block{Kind: document.Paragraph, Text: text})
	return nil
}
