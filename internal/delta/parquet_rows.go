package delta

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"
)

// This file iterates the rows of a Parquet file: one cursor per leaf
// column, rows assembled by the plan of parquet_read.go.

// cursor reads one leaf column value by value, a row at a time.
type cursor struct {
	pages  parquet.Pages
	values parquet.ValueReader // of the current page; nil between pages
	maxRep int
	buf    []parquet.Value
	i, n   int // buf[i:n] not yet returned
	eof    bool
}

func newCursor(col *parquet.Column) *cursor {
	return &cursor{pages: col.Pages(), maxRep: col.MaxRepetitionLevel()}
}

// fillChunk is how many values fill decodes at a time: the buffer grows
// with the rows read, never with the counts page headers claim.
const fillChunk = 1024

// fill appends up to fillChunk more values to the unread ones.
func (c *cursor) fill() error {
	rest := copy(c.buf, c.buf[c.i:c.n])
	c.i, c.n = 0, rest
	if len(c.buf)-c.n < fillChunk {
		c.buf = append(c.buf[:len(c.buf):len(c.buf)], make([]parquet.Value, fillChunk)...)
	}
	for !c.eof {
		if c.values == nil {
			page, err := c.pages.ReadPage()
			if errors.Is(err, io.EOF) {
				c.eof = true
				return nil
			}
			if err != nil {
				return err
			}
			c.values = page.Values()
		}
		k, err := c.values.ReadValues(c.buf[c.n : c.n+fillChunk])
		c.n += k
		if errors.Is(err, io.EOF) {
			c.values = nil
			if k == 0 {
				continue
			}
			return nil
		}
		if err != nil {
			return err
		}
		if k == 0 {
			return errors.New("parquet page returned no values")
		}
		return nil
	}
	return nil
}

// next returns the values of the next row; nil at the end of the column.
func (c *cursor) next() ([]parquet.Value, error) {
	for c.i >= c.n && !c.eof {
		if err := c.fill(); err != nil {
			return nil, err
		}
	}
	if c.i >= c.n {
		return nil, nil
	}
	j := c.i + 1
	if c.maxRep > 0 {
		for {
			for j < c.n && c.buf[j].RepetitionLevel() != 0 {
				j++
			}
			if j < c.n || c.eof {
				break
			}
			off := j - c.i
			if err := c.fill(); err != nil {
				return nil, err
			}
			j = c.i + off
		}
	}
	row := c.buf[c.i:j]
	c.i = j
	return row, nil
}

func (c *cursor) close() { _ = c.pages.Close() }

// fileRows iterates the rows of one Parquet file as maps.
type fileRows struct {
	file    *parquet.File
	fields  []*node
	cursors []*cursor
	segs    [][]parquet.Value
	left    int64 // rows left when no column is read
}

// openRows plans the read of file: the Delta fields of schema (all
// top-level Parquet columns when schema is nil), restricted to columns
// when not nil.
func openRows(file *parquet.File, schema *StructType, columns map[string]bool) (fr *fileRows, err error) {
	defer recoverTo(&err)
	var p planner
	fr = &fileRows{file: file}
	kids := file.Root().Columns()
	if schema == nil {
		for _, k := range kids {
			if columns != nil && !columns[k.Name()] {
				continue
			}
			n, err := p.build(k, nil)
			if err != nil {
				return nil, err
			}
			fr.fields = append(fr.fields, n)
		}
	} else {
		for _, f := range schema.Fields {
			if columns != nil && !columns[f.Name] {
				continue
			}
			n, err := p.fieldNode(kids, f)
			if err != nil {
				return nil, err
			}
			fr.fields = append(fr.fields, n)
		}
	}
	for _, col := range p.leaves {
		fr.cursors = append(fr.cursors, newCursor(col))
	}
	fr.segs = make([][]parquet.Value, len(fr.cursors))
	fr.left = file.NumRows()
	return fr, nil
}

// recoverTo turns a panic inside the Parquet library (on malformed input)
// into an error.
func recoverTo(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("malformed parquet: %v", r)
	}
}

// openParquet opens a Parquet file from r. The footer length is checked
// first: the library allocates whatever length the file claims.
func openParquet(r io.ReaderAt, size int64) (f *parquet.File, err error) {
	defer recoverTo(&err)
	var tail [8]byte
	if size < 12 {
		return nil, errors.New("malformed parquet: too short")
	}
	if _, err := r.ReadAt(tail[:], size-8); err != nil {
		return nil, fmt.Errorf("read parquet footer: %w", err)
	}
	if n := int64(binary.LittleEndian.Uint32(tail[:4])); n > size-12 || string(tail[4:]) != "PAR1" {
		return nil, errors.New("malformed parquet: bad footer")
	}
	return parquet.OpenFile(r, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
}

// next returns the next row, or nil at the end of the file.
func (fr *fileRows) next(row map[string]any) (ok bool, err error) {
	defer recoverTo(&err)
	if len(fr.cursors) == 0 {
		if fr.left <= 0 {
			return false, nil
		}
		fr.left--
		for _, f := range fr.fields {
			row[f.name] = nil
		}
		return true, nil
	}
	for i, c := range fr.cursors {
		seg, err := c.next()
		if err != nil {
			return false, err
		}
		if seg == nil {
			if i > 0 {
				return false, errors.New("corrupt file: columns have different row counts")
			}
			return false, nil
		}
		fr.segs[i] = seg
	}
	for _, f := range fr.fields {
		v, err := f.assemble(fr.segs[f.lo:f.hi])
		if err != nil {
			return false, fmt.Errorf("column %s: %w", f.name, err)
		}
		row[f.name] = v
	}
	return true, nil
}

func (fr *fileRows) close() {
	for _, c := range fr.cursors {
		c.close()
	}
}
