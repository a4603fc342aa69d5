package office

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"

	"github.com/zero711/brain/internal/document"
)

// epub extracts EPUB books: the spine's XHTML chapters in reading
// order, one page per chapter.
type epub struct{}

var _ document.Extractor = epub{}

func (epub) Name() string    { return "epub" }
func (epub) Types() []string { return []string{"application/epub+zip"} }

func (x epub) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	a, err := openArchive(in)
	if err != nil {
		return nil, fmt.Errorf("epub: %w", err)
	}
	defer a.Close()
	doc := &document.Document{ContentType: in.ContentType, Handler: x.Name()}
	opfPath, err := epubRootfile(a)
	if err != nil {
		return nil, fmt.Errorf("epub: %w", err)
	}
	b, err := a.readSmall(opfPath)
	if err != nil {
		return nil, fmt.Errorf("epub: package document: %w", err)
	}
	pkg, err := parseOPF(b, path.Dir(opfPath), doc)
	if err != nil {
		return nil, fmt.Errorf("epub: %w", err)
	}
	if err := epubEncrypted(a, pkg.chapters); err != nil {
		return nil, fmt.Errorf("epub: %w", err)
	}
	bl := &builder{}
	for i, ch := range pkg.chapters {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("epub: %w", err)
		}
		if !a.has(ch) {
			doc.Warnings = append(doc.Warnings, "missing chapter "+ch)
			continue
		}
		err := walkPart(a, ch, func(r io.Reader) error { return walkHTML(r, bl, i+1) })
		if err != nil {
			if isLimitErr(err) {
				return nil, fmt.Errorf("epub: %w", err)
			}
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("chapter %s: %v", ch, err))
		}
		bl.closeList()
	}
	doc.Blocks = bl.done()
	setMeta(doc, "chapters", fmt.Sprint(len(pkg.chapters)))
	return finish(doc, "epub")
}

// epubRootfile reads META-INF/container.xml for the package document.
func epubRootfile(a *archive) (string, error) {
	b, err := a.readSmall("META-INF/container.xml")
	if err != nil {
		if errors.Is(err, errMissing) {
			return "", fmt.Errorf("%w: no META-INF/container.xml", document.ErrCorrupt)
		}
		return "", err
	}
	var c struct {
		Rootfiles []struct {
			Path string `xml:"full-path,attr"`
			Type string `xml:"media-type,attr"`
		} `xml:"rootfiles>rootfile"`
	}
	if err := newDecoder(bytes.NewReader(b)).Decode(&c); err != nil {
		return "", fmt.Errorf("%w: container.xml: %v", document.ErrCorrupt, err)
	}
	for _, r := range c.Rootfiles {
		if (r.Type == "" || r.Type == "application/oebps-package+xml") && a.has(r.Path) {
			return r.Path, nil
		}
	}
	return "", fmt.Errorf("%w: container.xml names no package document", document.ErrCorrupt)
}

// opf is what the extraction needs from the package document.
type opf struct {
	chapters []string // spine order, part names
}

// parseOPF reads the Dublin Core metadata into doc and resolves the
// spine's XHTML items to part names relative to dir.
func parseOPF(b []byte, dir string, doc *document.Document) (*opf, error) {
	var p struct {
		Meta struct {
			Items []struct {
				XMLName xml.Name
				Value   string `xml:",chardata"`
			} `xml:",any"`
		} `xml:"metadata"`
		Items []struct {
			ID   string `xml:"id,attr"`
			Href string `xml:"href,attr"`
			Type string `xml:"media-type,attr"`
		} `xml:"manifest>item"`
		Spine []struct {
			IDRef string `xml:"idref,attr"`
		} `xml:"spine>itemref"`
	}
	if err := newDecoder(bytes.NewReader(b)).Decode(&p); err != nil {
		return nil, fmt.Errorf("%w: package document: %v", document.ErrCorrupt, err)
	}
	for _, m := range p.Meta.Items {
		epubMeta(doc, m.XMLName.Local, strings.TrimSpace(m.Value))
	}
	hrefs := make(map[string]string, len(p.Items))
	for _, it := range p.Items {
		if isHTMLType(it.Type) {
			hrefs[it.ID] = resolveHref(dir, it.Href)
		}
	}
	out := &opf{}
	for _, s := range p.Spine {
		if h, ok := hrefs[s.IDRef]; ok {
			out.chapters = append(out.chapters, h)
		}
	}
	if len(out.chapters) == 0 {
		return nil, fmt.Errorf("%w: the spine lists no XHTML chapters", document.ErrEmpty)
	}
	return out, nil
}

func epubMeta(doc *document.Document, local, val string) {
	if val == "" {
		return
	}
	switch local {
	case "title":
		if doc.Title == "" {
			doc.Title = val
		}
	case "creator":
		if doc.Author == "" {
			doc.Author = val
		}
	case "date":
		if doc.Created.IsZero() {
			doc.Created = parseTime(val)
		}
	case "language":
		doc.Language = language(val)
	case "publisher", "description", "subject", "identifier", "rights", "contributor":
		if old := doc.Metadata[local]; old != "" {
			val = old + "; " + val
		}
		setMeta(doc, local, val)
	}
}

func isHTMLType(t string) bool {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "application/xhtml+xml", "text/html", "application/html", "text/x-oeb1-document":
		return true
	}
	return false
}

// resolveHref turns a manifest href into a part name.
func resolveHref(dir, href string) string {
	if u, err := url.PathUnescape(href); err == nil {
		href = u
	}
	if i := strings.IndexByte(href, '#'); i >= 0 {
		href = href[:i]
	}
	if dir == "." {
		dir = ""
	}
	return strings.TrimPrefix(path.Join(dir, href), "/")
}

// epubEncrypted returns ErrEncrypted when META-INF/encryption.xml lists
// a chapter (fonts are often obfuscated; that does not matter here).
func epubEncrypted(a *archive, chapters []string) error {
	if !a.has("META-INF/encryption.xml") {
		return nil
	}
	b, err := a.readSmall("META-INF/encryption.xml")
	if err != nil {
		return nil
	}
	isChapter := make(map[string]bool, len(chapters))
	for _, c := range chapters {
		isChapter[strings.ToLower(c)] = true
	}
	d := newDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if err != nil {
			return nil
		}
		if t, ok := tok.(xml.StartElement); ok && t.Name.Local == "CipherReference" {
			if isChapter[strings.ToLower(resolveHref("", attr(t, "URI")))] {
				return fmt.Errorf("%w: DRM-encrypted chapters", document.ErrEncrypted)
			}
		}
	}
}
