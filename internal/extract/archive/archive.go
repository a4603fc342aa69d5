package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/zero711/brain/internal/document"
)

// MaxMemberBytes bounds the expanded size of one member; what is left of
// Limits.MaxExpandedBytes bounds it too.
const MaxMemberBytes = 256 << 20

// maxWarnings bounds the warnings kept per archive; the rest are counted.
const maxWarnings = 20

// Extractors returns the archive extractors: ZIP, TAR, GZIP, BZIP2 and
// the 7z refusal.
func Extractors() []document.Extractor {
	return []document.Extractor{zipExtractor{}, tarExtractor{}, gzipExtractor{}, bzip2Extractor{}, sevenZipExtractor{}}
}

// collector gathers the members of one archive within its limits.
type collector struct {
	ctx       context.Context
	limits    document.Limits
	memberCap int64
	doc       *document.Document
	names     []string // every non-directory entry, for the name block
	entries   int      // entries seen, directories included
	expanded  int64    // bytes decompressed so far
	encrypted int      // members skipped as encrypted
	regular   int      // regular members seen, encrypted or not
	broken    int      // members that could not be read
	dropped   int      // warnings beyond maxWarnings
}

// newCollector checks the nesting depth and starts the document.
func newCollector(ctx context.Context, in document.Input, handler string) (*collector, error) {
	l := withDefaults(in.Limits)
	if l.Depth >= l.MaxDepth {
		return nil, fmt.Errorf("%w: %s: nested too deeply (depth %d, limit %d)", document.ErrTooLarge, handler, l.Depth, l.MaxDepth)
	}
	doc := &document.Document{Title: in.Name, ContentType: in.ContentType, Handler: handler}
	return &collector{ctx: ctx, limits: l, memberCap: min(MaxMemberBytes, l.MaxExpandedBytes), doc: doc}, nil
}

// withDefaults fills the limits the caller left zero.
func withDefaults(l document.Limits) document.Limits {
	d := document.DefaultLimits
	if l.MaxExpandedBytes <= 0 {
		l.MaxExpandedBytes = d.MaxExpandedBytes
	}
	if l.MaxMembers <= 0 {
		l.MaxMembers = d.MaxMembers
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	return l
}

// entry counts one archive entry against Limits.MaxMembers and checks ctx.
func (c *collector) entry() error {
	if err := c.ctx.Err(); err != nil {
		return err
	}
	c.entries++
	if c.entries > c.limits.MaxMembers {
		return fmt.Errorf("%w: %s: more than %d members", document.ErrTooLarge, c.doc.Handler, c.limits.MaxMembers)
	}
	return nil
}

// displayName cleans an entry name, falling back to "member-N".
func (c *collector) displayName(raw string) string {
	if n := SafeName(raw); n != "" {
		return n
	}
	return "member-" + strconv.Itoa(c.entries)
}

// add reads one regular member from r and attaches it. Errors are the
// limits (ErrTooLarge) and ctx; a read failure marks the member broken
// and is returned wrapped in ErrCorrupt for the caller to judge.
func (c *collector) add(name string, r io.Reader) error {
	c.names = append(c.names, name)
	c.regular++
	data, err := c.read(name, r)
	if err != nil {
		if errors.Is(err, document.ErrTooLarge) || c.ctx.Err() != nil {
			return err
		}
		c.broken++
		c.warn(fmt.Sprintf("member %q skipped: %v", name, err))
		return fmt.Errorf("%w: %s: member %q: %v", document.ErrCorrupt, c.doc.Handler, name, err)
	}
	c.doc.Attachments = append(c.doc.Attachments, document.Attachment{Name: name, Data: data})
	return nil
}

// read decompresses r, counting the bytes it actually yields.
func (c *collector) read(name string, r io.Reader) ([]byte, error) {
	left := c.limits.MaxExpandedBytes - c.expanded
	limit := min(c.memberCap, left)
	data, err := readAll(io.LimitReader(ctxReader{c.ctx, r}, limit+1))
	n := int64(len(data))
	c.expanded += n
	switch {
	case n > limit && limit == left:
		return nil, fmt.Errorf("%w: %s: members expand beyond %d bytes (at member %q)", document.ErrTooLarge, c.doc.Handler, c.limits.MaxExpandedBytes, name)
	case n > limit:
		return nil, fmt.Errorf("%w: %s: member %q expands beyond %d bytes", document.ErrTooLarge, c.doc.Handler, name, c.memberCap)
	case err != nil:
		return nil, err
	}
	return data, nil
}

// skip lists a member that is not extracted and says why.
func (c *collector) skip(name, why string) {
	c.names = append(c.names, name)
	c.warn(fmt.Sprintf("member %q skipped: %s", name, why))
}

func (c *collector) warn(w string) {
	if len(c.doc.Warnings) < maxWarnings {
		c.doc.Warnings = append(c.doc.Warnings, w)
		return
	}
	c.dropped++
}

// truncated records that the archive broke off after some members.
func (c *collector) truncated(err error) error {
	if len(c.doc.Attachments) == 0 {
		return fmt.Errorf("%w: %s: %v", document.ErrCorrupt, c.doc.Handler, err)
	}
	c.warn(fmt.Sprintf("archive is damaged after %d members: %v", len(c.doc.Attachments), err))
	return nil
}

// finish turns what was collected into the document or a typed error.
func (c *collector) finish() (*document.Document, error) {
	switch {
	case c.regular > 0 && c.encrypted == c.regular:
		return nil, fmt.Errorf("%w: %s: all %d members are encrypted", document.ErrEncrypted, c.doc.Handler, c.regular)
	case len(c.doc.Attachments) == 0 && c.broken > 0:
		return nil, fmt.Errorf("%w: %s: no member could be read (%s)", document.ErrCorrupt, c.doc.Handler, strings.Join(c.doc.Warnings, "; "))
	case len(c.names) == 0:
		return nil, fmt.Errorf("%w: %s: archive has no files", document.ErrEmpty, c.doc.Handler)
	}
	if c.dropped > 0 {
		c.doc.Warnings = append(c.doc.Warnings, fmt.Sprintf("%d more warnings not shown", c.dropped))
	}
	c.doc.Blocks = []document.Block{{Kind: document.Paragraph, Text: strings.Join(c.names, "\n")}}
	c.doc.Metadata = map[string]string{
		"members":        strconv.Itoa(len(c.doc.Attachments)),
		"entries":        strconv.Itoa(c.entries),
		"expanded_bytes": strconv.FormatInt(c.expanded, 10),
	}
	c.doc.Normalize()
	return c.doc, nil
}

// readAll is io.ReadAll in chunks of at most 1 MiB joined once at the
// end: a member that is given up on costs its size in memory, not the
// doubled capacity of a growing buffer.
func readAll(r io.Reader) ([]byte, error) {
	var chunks [][]byte
	var total int
	size := 4 << 10
	for {
		chunk, err := fill(r, make([]byte, size))
		chunks = append(chunks, chunk)
		total += len(chunk)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		size = min(2*size, 1<<20)
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	return bytes.Join(chunks, nil)[:total:total], nil
}

// fill reads into buf until it is full or r fails; io.EOF means r ended.
func fill(r io.Reader, buf []byte) ([]byte, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return buf[:n], err
		}
	}
	return buf, nil
}

// ctxReader stops a long decompression when ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}
