package archive

import (
	"archive/tar"
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/zero711/brain/internal/document"
)

// tarExtractor reads (uncompressed) TAR archives as a stream.
type tarExtractor struct{}

var _ document.Extractor = tarExtractor{}

func (tarExtractor) Name() string    { return "tar" }
func (tarExtractor) Types() []string { return []string{"application/x-tar"} }

// Extract returns the regular files of a TAR archive. Errors:
// ErrTooLarge, ErrCorrupt, ErrEmpty.
func (x tarExtractor) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	c, err := newCollector(ctx, in, x.Name())
	if err != nil {
		return nil, err
	}
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, fmt.Errorf("tar: %w", err)
	}
	defer f.Close()
	if err := c.tarMembers(bufio.NewReader(f)); err != nil {
		return nil, err
	}
	return c.finish()
}

// tarMembers attaches the regular files of the tar stream r. Other
// entry types (symlinks, hard links, devices, FIFOs) are listed and
// skipped; directories are left out.
func (c *collector) tarMembers(r io.Reader) error {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if c.ctx.Err() != nil {
				return fmt.Errorf("%s: %w", c.doc.Handler, c.ctx.Err())
			}
			return c.truncated(err)
		}
		if err := c.entry(); err != nil {
			return fmt.Errorf("%s: %w", c.doc.Handler, err)
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			continue
		case tar.TypeReg, 0, tar.TypeGNUSparse:
		default:
			c.skip(c.displayName(hdr.Name), fmt.Sprintf("not a regular file (type %q)", hdr.Typeflag))
			continue
		}
		err = c.add(c.displayName(hdr.Name), tr)
		if errors.Is(err, document.ErrCorrupt) {
			// A member that breaks off leaves the stream unusable; add
			// has said so in a warning.
			if len(c.doc.Attachments) == 0 {
				return err
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", c.doc.Handler, err)
		}
	}
}
