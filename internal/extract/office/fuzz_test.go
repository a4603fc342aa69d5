package office

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/zero711/brain/internal/document"
)

// The fuzz targets feed arbitrary bytes to the XML and HTML walkers as
// the part they read: none may panic, and the blocks they produce must
// normalize.

func FuzzWalkWord(f *testing.F) {
	f.Add([]byte(docxParts(docxBody)[4].body))
	f.Add([]byte(`<w:document ` + wNS + `><w:body><w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl></w:body></w:document>`))
	f.Add([]byte(`<p><p><t>a</t></p><tc>b</tc></tr></p>`))
	st := styles{"H": {name: "heading 1", outline: -1}, "L": {basedOn: "L", numbered: false, outline: -1}}
	f.Fuzz(func(t *testing.T, data []byte) {
		b := &builder{}
		_ = walkWord(bytes.NewReader(data), st, b, true)
		doc := &document.Document{Blocks: b.done()}
		doc.Normalize()
	})
}

func FuzzParseStyles(f *testing.F) {
	f.Add([]byte(docxParts("")[3].body))
	f.Add([]byte(`<styles><style styleId="a"><basedOn val="a"/></style></styles>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		st := styles{}
		_ = parseStyles(bytes.NewReader(data), st)
		for id := range st {
			st.heading(id)
			st.numbered(id)
		}
	})
}

func FuzzWalkSlide(f *testing.F) {
	for _, p := range pptxParts() {
		if filepath.Ext(p.name) == ".xml" {
			f.Add([]byte(p.body), false)
		}
	}
	f.Add([]byte(`<a:tbl><a:tr><a:tc><a:p><a:t>x</a:t></a:p></a:tc></a:tr></a:tbl>`), true)
	f.Fuzz(func(t *testing.T, data []byte, notes bool) {
		var s slideText
		_ = walkSlide(bytes.NewReader(data), &s, notes)
		doc := &document.Document{Blocks: s.b.done()}
		doc.Normalize()
	})
}

func FuzzWalkODF(f *testing.F) {
	f.Add([]byte(odfParts("", `<office:text><text:h>H</text:h><text:list><text:list-item><text:p>a</text:p></text:list-item></text:list></office:text>`)[2].body), uint8(0))
	f.Add([]byte(odfParts("", `<office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="99999999"><table:table-cell table:number-columns-repeated="99999999"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>`)[2].body), uint8(1))
	f.Add([]byte(`<draw:page><draw:frame presentation:class="title"><text:p>T</text:p></draw:frame><presentation:notes><text:p>n</text:p></presentation:notes></draw:page>`), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		b := &builder{}
		doc := &document.Document{}
		_ = walkODF(bytes.NewReader(data), odfMode(mode%3), b, doc)
		doc.Blocks = append(doc.Blocks, b.done()...)
		doc.Normalize()
	})
}

func FuzzWalkHTML(f *testing.F) {
	f.Add([]byte(epubParts()[3].body))
	f.Add([]byte(epubParts()[4].body))
	f.Add([]byte(`<table><tr><td><table><td>x</table><li>y<pre>z</h1></ul></ol>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b := &builder{}
		_ = walkHTML(bytes.NewReader(data), b, 1)
		doc := &document.Document{Blocks: b.done()}
		doc.Normalize()
	})
}

// FuzzExtract runs whole files (zip bytes) through every extractor.
func FuzzExtract(f *testing.F) {
	f.Add(zipBytes(f, docxParts(docxBody)))
	f.Add(zipBytes(f, pptxParts()))
	f.Add(zipBytes(f, epubParts()))
	f.Add(zipBytes(f, odfParts("application/vnd.oasis.opendocument.text", `<office:text><text:p>x</text:p></office:text>`)))
	f.Add(cfbFile("EncryptedPackage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		lim := document.DefaultLimits
		lim.MaxExpandedBytes = 64 << 20
		for _, x := range Extractors() {
			doc, err := x.Extract(context.Background(), document.Input{Path: p, Limits: lim})
			if err == nil && len(doc.Blocks) == 0 {
				t.Fatalf("%s: no error and no blocks", x.Name())
			}
		}
	})
}
