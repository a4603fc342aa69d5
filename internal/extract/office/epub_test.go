package office

import (
	"testing"
	"time"

	"github.com/zero711/brain/internal/document"
)

func epubParts() []part {
	xhtml := func(body string) string {
		return `<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>ignored</title><style>p{}</style></head><body>` + body + `</body></html>`
	}
	return []part{
		{"mimetype", "application/epub+zip"},
		{"META-INF/container.xml", `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`},
		{"OEBPS/content.opf", `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>The Book</dc:title><dc:creator>Author A</dc:creator><dc:date>2010-05-06</dc:date><dc:language>en</dc:language><dc:publisher>Pub</dc:publisher></metadata>
<manifest><item id="c2" href="text/chap%202.xhtml" media-type="application/xhtml+xml"/><item id="c1" href="text/chap1.xhtml" media-type="application/xhtml+xml"/><item id="css" href="s.css" media-type="text/css"/></manifest>
<spine><itemref idref="c1"/><itemref idref="css"/><itemref idref="c2"/></spine></package>`},
		{"OEBPS/text/chap1.xhtml", xhtml(`<h1>One</h1><p>First &amp; <em>best</em>
 paragraph.</p><ul><li>a</li><li>b<ol><li>b1</li></ol></li></ul><table><tr><th>k</th><th>v</th></tr><tr><td>x</td><td>1</td></tr></table>`)},
		{"OEBPS/text/chap 2.xhtml", xhtml(`<h1>Two</h1><h2>Sub</h2><pre>code  line
  indented</pre><div>loose <br/>text</div>`)},
	}
}

func TestEPUB(t *testing.T) {
	t.Parallel()
	doc, err := extract(t, "epub", writeFile(t, "b.epub", zipBytes(t, epubParts())))
	if err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, doc.Blocks, []want{
		{document.Heading, 1, "One", nil, 1},
		{document.Paragraph, 0, "First & best paragraph.", []string{"One"}, 1},
		{document.List, 1, "a\nb\n  b1", []string{"One"}, 1},
		{document.Table, 0, "k | v\nx | 1", []string{"One"}, 1},
		{document.Heading, 1, "Two", nil, 2},
		{document.Heading, 2, "Sub", []string{"Two"}, 2},
		{document.Code, 0, "code  line\n  indented", []string{"Two", "Sub"}, 2},
		{document.Paragraph, 0, "loose \ntext", []string{"Two", "Sub"}, 2},
	})
	if doc.Title != "The Book" || doc.Author != "Author A" || doc.Language != "en" || doc.Metadata["publisher"] != "Pub" ||
		!doc.Created.Equal(time.Date(2010, 5, 6, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("title %q author %q lang %q created %v metadata %v", doc.Title, doc.Author, doc.Language, doc.Created, doc.Metadata)
	}
}
