package office

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/zero711/brain/internal/document"
)

// setMeta records a metadata property, ignoring empty values.
func setMeta(doc *document.Document, key, val string) {
	val = strings.TrimSpace(val)
	if val == "" || key == "" {
		return
	}
	if doc.Metadata == nil {
		doc.Metadata = make(map[string]string)
	}
	doc.Metadata[key] = val
}

// parseTime reads the date formats office properties use.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05", "2006-01-02", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// language reduces a language tag ("en-US") to its primary subtag.
func language(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if len(tag) < 2 || len(tag) > 3 {
		return ""
	}
	return tag
}

// leaves calls fn for every element that holds only text, with its
// local name and trimmed text; attributes are passed for the element's
// start tag. Errors other than the reader's are returned as they are.
func leaves(r io.Reader, fn func(local string, attrs []xml.Attr, text string)) error {
	d := newDecoder(r)
	type open struct {
		name  string
		attrs []xml.Attr
		text  strings.Builder
		kids  bool
	}
	var stack []*open
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
			if len(stack) > 0 {
				stack[len(stack)-1].kids = true
			}
			stack = append(stack, &open{name: t.Name.Local, attrs: t.Copy().Attr})
		case xml.CharData:
			if len(stack) > 0 && stack[len(stack)-1].text.Len() < 1<<16 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				continue
			}
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !o.kids || len(o.attrs) > 0 {
				fn(o.name, o.attrs, strings.TrimSpace(o.text.String()))
			}
		}
	}
}

// readCoreProps reads OOXML docProps/core.xml and app.xml (located
// through the package relationships) into doc. Missing or broken
// property parts only add a warning.
func readCoreProps(a *archive, doc *document.Document) {
	rels, err := a.rels("")
	if err != nil {
		doc.Warnings = append(doc.Warnings, "package relationships: "+err.Error())
	}
	core := relTarget(rels, "core-properties")
	if core == "" {
		core = "docProps/core.xml"
	}
	app := relTarget(rels, "extended-properties")
	if app == "" {
		app = "docProps/app.xml"
	}
	readProps(a, core, doc, coreProp)
	readProps(a, app, doc, func(doc *document.Document, local, text string) {
		setMeta(doc, strings.ToLower(local), text)
	})
}

func readProps(a *archive, part string, doc *document.Document, fn func(*document.Document, string, string)) {
	if !a.has(part) {
		return
	}
	b, err := a.readSmall(part)
	if err == nil {
		err = leaves(bytes.NewReader(b), func(local string, _ []xml.Attr, text string) {
			if text != "" {
				fn(doc, local, text)
			}
		})
	}
	if err != nil {
		doc.Warnings = append(doc.Warnings, "properties "+part+": "+err.Error())
	}
}

// coreProp maps one Dublin Core / OOXML core property onto doc.
func coreProp(doc *document.Document, local, text string) {
	switch local {
	case "title":
		doc.Title = text
	case "creator":
		doc.Author = text
	case "created":
		doc.Created = parseTime(text)
	case "modified":
		doc.Modified = parseTime(text)
	case "language":
		doc.Language = language(text)
	case "subject", "description", "keywords", "category", "lastModifiedBy", "revision", "contentStatus", "identifier", "version":
		setMeta(doc, strings.ToLower(local), text)
	}
}

// readODFMeta reads an OpenDocument meta.xml into doc.
func readODFMeta(a *archive, doc *document.Document) {
	if !a.has("meta.xml") {
		return
	}
	b, err := a.readSmall("meta.xml")
	if err == nil {
		err = leaves(bytes.NewReader(b), func(local string, attrs []xml.Attr, text string) {
			odfMetaProp(doc, local, attrs, text)
		})
	}
	if err != nil {
		doc.Warnings = append(doc.Warnings, "meta.xml: "+err.Error())
	}
}

func odfMetaProp(doc *document.Document, local string, attrs []xml.Attr, text string) {
	switch local {
	case "title":
		doc.Title = text
	case "creator":
		doc.Author = text
	case "initial-creator":
		if doc.Author == "" {
			doc.Author = text
		}
		setMeta(doc, "initial_creator", text)
	case "creation-date":
		doc.Created = parseTime(text)
	case "date":
		doc.Modified = parseTime(text)
	case "language":
		doc.Language = language(text)
	case "keyword":
		if old := doc.Metadata["keywords"]; old != "" {
			text = old + ", " + text
		}
		setMeta(doc, "keywords", text)
	case "subject", "description", "generator":
		setMeta(doc, local, text)
	case "editing-duration", "editing-cycles", "print-date", "printed-by":
		setMeta(doc, strings.ReplaceAll(local, "-", "_"), text)
	case "document-statistic":
		for _, at := range attrs {
			setMeta(doc, strings.ReplaceAll(at.Name.Local, "-", "_"), at.Value)
		}
	case "user-defined":
		for _, at := range attrs {
			if at.Name.Local == "name" {
				setMeta(doc, "user."+at.Value, text)
			}
		}
	}
}
