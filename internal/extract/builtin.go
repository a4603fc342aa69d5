package extract

import (
	"github.com/zero711/brain/internal/document"
	"github.com/zero711/brain/internal/extract/archive"
	"github.com/zero711/brain/internal/extract/legacy"
	"github.com/zero711/brain/internal/extract/mail"
	"github.com/zero711/brain/internal/extract/ocr"
	"github.com/zero711/brain/internal/extract/office"
	"github.com/zero711/brain/internal/extract/pdf"
	"github.com/zero711/brain/internal/extract/text"
)

// Builtin returns a dispatcher over every built-in extractor: PDF (poppler
// with OCR), office formats, legacy office files, text formats, mail,
// archives and images. Formats whose content sniffs as something generic
// (Markdown as text, legacy Office files as OLE storage) are routed by
// their extension.
func Builtin(opts Options) *Dispatcher {
	pdfOpts := pdf.DefaultOptions()
	pdfOpts.ToolTimeout = opts.Timeout
	var all []document.Extractor
	all = append(all, pdf.Extractors(pdfOpts)...)
	all = append(all, office.Extractors()...)
	all = append(all, legacy.Extractors(legacy.Options{ToolTimeout: opts.Timeout})...)
	all = append(all, mail.Extractors()...)
	all = append(all, archive.Extractors()...)
	all = append(all, ocr.New("", opts.Timeout))
	all = append(all, text.Extractors()...)
	// MHTML sniffs as message/rfc822, which the mail extractor takes.
	byExt := map[string]document.Extractor{".md": text.Markdown(), ".markdown": text.Markdown(),
		".mht": text.MHTML(), ".mhtml": text.MHTML()}
	for _, x := range all {
		switch x.Name() {
		case "doc":
			byExt[".doc"], byExt[".dot"] = x, x
		case "xls":
			byExt[".xls"] = x
		case "ppt":
			byExt[".ppt"], byExt[".pps"] = x, x
		case "msg":
			byExt[".msg"] = x
		case "eml": // mails sniff as text/plain
			byExt[".eml"], byExt[".emlx"] = x, x
		case "mbox":
			byExt[".mbox"], byExt[".mbx"] = x, x
		// Office files that sniff as plain zip (truncated, odd member
		// order: EPUBs often sniff as Java archives) or as OLE storage
		// (encrypted OOXML) go to their extractor, which tells.
		case "docx":
			byExt[".docx"], byExt[".docm"], byExt[".dotx"] = x, x, x
		case "xlsx":
			byExt[".xlsx"], byExt[".xlsm"] = x, x
		case "pptx":
			byExt[".pptx"], byExt[".pptm"] = x, x
		case "odt":
			byExt[".odt"], byExt[".sxw"] = x, x
		case "ods":
			byExt[".ods"] = x
		case "odp":
			byExt[".odp"] = x
		case "epub":
			byExt[".epub"] = x
		}
	}
	d := New(opts, byExt, all...)
	d.fallback = runes{}
	return d
}
