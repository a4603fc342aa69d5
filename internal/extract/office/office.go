package office

import "github.com/zero711/brain/internal/document"

// Extractors returns the extractors of this package: docx, pptx, xlsx,
// odt, ods, odp and epub.
func Extractors() []document.Extractor {
	return []document.Extractor{
		docx{},
		pptx{},
		xlsx{},
		odf{name: "odt", mode: odfText, types: []string{
			"application/vnd.oasis.opendocument.text",
			"application/vnd.oasis.opendocument.text-template",
			"application/vnd.oasis.opendocument.text-master",
			"application/vnd.sun.xml.writer",
			"application/vnd.sun.xml.writer.template",
		}},
		odf{name: "ods", mode: odfSpreadsheet, types: []string{
			"application/vnd.oasis.opendocument.spreadsheet",
			"application/vnd.oasis.opendocument.spreadsheet-template",
			"application/vnd.sun.xml.calc",
			"application/vnd.sun.xml.calc.template",
		}},
		odf{name: "odp", mode: odfPresentation, types: []string{
			"application/vnd.oasis.opendocument.presentation",
			"application/vnd.oasis.opendocument.presentation-template",
			"application/vnd.sun.xml.impress",
			"application/vnd.sun.xml.impress.template",
		}},
		epub{},
	}
}
