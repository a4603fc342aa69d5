// Package pdf extracts PDF files: text with poppler's pdftotext (reading
// order, not the -layout mode, since chunks should follow sentences
// rather than columns), metadata from the same run (-htmlmeta), and pages
// without a text layer with OCR (pdftoppm renders the page, tesseract
// reads it). Where poppler is not installed, a pure-Go reader
// (github.com/ledongthuc/pdf) is the fallback, with a warning.
//
// Each page's text becomes blocks with TextBlocks: wrapped lines joined
// into paragraphs, conservative heading and list detection, Page set to
// the page number.
package pdf
