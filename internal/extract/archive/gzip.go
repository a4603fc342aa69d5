package archive

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/zero711/brain/internal/document"
)

// gzipExtractor reads GZIP files: a compressed tar archive, or one
// compressed file.
type gzipExtractor struct{}

var _ document.Extractor = gzipExtractor{}

func (gzipExtractor) Name() string    { return "gzip" }
func (gzipExtractor) Types() []string { return []string{"application/gzip"} }

// Extract returns the members of a .tar.gz, or the one file of a plain
// .gz named without its suffix. Errors: ErrTooLarge, ErrCorrupt,
// ErrEmpty.
func (x gzipExtractor) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	c, err := newCollector(ctx, in, x.Name())
	if err != nil {
		return nil, err
	}
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%w: gzip: %v", document.ErrCorrupt, err)
	}
	name := memberName(in.Name, zr.Name, []string{".tgz", ".taz"}, []string{".gz", ".gzip", ".z", "-gz", "_gz"})
	return c.stream(zr, name)
}

// bzip2Extractor reads BZIP2 files: a compressed tar archive, or one
// compressed file.
type bzip2Extractor struct{}

var _ document.Extractor = bzip2Extractor{}

func (bzip2Extractor) Name() string    { return "bzip2" }
func (bzip2Extractor) Types() []string { return []string{"application/x-bzip2"} }

// Extract returns the members of a .tar.bz2, or the one file of a plain
// .bz2 named without its suffix. Errors: ErrTooLarge, ErrCorrupt,
// ErrEmpty.
func (x bzip2Extractor) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	c, err := newCollector(ctx, in, x.Name())
	if err != nil {
		return nil, err
	}
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, fmt.Errorf("bzip2: %w", err)
	}
	defer f.Close()
	name := memberName(in.Name, "", []string{".tbz2", ".tbz", ".tb2"}, []string{".bz2", ".bz"})
	return c.stream(bzip2.NewReader(bufio.NewReader(f)), name)
}

// stream extracts a decompressed stream: as a tar archive when it starts
// with a valid tar header, else as the single member name.
func (c *collector) stream(r io.Reader, name string) (*document.Document, error) {
	br := bufio.NewReaderSize(r, 4096)
	head, err := br.Peek(tarBlockSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		if len(head) == 0 {
			return nil, fmt.Errorf("%w: %s: %v", document.ErrCorrupt, c.doc.Handler, err)
		}
	}
	if isTarHeader(head) {
		if err := c.tarMembers(br); err != nil {
			return nil, err
		}
		return c.finish()
	}
	if err := c.entry(); err != nil {
		return nil, fmt.Errorf("%s: %w", c.doc.Handler, err)
	}
	// A damaged single file is reported, not kept half.
	if err := c.add(name, br); err != nil {
		if errors.Is(err, document.ErrCorrupt) || errors.Is(err, document.ErrTooLarge) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", c.doc.Handler, err)
	}
	return c.finish()
}

// memberName derives the single member's name: the archive's own name
// without its compression suffix (a tar suffix like ".tgz" becomes
// ".tar"), else the name stored in the header, else "data".
func memberName(archive, stored string, tarSuffixes, suffixes []string) string {
	base := path.Base(strings.ReplaceAll(SafeName(archive), `\`, "/"))
	lower := strings.ToLower(base)
	for _, s := range tarSuffixes {
		if strings.HasSuffix(lower, s) && len(base) > len(s) {
			return base[:len(base)-len(s)] + ".tar"
		}
	}
	for _, s := range suffixes {
		if strings.HasSuffix(lower, s) && len(base) > len(s) {
			return base[:len(base)-len(s)]
		}
	}
	if n := SafeName(stored); n != "" {
		return n
	}
	if base != "" && base != "." {
		return base + ".out"
	}
	return "data"
}

const tarBlockSize = 512

// isTarHeader reports whether block is a tar header block: its checksum
// (bytes 148–155, octal) matches the sum of its bytes with that field
// read as spaces. This holds for ustar, GNU and old v7 archives alike,
// and rarely by chance.
func isTarHeader(block []byte) bool {
	if len(block) < tarBlockSize {
		return false
	}
	field := bytes.Trim(block[148:156], " \x00")
	want, err := strconv.ParseUint(string(field), 8, 32)
	if err != nil || len(field) == 0 {
		return false
	}
	var sum uint64
	for i, b := range block[:tarBlockSize] {
		if i >= 148 && i < 156 {
			b = ' '
		}
		sum += uint64(b)
	}
	return sum == want && sum != 8*' '
}
