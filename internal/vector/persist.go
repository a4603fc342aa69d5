package vector

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
)

// File format, version 1, little-endian:
//
//	header  magic "0711VIDX", version u32, dim u32, M u32,
//	        efConstruction u32, slots u32, live u32, entry u64,
//	        tableVersion u64, model length u32, model bytes,
//	        CRC-32C of the header so far u32
//	body    per slot: state u8; unless free: id u64, level u8, dim f32,
//	        then per layer 0..level: count u16, count neighbour u32
//	trailer CRC-32C of the body u32
//
// Tombstones are saved as such; call Compact first for a smaller file.
const (
	magic         = "0711VIDX"
	formatVersion = 1
	maxModel      = 1024
	headerFixed   = 8 + 4 + 4*5 + 8 + 8 + 4
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Info is what an index file's header says about it.
type Info struct {
	Dim   int
	M     int
	Len   int // live vectors
	Stamp Stamp
}

// WriteTo writes the index to w in the versioned, checksummed format that
// Load reads. It waits for the current writer and holds off the next ones
// while it runs; searches continue.
func (x *Index) WriteTo(w io.Writer) (int64, error) {
	x.wmu.Lock()
	defer x.wmu.Unlock()
	cw := &crcWriter{w: bufio.NewWriterSize(w, 1<<20)}
	cw.write(x.header())
	cw.crc = 0
	pages := *x.pages.Load()
	n := x.n.Load()
	var rec []byte
	for node := range n {
		rec = x.appendRecord(rec[:0], pages, node)
		cw.write(rec)
	}
	cw.write(binary.LittleEndian.AppendUint32(nil, cw.crc))
	if cw.err == nil {
		cw.err = cw.w.Flush()
	}
	if cw.err != nil {
		return cw.n, fmt.Errorf("vector: write: %w", cw.err)
	}
	return cw.n, nil
}

func (x *Index) header() []byte {
	stamp := x.Stamp()
	b := make([]byte, 0, headerFixed+len(stamp.Model)+4)
	b = append(b, magic...)
	b = binary.LittleEndian.AppendUint32(b, formatVersion)
	b = binary.LittleEndian.AppendUint32(b, uint32(x.dim))
	b = binary.LittleEndian.AppendUint32(b, uint32(x.opts.M))
	b = binary.LittleEndian.AppendUint32(b, uint32(x.opts.EfConstruction))
	b = binary.LittleEndian.AppendUint32(b, x.n.Load())
	b = binary.LittleEndian.AppendUint32(b, uint32(x.live.Load()))
	b = binary.LittleEndian.AppendUint64(b, x.entry.Load())
	b = binary.LittleEndian.AppendUint64(b, stamp.TableVersion)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(stamp.Model)))
	b = append(b, stamp.Model...)
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

func (x *Index) appendRecord(b []byte, pages []*page, node uint32) []byte {
	st := x.stateOf(pages, node)
	b = append(b, byte(st))
	if st == stateFree {
		return b
	}
	level := x.levelOf(pages, node)
	b = binary.LittleEndian.AppendUint64(b, pages[node>>x.shift].ids[node&x.mask])
	b = append(b, byte(level))
	for _, f := range x.vec(pages, node) {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
	}
	for l := range level + 1 {
		list := x.list(pages, node, l)
		n := list[0]
		b = binary.LittleEndian.AppendUint16(b, uint16(n))
		for _, nb := range list[1 : 1+n] {
			b = binary.LittleEndian.AppendUint32(b, nb)
		}
	}
	return b
}

type crcWriter struct {
	w   *bufio.Writer
	crc uint32
	n   int64
	err error
}

func (c *crcWriter) write(p []byte) {
	if c.err != nil {
		return
	}
	c.crc = crc32.Update(c.crc, castagnoli, p)
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
}

// header is a decoded file header.
type header struct {
	Info
	efConstruction int
	slots          uint32
	entry          uint64
}

// ReadInfo reads only the header of an index file, so that the owner can
// decide from the stamp whether loading the index is worthwhile.
func ReadInfo(r io.Reader) (Info, error) {
	h, err := readHeader(&crcReader{r: r})
	if err != nil {
		return Info{}, fmt.Errorf("vector: read info: %w", err)
	}
	return h.Info, nil
}

// Load reads an index written by WriteTo. The dimension, M and
// EfConstruction come from the file; the other fields of opts apply as in
// New. A truncated, corrupt or inconsistent file yields an error wrapping
// ErrCorrupt (or ErrVersion), never a partial index; memory grows with
// the bytes actually read, not with what the header claims.
func Load(r io.Reader, opts Options) (*Index, error) {
	cr := &crcReader{r: bufio.NewReaderSize(r, 1<<20)}
	h, err := readHeader(cr)
	if err != nil {
		return nil, fmt.Errorf("vector: read: %w", err)
	}
	opts.M, opts.EfConstruction = h.M, h.efConstruction
	x := New(h.Dim, opts)
	x.stamp.Store(&h.Stamp)
	if err := x.readBody(cr, h); err != nil {
		return nil, fmt.Errorf("vector: read: %w", err)
	}
	return x, nil
}

func readHeader(cr *crcReader) (header, error) {
	var h header
	b, err := cr.read(12)
	if err != nil {
		return h, err
	}
	if string(b[:8]) != magic {
		return h, fmt.Errorf("%w: not an index file", ErrCorrupt)
	}
	if v := binary.LittleEndian.Uint32(b[8:]); v != formatVersion {
		return h, fmt.Errorf("%w: version %d", ErrVersion, v)
	}
	b, err = cr.read(headerFixed - 12)
	if err != nil {
		return h, err
	}
	le := binary.LittleEndian
	dim, m, efc := le.Uint32(b), le.Uint32(b[4:]), le.Uint32(b[8:])
	h.slots, h.entry = le.Uint32(b[12:]), le.Uint64(b[20:])
	live := le.Uint32(b[16:])
	h.Stamp.TableVersion = le.Uint64(b[28:])
	modelLen := le.Uint32(b[36:])
	if modelLen > maxModel {
		return h, fmt.Errorf("%w: model name of %d bytes", ErrCorrupt, modelLen)
	}
	model, err := cr.read(int(modelLen))
	if err != nil {
		return h, err
	}
	h.Stamp.Model = string(model)
	sum := cr.crc
	b, err = cr.read(4)
	if err != nil {
		return h, err
	}
	if le.Uint32(b) != sum {
		return h, fmt.Errorf("%w: header checksum mismatch", ErrCorrupt)
	}
	switch {
	case dim == 0 || dim > maxDim, m < 2 || m > maxM, efc < m || efc > 1<<16,
		h.slots > maxSlots, live > h.slots:
		return h, fmt.Errorf("%w: header out of range", ErrCorrupt)
	}
	h.Dim, h.M, h.efConstruction, h.Len = int(dim), int(m), int(efc), int(live)
	return h, nil
}

// readBody reads the slots, checks the body checksum and then the graph's
// invariants, which searches rely on to stay in bounds.
func (x *Index) readBody(cr *crcReader, h header) error {
	cr.crc = 0
	var pages []*page
	for node := range h.slots {
		if int(node>>x.shift) >= len(pages) {
			pages = append(pages, x.newPage())
		}
		if err := x.readRecord(cr, pages, node); err != nil {
			return err
		}
	}
	sum := cr.crc
	b, err := cr.read(4)
	if err != nil {
		return err
	}
	if binary.LittleEndian.Uint32(b) != sum {
		return fmt.Errorf("%w: body checksum mismatch", ErrCorrupt)
	}
	x.pages.Store(&pages)
	x.n.Store(h.slots)
	x.entry.Store(h.entry)
	return x.validate(pages, h)
}

func (x *Index) readRecord(cr *crcReader, pages []*page, node uint32) error {
	b, err := cr.read(1)
	if err != nil {
		return err
	}
	st := uint32(b[0])
	p, i := pages[node>>x.shift], int(node&x.mask)
	switch st {
	case stateFree:
		x.free = append(x.free, node)
		return nil
	case stateLive, stateDeleted:
	default:
		return fmt.Errorf("%w: slot %d in state %d", ErrCorrupt, node, st)
	}
	p.state[i] = st
	if b, err = cr.read(9); err != nil {
		return err
	}
	p.ids[i] = binary.LittleEndian.Uint64(b)
	level := int(b[8])
	if level > maxLevel {
		return fmt.Errorf("%w: slot %d on level %d", ErrCorrupt, node, level)
	}
	if b, err = cr.read(4 * x.dim); err != nil {
		return err
	}
	v := p.vec[i*x.dim : (i+1)*x.dim]
	for j := range v {
		v[j] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*j:]))
	}
	if level > 0 {
		p.upper[i] = make([]uint32, level*(1+x.opts.M))
		x.upperLen.Add(int64(len(p.upper[i])))
	}
	for l := range level + 1 {
		if b, err = cr.read(2); err != nil {
			return err
		}
		n := int(binary.LittleEndian.Uint16(b))
		if n > x.maxNeighbours(l) {
			return fmt.Errorf("%w: slot %d has %d neighbours", ErrCorrupt, node, n)
		}
		if b, err = cr.read(4 * n); err != nil {
			return err
		}
		list := x.list(pages, node, l)
		list[0] = uint32(n)
		for j := range n {
			list[1+j] = binary.LittleEndian.Uint32(b[4*j:])
		}
	}
	if st == stateLive {
		x.live.Add(1)
	} else {
		x.dead.Add(1)
	}
	return nil
}

// validate checks what a checksum cannot: that every link points at a
// used slot that exists on the link's layer, that live ids are unique and
// that the entry point and counts agree with the slots.
func (x *Index) validate(pages []*page, h header) error {
	var used bool
	for node := range h.slots {
		st := x.stateOf(pages, node)
		if st == stateFree {
			continue
		}
		used = true
		if st == stateLive {
			id := pages[node>>x.shift].ids[node&x.mask]
			if _, dup := x.ids[id]; dup {
				return fmt.Errorf("%w: id %d twice", ErrCorrupt, id)
			}
			x.ids[id] = node
		}
		for l := range x.levelOf(pages, node) + 1 {
			list := x.list(pages, node, l)
			for _, nb := range list[1 : 1+list[0]] {
				if nb >= h.slots || x.stateOf(pages, nb) == stateFree || x.levelOf(pages, nb) < l {
					return fmt.Errorf("%w: slot %d links to %d on layer %d", ErrCorrupt, node, nb, l)
				}
			}
		}
	}
	if int(x.live.Load()) != h.Len {
		return fmt.Errorf("%w: %d live vectors, header says %d", ErrCorrupt, x.live.Load(), h.Len)
	}
	ep, level, ok := decodeEntry(h.entry)
	switch {
	case !used && ok, used && !ok:
		return fmt.Errorf("%w: entry point", ErrCorrupt)
	case ok && (ep >= h.slots || x.stateOf(pages, ep) == stateFree || x.levelOf(pages, ep) != level):
		return fmt.Errorf("%w: entry point", ErrCorrupt)
	}
	return nil
}

type crcReader struct {
	r   io.Reader
	crc uint32
	buf []byte
}

// read returns the next n bytes, valid until the next call; a short
// stream is reported as ErrCorrupt.
func (c *crcReader) read(n int) ([]byte, error) {
	if cap(c.buf) < n {
		c.buf = make([]byte, n)
	}
	b := c.buf[:n]
	if _, err := io.ReadFull(c.r, b); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%w: truncated", ErrCorrupt)
		}
		return nil, err
	}
	c.crc = crc32.Update(c.crc, castagnoli, b)
	return b, nil
}
