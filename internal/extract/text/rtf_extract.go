package text

import (
	"bytes"
	"context"
	"fmt"
	"strconv"

	"github.com/zero711/brain/internal/document"
)

// RTF returns the extractor for Rich Text Format. It decodes the code
// pages of \ansicpg and the fonts' charsets, \uN characters, tables
// (\cell, \row), headings (\outlinelevel, "heading N" styles), lists
// (\ls), headers, footers and footnotes (after the body), and reads
// \info's title, author, subject, keywords and dates.
func RTF() document.Extractor {
	return &extractor{name: "rtf", types: []string{"text/rtf"}, run: extractRTF}
}

func extractRTF(ctx context.Context, in document.Input) (*document.Document, error) {
	data, truncated, err := readInput(in)
	if err != nil {
		return nil, err
	}
	body := bytes.TrimLeft(bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n")
	if !bytes.HasPrefix(body, []byte(`{\rtf`)) {
		return nil, fmt.Errorf("%w: rtf: file does not start with {\\rtf", document.ErrCorrupt)
	}
	res, err := parseRTF(ctx, body)
	if err != nil {
		return nil, err
	}
	doc := newDoc(in, "rtf")
	doc.Blocks = res.blocks
	doc.Metadata["codepage"] = strconv.Itoa(res.codePage)
	rtfMeta(res, doc)
	if truncated {
		doc.Warnings = append(doc.Warnings, truncatedWarning())
	}
	if res.truncated {
		doc.Warnings = append(doc.Warnings, outputWarning())
	}
	return finish(doc)
}

// rtfMeta copies \info into doc.
func rtfMeta(res rtfResult, doc *document.Document) {
	for k, v := range res.meta {
		switch k {
		case "title":
			doc.Title = collapse(v)
		case "author":
			doc.Author = collapse(v)
		default:
			doc.Metadata[k] = v
		}
	}
	doc.Created = res.dates["creatim"]
	doc.Modified = res.dates["revtim"]
}
