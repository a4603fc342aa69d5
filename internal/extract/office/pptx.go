package office

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/zero711/brain/internal/document"
)

// pptx extracts PresentationML presentations, one page per slide.
type pptx struct{}

var _ document.Extractor = pptx{}

func (pptx) Name() string { return "pptx" }

func (pptx) Types() []string {
	return []string{
		"application/vnd.openxmlformats-officedocument.presentationml.presentation",
		"application/vnd.openxmlformats-officedocument.presentationml.slideshow",
		"application/vnd.openxmlformats-officedocument.presentationml.template",
		"application/vnd.ms-powerpoint.presentation.macroEnabled.12",
		"application/vnd.ms-powerpoint.slideshow.macroEnabled.12",
	}
}

func (x pptx) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	a, err := openArchive(in)
	if err != nil {
		return nil, fmt.Errorf("pptx: %w", err)
	}
	defer a.Close()
	main, err := a.mainPart("ppt/presentation.xml")
	if err != nil {
		return nil, fmt.Errorf("pptx: %w", err)
	}
	slides, err := slideParts(a, main)
	if err != nil {
		return nil, fmt.Errorf("pptx: %w", err)
	}
	doc := &document.Document{ContentType: in.ContentType, Handler: x.Name()}
	for i, part := range slides {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("pptx: %w", err)
		}
		if err := x.slide(a, part, i+1, doc); err != nil {
			if isLimitErr(err) {
				return nil, fmt.Errorf("pptx: %w", err)
			}
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("slide %d: %v", i+1, err))
		}
	}
	setMeta(doc, "slides", fmt.Sprint(len(slides)))
	readCoreProps(a, doc)
	return finish(doc, "pptx")
}

// slideParts lists the slide parts in presentation order.
func slideParts(a *archive, main string) ([]string, error) {
	rels, err := a.rels(main)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]string, len(rels))
	for _, r := range rels {
		byID[r.ID] = r.Target
	}
	b, err := a.readSmall(main)
	if err != nil {
		return nil, err
	}
	var slides []string
	d := newDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return slides, nil
		}
		if err != nil {
			return nil, xmlErr(main, err)
		}
		t, ok := tok.(xml.StartElement)
		if !ok || t.Name.Local != "sldId" {
			continue
		}
		for _, at := range t.Attr {
			if at.Name.Local == "id" && strings.HasSuffix(at.Name.Space, "relationships") && a.has(byID[at.Value]) {
				slides = append(slides, byID[at.Value])
			}
		}
	}
}

// slide adds one slide's title, content and speaker notes to doc.
func (pptx) slide(a *archive, part string, page int, doc *document.Document) error {
	var s slideText
	if err := walkPart(a, part, func(r io.Reader) error { return walkSlide(r, &s, false) }); err != nil {
		return err
	}
	rels, err := a.rels(part)
	if err != nil {
		return err
	}
	var notes slideText
	if n := relTarget(rels, "notesSlide"); n != "" && a.has(n) {
		if err := walkPart(a, n, func(r io.Reader) error { return walkSlide(r, &notes, true) }); err != nil {
			return fmt.Errorf("notes: %w", err)
		}
	}
	var section []string
	if title := strings.Join(strings.Fields(s.title), " "); title != "" {
		doc.Blocks = append(doc.Blocks, document.Block{Kind: document.Heading, Level: 1, Text: title, Page: page})
	} else {
		section = []string{} // not under the previous slide's title
	}
	for _, bl := range append(s.b.done(), notes.b.done()...) {
		bl.Page = page
		if bl.Section == nil && section != nil {
			bl.Section = section
		}
		doc.Blocks = append(doc.Blocks, bl)
	}
	return nil
}

// slideText is what walkSlide gathers from one slide or notes page.
type slideText struct {
	title string
	b     builder
}

// pshape is the shape whose text is being read.
type pshape struct {
	ph       bool
	phType   string
	skip     bool // slide number, date, slide image
	isTitle  bool
	bodyList bool // body placeholder: paragraphs are bullets by default
}

// ppara is a DrawingML paragraph being read.
type ppara struct {
	text   strings.Builder
	lvl    int
	bullet int // 1 bullet, -1 buNone, 0 inherited
}

// walkSlide reads a slide (or notes slide) part. In notes every
// paragraph is a plain paragraph.
func walkSlide(r io.Reader, out *slideText, notes bool) error {
	d := newDecoder(r)
	var sh *pshape
	var p *ppara
	var tables []*wtable
	inText := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "Fallback", "extLst":
				if err := d.Skip(); err != nil {
					return err
				}
			case "sp", "graphicFrame", "cxnSp", "pic":
				sh = &pshape{}
			case "ph":
				if sh != nil {
					sh.ph, sh.phType = true, attr(t, "type")
					sh.isTitle = sh.phType == "title" || sh.phType == "ctrTitle"
					sh.skip = sh.phType == "sldNum" || sh.phType == "dt" || sh.phType == "sldImg"
					sh.bodyList = !notes && (sh.phType == "" || sh.phType == "body" || sh.phType == "obj")
				}
			case "p":
				p = &ppara{}
			case "pPr":
				if p != nil {
					p.lvl = min(max(atoi(attr(t, "lvl"), 0), 0), 8)
				}
			case "buChar", "buAutoNum", "buBlip":
				if p != nil {
					p.bullet = 1
				}
			case "buNone":
				if p != nil {
					p.bullet = -1
				}
			case "t":
				inText = true
			case "br":
				if p != nil {
					p.text.WriteByte('\n')
				}
			case "tbl":
				tables = append(tables, &wtable{})
			case "tr":
				if len(tables) > 0 {
					tables[len(tables)-1].row = nil
				}
			case "tc":
				if len(tables) > 0 {
					tables[len(tables)-1].cell = &strings.Builder{}
				}
			}
		case xml.CharData:
			if inText && p != nil && p.text.Len() < 1<<24 {
				p.text.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				if p != nil {
					endSlidePara(out, sh, tables, p, notes)
					p = nil
				}
			case "tc":
				if tb := lastTable(tables); tb != nil && tb.cell != nil {
					tb.row = append(tb.row, tb.cell.String())
					tb.cell = nil
				}
			case "tr":
				if tb := lastTable(tables); tb != nil {
					tb.rows = append(tb.rows, tb.row)
				}
			case "tbl":
				if tb := lastTable(tables); tb != nil {
					tables = tables[:len(tables)-1]
					out.b.table(tb.rows, true, 0)
				}
			case "sp", "graphicFrame", "cxnSp", "pic":
				sh = nil
				out.b.closeList()
			}
		}
	}
}

func lastTable(tables []*wtable) *wtable {
	if len(tables) == 0 {
		return nil
	}
	return tables[len(tables)-1]
}

// endSlidePara routes a finished paragraph into a table cell, the
// title, a list or a paragraph.
func endSlidePara(out *slideText, sh *pshape, tables []*wtable, p *ppara, notes bool) {
	text := strings.TrimSpace(p.text.String())
	if tb := lastTable(tables); tb != nil && tb.cell != nil {
		if tb.cell.Len() > 0 && text != "" {
			tb.cell.WriteByte('\n')
		}
		tb.cell.WriteString(text)
		return
	}
	switch {
	case text == "" || sh != nil && sh.skip:
	case sh != nil && sh.isTitle && !notes:
		out.title = strings.TrimSpace(out.title + " " + text)
	case !notes && (p.bullet == 1 || p.bullet == 0 && sh != nil && sh.bodyList):
		out.b.item(text, p.lvl+1, 0)
	default:
		out.b.text(text, 0, 0)
	}
}
