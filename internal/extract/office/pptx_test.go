package office

import (
	"testing"

	"github.com/zero711/brain/internal/document"
)

const pNS = `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"`

func pShape(ph, paras string) string {
	nv := `<p:nvSpPr><p:cNvPr id="2" name="x"/><p:cNvSpPr/><p:nvPr>` + ph + `</p:nvPr></p:nvSpPr>`
	return `<p:sp>` + nv + `<p:txBody><a:bodyPr/>` + paras + `</p:txBody></p:sp>`
}

func aPara(lvl, text string) string {
	ppr := ""
	if lvl != "" {
		ppr = `<a:pPr lvl="` + lvl + `"/>`
	}
	return `<a:p>` + ppr + `<a:r><a:t>` + text + `</a:t></a:r></a:p>`
}

func pSlide(shapes string) string {
	return `<?xml version="1.0"?><p:sld ` + pNS + `><p:cSld><p:spTree>` + shapes + `</p:spTree></p:cSld></p:sld>`
}

func pptxParts() []part {
	rels := func(body string) string {
		return `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + body + `</Relationships>`
	}
	const rt = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	table := `<p:graphicFrame><a:graphic><a:graphicData><a:tbl><a:tr><a:tc><a:txBody>` + aPara("", "Q") + `</a:txBody></a:tc><a:tc><a:txBody>` + aPara("", "Sales") + `</a:txBody></a:tc></a:tr><a:tr><a:tc><a:txBody>` + aPara("", "Q1") + `</a:txBody></a:tc><a:tc><a:txBody>` + aPara("", "10") + `</a:txBody></a:tc></a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame>`
	return []part{
		{"_rels/.rels", rels(`<Relationship Id="rId1" Type="` + rt + `officeDocument" Target="ppt/presentation.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>`)},
		{"ppt/_rels/presentation.xml.rels", rels(`<Relationship Id="rId7" Type="` + rt + `slide" Target="slides/slide1.xml"/><Relationship Id="rId8" Type="` + rt + `slide" Target="slides/slide2.xml"/>`)},
		// slide2.xml comes first in presentation order.
		{"ppt/presentation.xml", `<?xml version="1.0"?><p:presentation ` + pNS + `><p:sldIdLst><p:sldId id="256" r:id="rId8"/><p:sldId id="257" r:id="rId7"/></p:sldIdLst></p:presentation>`},
		{"ppt/slides/slide2.xml", pSlide(
			pShape(`<p:ph type="title"/>`, aPara("", "Welcome")) +
				pShape(`<p:ph idx="1"/>`, aPara("0", "Point one")+aPara("1", "Sub point")) +
				pShape(``, aPara("", "Free text")) +
				pShape(`<p:ph type="sldNum"/>`, aPara("", "7")) + table)},
		{"ppt/slides/_rels/slide2.xml.rels", rels(`<Relationship Id="rId2" Type="` + rt + `notesSlide" Target="../notesSlides/notesSlide1.xml"/>`)},
		{"ppt/notesSlides/notesSlide1.xml", `<?xml version="1.0"?><p:notes ` + pNS + `><p:cSld><p:spTree>` + pShape(`<p:ph type="sldImg"/>`, "") + pShape(`<p:ph type="body" idx="1"/>`, aPara("", "Speaker note A")) + `</p:spTree></p:cSld></p:notes>`},
		{"ppt/slides/slide1.xml", pSlide(pShape(`<p:ph type="ctrTitle"/>`, aPara("", "Second")) + pShape(`<p:ph type="subTitle" idx="1"/>`, aPara("", "Closing")))},
		{"docProps/core.xml", `<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Deck</dc:title><dc:creator>Max</dc:creator></cp:coreProperties>`},
	}
}

func TestPPTX(t *testing.T) {
	t.Parallel()
	doc, err := extract(t, "pptx", writeFile(t, "deck.pptx", zipBytes(t, pptxParts())))
	if err != nil {
		t.Fatal(err)
	}
	w := []string{"Welcome"}
	checkBlocks(t, doc.Blocks, []want{
		{document.Heading, 1, "Welcome", nil, 1},
		{document.List, 1, "Point one\n  Sub point", w, 1},
		{document.Paragraph, 0, "Free text", w, 1},
		{document.Table, 0, "Q | Sales\nQ1 | 10", w, 1},
		{document.Paragraph, 0, "Speaker note A", w, 1},
		{document.Heading, 1, "Second", nil, 2},
		{document.Paragraph, 0, "Closing", []string{"Second"}, 2},
	})
	if doc.Title != "Deck" || doc.Author != "Max" || doc.Metadata["slides"] != "2" {
		t.Errorf("title %q author %q metadata %v", doc.Title, doc.Author, doc.Metadata)
	}
	if !doc.Blocks[3].Header {
		t.Error("table header not set")
	}
}
