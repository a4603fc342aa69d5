package office

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/document"
)

const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"`

func wp(style, text string) string {
	ppr := ""
	if style != "" {
		ppr = `<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`
	}
	return `<w:p>` + ppr + `<w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

func wItem(ilvl, text string) string {
	return `<w:p><w:pPr><w:numPr><w:ilvl w:val="` + ilvl + `"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
}

func wCell(text string) string { return `<w:tc><w:tcPr/>` + wp("", text) + `</w:tc>` }

// docxParts builds a small Word document with body as the w:body content.
func docxParts(body string) []part {
	return []part{
		{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		{"_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
</Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>
</Relationships>`},
		{"word/styles.xml", `<?xml version="1.0"?><w:styles ` + wNS + `>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="Überschrift 2"/></w:style>
<w:style w:type="paragraph" w:styleId="MyHeading"><w:name w:val="My Heading"/><w:basedOn w:val="berschrift2"/></w:style>
</w:styles>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + wNS + `><w:body>` + body + `<w:sectPr/></w:body></w:document>`},
		{"word/header1.xml", `<?xml version="1.0"?><w:hdr ` + wNS + `>` + wp("", "Running header") + `</w:hdr>`},
		{"word/footnotes.xml", `<?xml version="1.0"?><w:footnotes ` + wNS + `><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1">` + wp("", "A footnote.") + `</w:footnote></w:footnotes>`},
		{"docProps/core.xml", `<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>Report Title</dc:title><dc:creator>Jane Doe</dc:creator><cp:keywords>alpha beta</cp:keywords>
<dcterms:created xsi:type="dcterms:W3CDTF">2024-01-02T03:04:05Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2024-02-03T04:05:06Z</dcterms:modified></cp:coreProperties>`},
		{"docProps/app.xml", `<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Office Word</Application><Pages>2</Pages><HeadingPairs><vector/></HeadingPairs></Properties>`},
	}
}

var docxBody = `` +
	`<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Annual Report</w:t></w:r></w:p>` +
	`<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Introduction</w:t></w:r></w:p>` +
	`<w:p><w:r><w:t>Intro </w:t></w:r><w:del><w:r><w:delText>deleted </w:delText></w:r></w:del><w:r><w:t>text.</w:t></w:r></w:p>` +
	wp("MyHeading", "Details") +
	wItem("0", "One") + wItem("1", "One-a") + wItem("0", "Two") +
	`<w:tbl><w:tblPr/><w:tr><w:trPr><w:tblHeader/></w:trPr>` + wCell("Name") + wCell("Qty") + `</w:tr><w:tr>` + wCell("Apple") + wCell("3") + `</w:tr></w:tbl>` +
	`<w:p><w:r><w:br w:type="page"/></w:r></w:p>` +
	`<w:p><w:r><w:lastRenderedPageBreak/><w:t>Second page text.</w:t></w:r></w:p>` +
	`<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>Appendix</w:t></w:r></w:p>` +
	`<w:p><w:r><w:t>Appendix body</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>` + wp("", "Boxed") + `</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>` + wp("", "Boxed") + `</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>`

func TestDOCX(t *testing.T) {
	t.Parallel()
	path := writeFile(t, "report.docx", zipBytes(t, docxParts(docxBody)))
	doc, err := extract(t, "docx", path)
	if err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, doc.Blocks, []want{
		{document.Heading, 1, "Annual Report", nil, 1},
		{document.Heading, 1, "Introduction", nil, 1},
		{document.Paragraph, 0, "Intro text.", []string{"Introduction"}, 1},
		{document.Heading, 2, "Details", []string{"Introduction"}, 1},
		{document.List, 1, "One\n  One-a\nTwo", []string{"Introduction", "Details"}, 1},
		{document.Table, 0, "Name | Qty\nApple | 3", []string{"Introduction", "Details"}, 1},
		{document.Paragraph, 0, "Second page text.", []string{"Introduction", "Details"}, 2},
		{document.Heading, 1, "Appendix", nil, 2},
		{document.Paragraph, 0, "Boxed", []string{"Appendix"}, 2},
		{document.Paragraph, 0, "Appendix body", []string{"Appendix"}, 2},
		{document.Paragraph, 0, "A footnote.", nil, 0},
	})
	if tb := doc.Blocks[5]; !tb.Header || !reflect.DeepEqual(tb.Rows, [][]string{{"Name", "Qty"}, {"Apple", "3"}}) {
		t.Errorf("table = %q header %v", tb.Rows, tb.Header)
	}
	if l := doc.Blocks[4]; !reflect.DeepEqual(l.Items, []string{"One", "  One-a", "Two"}) {
		t.Errorf("list items = %q", l.Items)
	}
	if doc.Title != "Report Title" || doc.Author != "Jane Doe" || doc.Handler != "docx" {
		t.Errorf("title %q author %q handler %q", doc.Title, doc.Author, doc.Handler)
	}
	if !doc.Created.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) || !doc.Modified.Equal(time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC)) {
		t.Errorf("created %v modified %v", doc.Created, doc.Modified)
	}
	if doc.Metadata["application"] != "Microsoft Office Word" || doc.Metadata["pages"] != "2" || doc.Metadata["keywords"] != "alpha beta" {
		t.Errorf("metadata = %v", doc.Metadata)
	}
	if strings.Contains(doc.Text(), "Running header") || strings.Contains(doc.Text(), "deleted") {
		t.Errorf("header or deleted text extracted: %q", doc.Text())
	}
}

func TestHeadingName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"heading 1", 1}, {"Heading3", 3}, {"Überschrift 2", 2}, {"berschrift4", 4},
		{"Title", 1}, {"Heading10", 0}, {"Normal", 0}, {"heading", 0}, {"", 0},
	} {
		if got := headingName(tc.in); got != tc.want {
			t.Errorf("headingName(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}
