package pdf

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"sync/atomic"

	lpdf "github.com/ledongthuc/pdf"

	"github.com/zero711/brain/internal/document"
)

// maxGoSize bounds the files the pure-Go reader is given: it holds
// much of the file's structure in memory.
const maxGoSize = 64 << 20

// maxGoPages bounds the pages the pure-Go reader walks, whatever the
// page tree claims.
const maxGoPages = 10_000

// pureGo returns the pages' text of the PDF at in.Path with the pure-Go
// reader, bounded by size and ToolTimeout. The reader panics on some
// malformed files; the panic is recovered and reported as ErrCorrupt.
// A run that overstays its time is abandoned (it stops at the next page)
// and reported as ErrTimeout.
func (e *extractor) pureGo(ctx context.Context, in document.Input, size int64) ([]string, error) {
	if size > maxGoSize {
		return nil, fmt.Errorf("%w: pdf-go: %d bytes exceeds the pure-Go reader's %d; install poppler-utils", document.ErrTooLarge, size, maxGoSize)
	}
	ctx, cancel := context.WithTimeout(ctx, e.opts.ToolTimeout)
	defer cancel()
	type result struct {
		pages []string
		err   error
	}
	var stop atomic.Bool
	ch := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				r = result{err: fmt.Errorf("%w: pdf-go: reader panicked: %v", document.ErrCorrupt, p)}
			}
			ch <- r
		}()
		r.pages, r.err = readPages(in.Path, size, &stop)
	}()
	select {
	case r := <-ch:
		return r.pages, r.err
	case <-ctx.Done():
		stop.Store(true)
		return nil, fmt.Errorf("%w: pdf-go: after %v: %v", document.ErrTimeout, e.opts.ToolTimeout, ctx.Err())
	}
}

// readPages reads every page's text, stopping early when stop is set.
func readPages(path string, size int64, stop *atomic.Bool) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("pdf-go: %w", err)
	}
	defer f.Close()
	r, err := lpdf.NewReader(f, size)
	if errors.Is(err, lpdf.ErrInvalidPassword) {
		return nil, fmt.Errorf("%w: pdf-go: a password is needed", document.ErrEncrypted)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: pdf-go: %v", document.ErrCorrupt, err)
	}
	n := min(r.NumPage(), maxGoPages)
	if n <= 0 {
		return nil, fmt.Errorf("%w: pdf-go: no pages", document.ErrCorrupt)
	}
	pages := make([]string, 0, n)
	for i := 1; i <= n && !stop.Load(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			pages = append(pages, "")
			continue
		}
		pages = append(pages, glyphText(p.Content().Text))
	}
	return pages, nil
}

// glyphText lays out positioned text runs as lines: runs on the same
// baseline form a line, ordered left to right, with a space where the
// gap to the previous run is wide; a blank line marks a wide gap
// between lines. (The reader does not report the spaces fonts leave as
// positioning, which TeX documents use for every word break.)
func glyphText(runs []lpdf.Text) string {
	runs = append([]lpdf.Text(nil), runs...)
	sort.SliceStable(runs, func(i, j int) bool {
		if math.Abs(runs[i].Y-runs[j].Y) > 1 {
			return runs[i].Y > runs[j].Y
		}
		return runs[i].X < runs[j].X
	})
	var b strings.Builder
	var prev lpdf.Text
	for i, t := range runs {
		size := max(t.FontSize, 1)
		switch {
		case i == 0:
		case math.Abs(t.Y-prev.Y) > 1:
			b.WriteByte('\n')
			if prev.Y-t.Y > 2*size {
				b.WriteByte('\n')
			}
		case t.X-(prev.X+prev.W) > 0.15*size:
			b.WriteByte(' ')
		}
		b.WriteString(t.S)
		prev = t
	}
	return ligatures.Replace(b.String())
}

// ligatures spells out the ligature glyphs the reader passes through
// (pdftotext does this itself).
var ligatures = strings.NewReplacer("ﬀ", "ff", "ﬁ", "fi", "ﬂ", "fl", "ﬃ", "ffi", "ﬄ", "ffl", "ﬅ", "st", "ﬆ", "st")
