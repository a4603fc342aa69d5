package fulltext

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
)

// The file starts with magic, the format version and the analysis version,
// then the stamp, the documents (ids, lengths, deleted bitset) and the terms
// (name, blocks, packed words, tail), all little-endian, with counts as
// uvarints; a CRC-32C of everything before it ends the file.
const (
	magic         = "0711FTX\n"
	formatVersion = 1
	// analysisVersion changes whenever analysis would give other terms for
	// the same text: an index built by another analysis must be rebuilt.
	analysisVersion = 1
)

var (
	// ErrCorrupt is returned by ReadFrom for input that is not a whole,
	// well-formed index file.
	ErrCorrupt = errors.New("fulltext: corrupt index file")
	// ErrVersion is returned by ReadFrom for a file of another format or
	// analysis version; the index must be rebuilt from its table.
	ErrVersion = errors.New("fulltext: index file of another version")
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// WriteTo writes the index, with its stamp, to w.
func (x *Index) WriteTo(w io.Writer) (int64, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	e := &encoder{w: bufio.NewWriterSize(w, 1<<16)}
	e.raw([]byte(magic))
	e.u32(formatVersion)
	e.u32(analysisVersion)
	e.u64(x.stamp.TableVersion)
	e.str(x.stamp.Meta)
	e.uvarint(uint64(len(x.ids)))
	e.u64s(x.ids)
	e.u32s(x.lens)
	e.u64s(x.dead)
	e.uvarint(uint64(len(x.names)))
	for i, name := range x.names {
		e.postings(name, &x.lists[i])
	}
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], e.crc)
	e.raw(sum[:])
	if e.err == nil {
		e.err = e.w.Flush()
	}
	if e.err != nil {
		return e.n, fmt.Errorf("fulltext: write index: %w", e.err)
	}
	return e.n, nil
}

// encoder writes and checksums; its first error sticks.
type encoder struct {
	w   *bufio.Writer
	crc uint32
	n   int64
	err error
	buf []byte
}

func (e *encoder) raw(b []byte) {
	if e.err != nil {
		return
	}
	e.crc = crc32.Update(e.crc, castagnoli, b)
	var n int
	n, e.err = e.w.Write(b)
	e.n += int64(n)
}

func (e *encoder) u32(v uint32)     { e.raw(binary.LittleEndian.AppendUint32(e.buf[:0], v)) }
func (e *encoder) u64(v uint64)     { e.raw(binary.LittleEndian.AppendUint64(e.buf[:0], v)) }
func (e *encoder) uvarint(v uint64) { e.raw(binary.AppendUvarint(e.buf[:0], v)) }
func (e *encoder) str(s string)     { e.uvarint(uint64(len(s))); e.raw([]byte(s)) }

// u64s writes the words of v, without their count.
func (e *encoder) u64s(v []uint64) {
	for len(v) > 0 {
		n := min(len(v), 4096)
		b := e.buf[:0]
		for _, w := range v[:n] {
			b = binary.LittleEndian.AppendUint64(b, w)
		}
		e.raw(b)
		e.buf, v = b, v[n:]
	}
}

// u32s writes the values of v, without their count.
func (e *encoder) u32s(v []uint32) {
	for len(v) > 0 {
		n := min(len(v), 8192)
		b := e.buf[:0]
		for _, w := range v[:n] {
			b = binary.LittleEndian.AppendUint32(b, w)
		}
		e.raw(b)
		e.buf, v = b, v[n:]
	}
}

// postings writes one term.
func (e *encoder) postings(name string, pl *postingList) {
	e.str(name)
	var blocks []block
	var data []uint64
	if pl.big != nil {
		blocks, data = pl.big.blocks, pl.big.data
	}
	e.uvarint(uint64(len(blocks)))
	for i := range blocks {
		b := &blocks[i]
		e.u32(b.base)
		e.u32(b.last)
		e.raw([]byte{byte(b.maxTF), byte(b.maxTF >> 8), b.minNorm, b.docBits, b.tfBits})
	}
	e.u64s(data)
	e.uvarint(uint64(len(pl.tail)))
	e.u64s(pl.tail)
}

// ReadFrom replaces the index's contents, stamp included, with an index
// written by WriteTo, reading r to its end. Input that is truncated, altered
// or followed by more bytes gives ErrCorrupt, a file of another version
// ErrVersion; the index is then left as it was.
func (x *Index) ReadFrom(r io.Reader) (int64, error) {
	d := &decoder{r: bufio.NewReaderSize(r, 1<<16)}
	y, err := d.index()
	if err != nil {
		return d.n, fmt.Errorf("fulltext: read index: %w", err)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.terms, x.names, x.lists = y.terms, y.names, y.lists
	x.ids, x.lens, x.norms, x.dead = y.ids, y.lens, y.norms, y.dead
	x.byID, x.sumLen, x.nDead, x.stamp = y.byID, y.sumLen, y.nDead, y.stamp
	return d.n, nil
}

// decoder reads and checksums; its first error sticks.
type decoder struct {
	r   *bufio.Reader
	crc uint32
	n   int64
	err error
	buf [8]byte
}

// fail records err (ErrCorrupt when nil) unless an error is recorded.
func (d *decoder) fail(err error) {
	if d.err == nil {
		if err == nil || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = ErrCorrupt
		}
		d.err = err
	}
}

func (d *decoder) raw(b []byte) {
	if d.err != nil {
		clear(b)
		return
	}
	n, err := io.ReadFull(d.r, b)
	d.n += int64(n)
	d.crc = crc32.Update(d.crc, castagnoli, b[:n])
	if err != nil {
		d.fail(err)
	}
}

func (d *decoder) u32() uint32 { d.raw(d.buf[:4]); return binary.LittleEndian.Uint32(d.buf[:4]) }
func (d *decoder) u64() uint64 { d.raw(d.buf[:8]); return binary.LittleEndian.Uint64(d.buf[:8]) }

func (d *decoder) uvarint() uint64 {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		d.raw(d.buf[:1])
		b := d.buf[0]
		v |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return v
		}
	}
	d.fail(nil)
	return 0
}

// count reads a count and checks it against limit.
func (d *decoder) count(limit uint64) int {
	n := d.uvarint()
	if n > limit {
		d.fail(nil)
		return 0
	}
	return int(n)
}

// bytes reads n bytes, growing the result as data arrives so that a corrupt
// count cannot allocate more than the input holds.
func (d *decoder) bytes(n int) []byte {
	var b []byte
	for len(b) < n && d.err == nil {
		m := min(n-len(b), 1<<16)
		b = append(b, make([]byte, m)...)
		d.raw(b[len(b)-m:])
	}
	return b
}

// u64s reads n words.
func (d *decoder) u64s(n int) []uint64 {
	v := make([]uint64, 0, min(n, 1<<16))
	for len(v) < n && d.err == nil {
		b := d.bytes(min(n-len(v), 1<<13) * 8)
		for i := 0; i+8 <= len(b); i += 8 {
			v = append(v, binary.LittleEndian.Uint64(b[i:]))
		}
	}
	return v
}

// u32s reads n values.
func (d *decoder) u32s(n int) []uint32 {
	v := make([]uint32, 0, min(n, 1<<16))
	for len(v) < n && d.err == nil {
		b := d.bytes(min(n-len(v), 1<<14) * 4)
		for i := 0; i+4 <= len(b); i += 4 {
			v = append(v, binary.LittleEndian.Uint32(b[i:]))
		}
	}
	return v
}

// index reads a whole file into a new index.
func (d *decoder) index() (*Index, error) {
	var head [len(magic)]byte
	d.raw(head[:])
	if d.err == nil && string(head[:]) != magic {
		return nil, ErrCorrupt
	}
	if v, a := d.u32(), d.u32(); d.err == nil && (v != formatVersion || a != analysisVersion) {
		return nil, fmt.Errorf("%w: format %d, analysis %d", ErrVersion, v, a)
	}
	y := New(Options{})
	y.stamp.TableVersion = d.u64()
	y.stamp.Meta = string(d.bytes(d.count(1 << 20)))
	d.docs(y)
	nterms := d.count(math.MaxUint32)
	for i := 0; i < nterms && d.err == nil; i++ {
		d.term(y)
	}
	want := d.crc
	if got := d.u32(); d.err == nil && got != want {
		d.fail(nil)
	}
	if _, err := d.r.ReadByte(); d.err == nil && err != io.EOF {
		d.fail(nil)
	}
	if d.err != nil {
		return nil, d.err
	}
	return y, nil
}

// docs reads the document table.
func (d *decoder) docs(y *Index) {
	n := d.count(maxDocs)
	y.ids = d.u64s(n)
	y.lens = d.u32s(n)
	y.norms = make([]uint8, len(y.lens))
	for i, l := range y.lens {
		y.norms[i] = normCode(int(l))
		y.sumLen += uint64(l)
	}
	y.dead = d.u64s((n + 63) / 64)
	if d.err != nil {
		return
	}
	if n%64 != 0 && y.dead[len(y.dead)-1]>>(n%64) != 0 {
		d.fail(nil)
		return
	}
	for doc, id := range y.ids {
		if y.isDead(uint32(doc)) {
			y.nDead++
			continue
		}
		if _, dup := y.byID[id]; dup {
			d.fail(nil)
			return
		}
		y.byID[id] = uint32(doc)
	}
}

// term reads one term and checks its postings.
func (d *decoder) term(y *Index) {
	name := string(d.bytes(d.count(maxTermBytes)))
	if _, dup := y.terms[name]; dup || name == "" {
		d.fail(nil)
		return
	}
	var pl postingList
	nb := d.count(uint64(len(y.ids)) / blockSize)
	if nb > 0 {
		pl.big = &packed{blocks: make([]block, 0, min(nb, 1<<12))}
	}
	words := 0
	for i := 0; i < nb && d.err == nil; i++ {
		b := block{base: d.u32(), last: d.u32(), off: uint32(words)}
		var f [5]byte
		d.raw(f[:])
		b.maxTF, b.minNorm, b.docBits, b.tfBits = uint16(f[0])|uint16(f[1])<<8, f[2], f[3], f[4]
		if b.docBits > 32 || b.tfBits > 16 {
			d.fail(nil)
			return
		}
		words += b.words()
		pl.big.blocks = append(pl.big.blocks, b)
	}
	if pl.big != nil {
		pl.big.data = d.u64s(words)
	}
	pl.tail = d.u64s(d.count(blockSize - 1))
	if d.err == nil && !pl.valid(y.norms) {
		d.fail(nil)
	}
	if d.err != nil {
		return
	}
	y.lists = append(y.lists, pl)
	y.terms[name] = uint32(len(y.names))
	y.names = append(y.names, name)
}

// valid checks that the postings ascend within the document table, that
// frequencies are in range and that the block bounds hold.
func (pl *postingList) valid(norms []uint8) bool {
	if pl.df() == 0 {
		return false
	}
	next := uint32(0) // smallest acceptable document
	if pl.big != nil {
		var docs, tfs [blockSize]uint32
		for i := range pl.big.blocks {
			b := &pl.big.blocks[i]
			if b.base < next || b.last >= uint32(len(norms)) {
				return false
			}
			decodeBlock(b, pl.big.data, &docs, &tfs)
			for j := range docs {
				if docs[j] < next || docs[j] > b.last || tfs[j] > uint32(b.maxTF) || norms[docs[j]] < b.minNorm {
					return false
				}
				next = docs[j] + 1
			}
			if next-1 != b.last {
				return false
			}
		}
	}
	for _, p := range pl.tail {
		doc, tf := uint32(p>>32), p&math.MaxUint32
		if doc < next || doc >= uint32(len(norms)) || tf == 0 || tf > maxTF {
			return false
		}
		next = doc + 1
	}
	return true
}
