package office

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/document"
)

const oNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"`

// odfParts builds an OpenDocument package around the office:body content.
func odfParts(mime, body string) []part {
	return []part{
		{"mimetype", mime},
		{"META-INF/manifest.xml", `<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="` + mime + `"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`},
		{"content.xml", `<?xml version="1.0" encoding="UTF-8"?><office:document-content ` + oNS + `><office:body>` + body + `</office:body></office:document-content>`},
		{"meta.xml", `<?xml version="1.0"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta>
<dc:title>Open Title</dc:title><meta:initial-creator>Olga</meta:initial-creator><meta:creation-date>2009-10-05T19:04:01</meta:creation-date><dc:date>2009-10-05T21:22:38</dc:date><dc:language>de-DE</dc:language><meta:keyword>k1</meta:keyword><meta:keyword>k2</meta:keyword><meta:document-statistic meta:page-count="2" meta:word-count="54"/></office:meta></office:document-meta>`},
	}
}

func TestODT(t *testing.T) {
	t.Parallel()
	body := `<office:text>` +
		`<text:h text:outline-level="1">Chapter</text:h>` +
		`<text:p>Hello<text:s text:c="2"/>world<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>Foot</text:p></text:note-body></text:note>.</text:p>` +
		`<text:h text:outline-level="2">Section</text:h>` +
		`<text:list><text:list-item><text:p>First</text:p><text:list><text:list-item><text:p>Inner</text:p></text:list-item></text:list></text:list-item><text:list-item><text:p>Second</text:p></text:list-item></text:list>` +
		`<table:table table:name="T"><table:table-row><table:table-cell><text:p>A</text:p></table:table-cell><table:table-cell><text:p>B</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell><text:p>1</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1000"/></table:table-row></table:table>` +
		`<text:p><text:soft-page-break/>Later</text:p>` +
		`<text:tracked-changes><text:changed-region><text:deletion><text:p>gone</text:p></text:deletion></text:changed-region></text:tracked-changes>` +
		`</office:text>`
	doc, err := extract(t, "odt", writeFile(t, "a.odt", zipBytes(t, odfParts("application/vnd.oasis.opendocument.text", body))))
	if err != nil {
		t.Fatal(err)
	}
	cs := []string{"Chapter", "Section"}
	checkBlocks(t, doc.Blocks, []want{
		{document.Heading, 1, "Chapter", nil, 1},
		{document.Paragraph, 0, "Foot", []string{"Chapter"}, 1},
		{document.Paragraph, 0, "Hello  world.", []string{"Chapter"}, 1},
		{document.Heading, 2, "Section", []string{"Chapter"}, 1},
		{document.List, 1, "First\n  Inner\nSecond", cs, 1},
		{document.Table, 0, "A | B\n1", cs, 1},
		{document.Paragraph, 0, "Later", cs, 2},
	})
	if doc.Title != "Open Title" || doc.Author != "Olga" || doc.Language != "de" || doc.Metadata["keywords"] != "k1, k2" || doc.Metadata["page_count"] != "2" {
		t.Errorf("title %q author %q lang %q metadata %v", doc.Title, doc.Author, doc.Language, doc.Metadata)
	}
	if !doc.Modified.Equal(time.Date(2009, 10, 5, 21, 22, 38, 0, time.UTC)) {
		t.Errorf("modified = %v", doc.Modified)
	}
}

func TestODS(t *testing.T) {
	t.Parallel()
	row := func(cells string) string { return `<table:table-row>` + cells + `</table:table-row>` }
	cell := func(v string) string { return `<table:table-cell><text:p>` + v + `</text:p></table:table-cell>` }
	body := `<office:spreadsheet>` +
		`<table:table table:name="People">` +
		row(cell("name")+cell("age")+`<table:table-cell table:number-columns-repeated="16000"/>`) +
		`<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="2"><text:p>x</text:p></table:table-cell></table:table-row>` +
		`<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>` +
		row(cell("bo")+`<table:covered-table-cell/>`+`<table:table-cell table:number-columns-repeated="2"/>`+cell("z")) +
		`<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>` +
		`</table:table>` +
		`<table:table table:name="Empty"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>` +
		`</office:spreadsheet>`
	doc, err := extract(t, "ods", writeFile(t, "a.ods", zipBytes(t, odfParts("application/vnd.oasis.opendocument.spreadsheet", body))))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Data) != 1 {
		t.Fatalf("data = %+v", doc.Data)
	}
	d := doc.Data[0]
	wantRows := [][]string{{"x", "x", "", "", ""}, {"x", "x", "", "", ""}, {"x", "x", "", "", ""}, {"bo", "", "", "", "z"}}
	if d.Name != "People" || !reflect.DeepEqual(d.Columns, []string{"name", "age", "column_3", "column_4", "column_5"}) || !reflect.DeepEqual(d.Rows, wantRows) {
		t.Errorf("data = %q %q %q", d.Name, d.Columns, d.Rows)
	}
	checkBlocks(t, doc.Blocks, []want{
		{document.Heading, 1, "People", nil, 1},
		{document.Table, 0, "name | age\nx | x |  |  | \nx | x |  |  | \nx | x |  |  | \nbo |  |  |  | z", []string{"People"}, 1},
		{document.Heading, 1, "Empty", nil, 2},
	})
}

func TestODP(t *testing.T) {
	t.Parallel()
	frame := func(class, paras string) string {
		return `<draw:frame presentation:class="` + class + `"><draw:text-box>` + paras + `</draw:text-box></draw:frame>`
	}
	body := `<office:presentation>` +
		`<draw:page draw:name="p1">` + frame("title", `<text:p>Intro</text:p>`) +
		frame("outline", `<text:list><text:list-item><text:p>Bullet</text:p></text:list-item></text:list>`) +
		`<presentation:notes><draw:page-thumbnail/>` + frame("notes", `<text:p>Say hi</text:p>`) + `</presentation:notes></draw:page>` +
		`<draw:page draw:name="p2">` + frame("subtitle", `<text:p>No title here</text:p>`) +
		`<draw:custom-shape><svg:title>Shape Title</svg:title></draw:custom-shape></draw:page>` +
		`</office:presentation>`
	doc, err := extract(t, "odp", writeFile(t, "a.odp", zipBytes(t, odfParts("application/vnd.oasis.opendocument.presentation", body))))
	if err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, doc.Blocks, []want{
		{document.Heading, 1, "Intro", nil, 1},
		{document.List, 1, "Bullet", []string{"Intro"}, 1},
		{document.Paragraph, 0, "Say hi", []string{"Intro"}, 1},
		{document.Paragraph, 0, "No title here", nil, 2},
		{document.Paragraph, 0, "Shape Title", nil, 2},
	})
}

func TestODFEncrypted(t *testing.T) {
	t.Parallel()
	parts := odfParts("application/vnd.oasis.opendocument.text", `<office:text><text:p>x</text:p></office:text>`)
	parts[1].body = strings.Replace(parts[1].body, `manifest:media-type="text/xml"/>`, `manifest:media-type="text/xml"><manifest:encryption-data manifest:checksum="x"/></manifest:file-entry>`, 1)
	_, err := extract(t, "odt", writeFile(t, "e.odt", zipBytes(t, parts)))
	if document.Reason(err) != "encrypted" {
		t.Fatalf("err = %v, want encrypted", err)
	}
}
