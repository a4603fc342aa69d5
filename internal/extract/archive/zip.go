package archive

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/zero711/brain/internal/document"
)

// zipExtractor reads ZIP archives through their central directory.
type zipExtractor struct{}

var _ document.Extractor = zipExtractor{}

func (zipExtractor) Name() string    { return "zip" }
func (zipExtractor) Types() []string { return []string{"application/zip"} }

// Extract returns the members of a ZIP archive. Errors: ErrTooLarge,
// ErrEncrypted, ErrCorrupt, ErrEmpty.
func (x zipExtractor) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	c, err := newCollector(ctx, in, x.Name())
	if err != nil {
		return nil, err
	}
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, fmt.Errorf("zip: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("zip: %w", err)
	}
	zr, err := zip.NewReader(f, st.Size())
	// ErrInsecurePath comes with a usable reader; names are cleaned anyway.
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("%w: zip: %v", document.ErrCorrupt, err)
	}
	if len(zr.File) > c.limits.MaxMembers {
		return nil, fmt.Errorf("%w: zip: %d members, limit %d", document.ErrTooLarge, len(zr.File), c.limits.MaxMembers)
	}
	for _, zf := range zr.File {
		if err := c.entry(); err != nil {
			return nil, fmt.Errorf("zip: %w", err)
		}
		if err := c.zipMember(zf); err != nil {
			return nil, err
		}
	}
	return c.finish()
}

// zipMember attaches one entry, or skips it with a warning. It returns
// only the errors that end the extraction.
func (c *collector) zipMember(zf *zip.File) error {
	if strings.HasSuffix(zf.Name, "/") || zf.Mode().IsDir() {
		return nil
	}
	name := c.displayName(zf.Name)
	switch {
	case !zf.Mode().IsRegular():
		c.skip(name, "not a regular file ("+zf.Mode().Type().String()+")")
		return nil
	case zf.Flags&0x1 != 0:
		c.regular++
		c.encrypted++
		c.skip(name, "encrypted")
		return nil
	}
	rc, err := zf.Open()
	if errors.Is(err, zip.ErrAlgorithm) {
		c.skip(name, fmt.Sprintf("unsupported compression method %d", zf.Method))
		return nil
	}
	if err != nil {
		c.regular++
		c.broken++
		c.skip(name, err.Error())
		return nil
	}
	defer rc.Close()
	if err := c.add(name, rc); err != nil && !errors.Is(err, document.ErrCorrupt) {
		return fmt.Errorf("zip: %w", err)
	}
	return nil
}
