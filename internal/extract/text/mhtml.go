package text

import (
	"bufio"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"os"
	"strings"

	"github.com/zero711/brain/internal/document"
)

// MHTML returns the extractor for MHTML web archives: the root
// text/html part of a multipart/related message, extracted as HTML.
// mimetype reports .mht/.mhtml files as message/rfc822 (the mail
// extractor's type), so the dispatcher routes them here by extension;
// Types lists MHTML's registered types for inputs typed by other means.
func MHTML() document.Extractor {
	return &extractor{name: "mhtml", types: []string{"multipart/related", "application/x-mimearchive"}, run: extractMHTML}
}

// maxMIMEDepth bounds multipart nesting.
const maxMIMEDepth = 8

func extractMHTML(ctx context.Context, in document.Input) (*document.Document, error) {
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	defer f.Close()
	msg, err := mail.ReadMessage(bufio.NewReader(io.LimitReader(f, maxInputBytes)))
	if err != nil {
		return nil, fmt.Errorf("%w: mhtml header: %v", document.ErrCorrupt, err)
	}
	part, err := findHTMLPart(textproto.MIMEHeader(msg.Header), msg.Body, 0)
	if err != nil {
		return nil, err
	}
	var doc *document.Document
	if part.html {
		doc, err = htmlDocument(ctx, in, part.body, part.contentType, "mhtml")
		if err != nil {
			return nil, err
		}
	} else {
		doc = newDoc(in, "mhtml")
		text, cs := decodeBytes(part.body)
		doc.Metadata["charset"] = cs
		doc.Blocks = plainBlocks(text)
	}
	mhtmlMeta(msg.Header, doc)
	return finish(doc)
}

// mhtmlMeta reads the archive's headers into doc.
func mhtmlMeta(h mail.Header, doc *document.Document) {
	dec := new(mime.WordDecoder)
	if s := h.Get("Subject"); s != "" {
		if d, err := dec.DecodeHeader(s); err == nil {
			s = d
		}
		doc.Metadata["subject"] = s
		if doc.Title == "" {
			doc.Title = s
		}
	}
	if u := h.Get("Snapshot-Content-Location"); u != "" {
		doc.Metadata["url"] = u
	} else if u := h.Get("Content-Location"); u != "" {
		doc.Metadata["url"] = u
	}
	if t, err := h.Date(); err == nil && doc.Created.IsZero() {
		doc.Created = t.UTC()
	}
}

// mimePart is the decoded body of the part that holds the page.
type mimePart struct {
	contentType string
	body        []byte
	html        bool
}

// findHTMLPart finds the first text/html part (else the first
// text/plain part) of a MIME entity with header h and body r.
func findHTMLPart(h textproto.MIMEHeader, r io.Reader, depth int) (mimePart, error) {
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	}
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		if depth >= maxMIMEDepth || params["boundary"] == "" {
			return mimePart{}, fmt.Errorf("%w: mhtml: multipart without boundary or nested too deep", document.ErrCorrupt)
		}
		return findInMultipart(multipart.NewReader(r, params["boundary"]), depth)
	case mt == "text/html" || mt == "application/xhtml+xml" || mt == "text/plain":
		body, err := io.ReadAll(transferDecoder(h.Get("Content-Transfer-Encoding"), r))
		if err != nil {
			return mimePart{}, fmt.Errorf("%w: mhtml part: %v", document.ErrCorrupt, err)
		}
		return mimePart{contentType: ct, body: body, html: mt != "text/plain"}, nil
	}
	return mimePart{}, fmt.Errorf("%w: mhtml: no text/html part", document.ErrEmpty)
}

// findInMultipart looks through the parts of mr, preferring HTML.
func findInMultipart(mr *multipart.Reader, depth int) (mimePart, error) {
	var plain *mimePart
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			if plain != nil {
				return *plain, nil
			}
			return mimePart{}, fmt.Errorf("%w: mhtml multipart: %v", document.ErrCorrupt, err)
		}
		found, err := findHTMLPart(p.Header, p, depth+1)
		if err != nil {
			continue
		}
		if found.html {
			return found, nil
		}
		if plain == nil {
			plain = &found
		}
	}
	if plain != nil {
		return *plain, nil
	}
	return mimePart{}, fmt.Errorf("%w: mhtml: no text/html part", document.ErrEmpty)
}

// transferDecoder undoes a Content-Transfer-Encoding.
func transferDecoder(cte string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &base64Cleaner{r: r})
	}
	return r
}

// base64Cleaner drops the bytes base64.NewDecoder chokes on (spaces,
// tabs) but mail encoders emit.
type base64Cleaner struct{ r io.Reader }

func (c *base64Cleaner) Read(p []byte) (int, error) {
	for {
		n, err := c.r.Read(p)
		j := 0
		for _, b := range p[:n] {
			if b != ' ' && b != '\t' {
				p[j] = b
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}
