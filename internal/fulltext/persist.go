package fulltext

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
)

// The file starts with magic, the format version and the analysis version,
// then the stamp, the documents (ids, lengths, deleted bitset) and the terms
// column by column, so that loading reads a few large arrays and the posting
// lists become slices of them: term name lengths, names, block and tail
// counts, block headers, packed words, tails. Integers are little-endian,
// counts uvarints; a CRC-32C of everything before it ends the file.
const (
	magic         = "0711FTX\n"
	formatVersion = 1
	// analysisVersion changes whenever analysis would give other terms for
	// the same text: an index built by another analysis must be rebuilt.
	analysisVersion = 1
	// blockHeader is the size of a block header in files.
	blockHeader = 13
)

var (
	// ErrCorrupt is returned by ReadFrom for input that is not a whole,
	// well-formed index file.
	ErrCorrupt = errors.New("corrupt index file")
	// ErrVersion is returned by ReadFrom for a file of another format or
	// analysis version; the index must be rebuilt from its table.
	ErrVersion = errors.New("index file of another version")
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
	e.terms(x.names(), x.lists)
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

// terms writes the term columns.
func (e *encoder) terms(names []string, lists []postingList) {
	e.uvarint(uint64(len(names)))
	for _, name := range names {
		e.uvarint(uint64(len(name)))
	}
	for _, name := range names {
		e.raw([]byte(name))
	}
	for i := range lists {
		pl := &lists[i]
		e.uvarint(uint64(pl.blocks()))
		e.uvarint(uint64(len(pl.tail)))
	}
	for i := range lists {
		if pl := &lists[i]; pl.big != nil {
			b := e.buf[:0]
			for _, h := range pl.big.blocks {
				b = binary.LittleEndian.AppendUint32(b, h.base)
				b = binary.LittleEndian.AppendUint32(b, h.last)
				b = append(b, byte(h.maxTF), byte(h.maxTF>>8), h.minNorm, h.docBits, h.tfBits)
			}
			e.raw(b)
			e.buf = b
		}
	}
	for i := range lists {
		if pl := &lists[i]; pl.big != nil {
			e.u64s(pl.big.data)
		}
	}
	for i := range lists {
		e.u64s(lists[i].tail)
	}
}

// ReadFrom replaces the index's contents, stamp included, with an index
// written by WriteTo, reading r to its end. Input that is truncated, altered
// or followed by more bytes gives ErrCorrupt, a file of another version
// ErrVersion; the index is then left as it was.
func (x *Index) ReadFrom(r io.Reader) (int64, error) {
	d := &decoder{r: bufio.NewReaderSize(r, 1<<16), size: inputSize(r)}
	y := &Index{k1: x.k1, b: x.b} // block bounds are taken with x's BM25 parameters
	y.reset()
	err := d.index(y)
	if err != nil {
		return d.n, fmt.Errorf("fulltext: read index at byte %d: %w", d.n, err)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.terms, x.lists = y.terms, y.lists
	x.ids, x.lens, x.norms, x.dead = y.ids, y.lens, y.norms, y.dead
	x.byID, x.sumLen, x.nDead, x.stamp = y.byID, y.sumLen, y.nDead, y.stamp
	x.seal = y.seal
	return d.n, nil
}

// inputSize returns the size of r when it can tell (bytes and strings
// readers, files), else -1.
func inputSize(r io.Reader) int64 {
	switch r := r.(type) {
	case interface{ Len() int }:
		return int64(r.Len())
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := r.Stat(); err == nil && fi.Mode().IsRegular() {
			return fi.Size()
		}
	}
	return -1
}

// decoder reads and checksums; its first error sticks.
type decoder struct {
	r    *bufio.Reader
	size int64 // size of the input when known, else -1
	crc  uint32
	n    int64
	err  error
	buf  [8]byte
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

// prealloc returns the capacity to give a slice of n elements of size
// bytes: n when the input can hold them, else what it can, so that a
// corrupt count cannot allocate more than the input's size. Slices grow as
// data arrives when the size is unknown.
func (d *decoder) prealloc(n, size int) int {
	if d.size < 0 {
		return min(n, 1<<16)
	}
	return min(n, int(d.size/int64(size)))
}

// bytes reads n bytes.
func (d *decoder) bytes(n int) []byte {
	b := make([]byte, 0, d.prealloc(n, 1))
	for len(b) < n && d.err == nil {
		m := min(n-len(b), 1<<16)
		b = append(b, make([]byte, m)...)
		d.raw(b[len(b)-m:])
	}
	return b
}

// u64s reads n words.
func (d *decoder) u64s(n int) []uint64 {
	v := make([]uint64, 0, d.prealloc(n, 8))
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
	v := make([]uint32, 0, d.prealloc(n, 4))
	for len(v) < n && d.err == nil {
		b := d.bytes(min(n-len(v), 1<<14) * 4)
		for i := 0; i+4 <= len(b); i += 4 {
			v = append(v, binary.LittleEndian.Uint32(b[i:]))
		}
	}
	return v
}

// index reads a whole file into the empty index y.
func (d *decoder) index(y *Index) error {
	var head [len(magic)]byte
	d.raw(head[:])
	if d.err == nil && string(head[:]) != magic {
		return ErrCorrupt
	}
	if v, a := d.u32(), d.u32(); d.err == nil && (v != formatVersion || a != analysisVersion) {
		return fmt.Errorf("%w: format %d, analysis %d", ErrVersion, v, a)
	}
	y.stamp.TableVersion = d.u64()
	y.stamp.Meta = string(d.bytes(d.count(1 << 20)))
	d.docs(y)
	d.terms(y)
	want := d.crc
	if got := d.u32(); d.err == nil && got != want {
		d.fail(nil)
	}
	if _, err := d.r.ReadByte(); d.err == nil && err != io.EOF {
		d.fail(nil)
	}
	return d.err
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
	y.byID = make(map[uint64]uint32, n) // n ids have been read: n is real
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

// terms reads the term columns. The posting lists share a few large arrays;
// their slices are capped, so that appending to one copies it out.
func (d *decoder) terms(y *Index) {
	n := d.count(math.MaxUint32)
	nameLens := make([]int, 0, d.prealloc(n, 1))
	total := 0
	for i := 0; i < n && d.err == nil; i++ {
		l := d.count(maxTermBytes)
		nameLens = append(nameLens, l)
		total += l
	}
	blob := string(d.bytes(total))
	shapes := make([][2]int, 0, d.prealloc(n, 2)) // blocks and tail length
	nblocks, ntail, nbig := 0, 0, 0
	for i := 0; i < n && d.err == nil; i++ {
		nb, nt := d.count(uint64(len(y.ids))/blockSize), d.count(blockSize-1)
		if nb+nt == 0 {
			d.fail(nil)
		}
		if nb > 0 {
			nbig++
		}
		shapes = append(shapes, [2]int{nb, nt})
		nblocks, ntail = nblocks+nb, ntail+nt
	}
	blocks, words := d.blocks(nblocks)
	data := d.u64s(words)
	tails := d.u64s(ntail)
	if d.err != nil {
		return
	}
	y.lists = make([]postingList, n)
	bigs := make([]packed, nbig) // never grown: lists point into it
	for i, sh := range shapes {
		pl := &y.lists[i]
		if nb := sh[0]; nb > 0 {
			bl := blocks[:nb:nb]
			blocks = blocks[nb:]
			start := bl[0].off
			w := int(bl[nb-1].off-start) + bl[nb-1].words()
			for j := range bl {
				bl[j].off -= start
			}
			pl.big = &bigs[0]
			bigs = bigs[1:]
			*pl.big = packed{blocks: bl, data: data[:w:w]}
			data = data[w:]
		}
		pl.tail = tails[:sh[1]:sh[1]]
		tails = tails[sh[1]:]
	}
	// Checking the postings and building the dictionary take about as long
	// and touch different memory: do them side by side.
	valid := make(chan bool, 1)
	go func() {
		ls := y.sealing()
		for i := range y.lists {
			if !y.lists[i].valid(ls) {
				valid <- false
				return
			}
		}
		valid <- true
	}()
	y.terms = make(map[string]uint32, n)
	for i, l := range nameLens {
		name := blob[:l]
		blob = blob[l:]
		y.terms[name] = uint32(i)
		if name == "" || len(y.terms) != i+1 {
			d.fail(nil)
			break
		}
	}
	if !<-valid {
		d.fail(nil)
	}
}

// blocks reads n block headers and returns them with the number of packed
// words they take, their offsets counted from the first.
func (d *decoder) blocks(n int) ([]block, int) {
	out := make([]block, 0, d.prealloc(n, blockHeader))
	words := 0
	for len(out) < n && d.err == nil {
		b := d.bytes(min(n-len(out), 1<<12) * blockHeader)
		for ; len(b) >= blockHeader; b = b[blockHeader:] {
			h := block{
				base: binary.LittleEndian.Uint32(b), last: binary.LittleEndian.Uint32(b[4:]),
				off: uint32(words), maxTF: binary.LittleEndian.Uint16(b[8:]),
				minNorm: b[10], docBits: b[11], tfBits: b[12],
			}
			if h.docBits > 32 || h.tfBits > 16 {
				d.fail(nil)
				return nil, 0
			}
			words += h.words()
			out = append(out, h)
		}
	}
	return out, words
}

// valid checks that the postings ascend within the document table, that
// frequencies are in range and that the corner bounds hold, and takes the
// blocks' impact bounds.
func (pl *postingList) valid(ls *lengths) bool {
	norms := ls.norms
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
			b.impact, b.avg = ls.impact(docs[:], tfs[:]), ls.avg
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
