package fulltext

import "math/bits"

// blockSize is the number of postings of a sealed block.
const blockSize = 128

// maxTF caps a term frequency; BM25 saturates long before.
const maxTF = 1<<16 - 1

// block describes blockSize bit-packed postings: document gaps after base,
// then term frequencies less one.
//
// Two bounds of the block's BM25 term score hold under any corpus statistics:
// the corner bound from maxTF and minNorm, and impact, the exact largest
// tf/(tf + K(len)) of the block's postings under the average length avg.
// Since K shrinks as the average grows, impact·max(1, avg'/avg) bounds the
// block under any other average avg'. The impact bound is usually much
// tighter; neither is stored in files: loading recomputes impact.
type block struct {
	base, last uint32  // first and last document number
	off        uint32  // first word in packed.data
	impact     float32 // largest tf/(tf+K(len)) of the block at avg
	avg        float32 // the average document length impact was taken at
	maxTF      uint16  // largest term frequency
	minNorm    uint8   // smallest length code: the shortest document
	docBits    uint8   // width of the blockSize-1 gaps
	tfBits     uint8   // width of the blockSize frequencies
}

// lengths is what sealing a block needs to know of document lengths.
type lengths struct {
	norms []uint8       // length code of every document
	nt    *[256]float32 // BM25 length part of the denominator at avg
	avg   float32
}

// impactSlack lifts impact bounds above float32 rounding in the sums they
// are compared with.
const impactSlack = 1 + 1e-6

// impact returns the largest tf/(tf+K(len)) of postings given as docs and
// frequencies.
func (ls *lengths) impact(docs, tfs []uint32) float32 {
	var m float32
	for i, d := range docs {
		tf := float32(tfs[i])
		m = max(m, tf/(tf+ls.nt[ls.norms[d]]))
	}
	return m * impactSlack
}

// words returns how many uint64 the block's postings take.
func (b *block) words() int {
	return (int(b.docBits)*(blockSize-1) + int(b.tfBits)*blockSize + 63) / 64
}

// packed holds the sealed blocks of a posting list.
type packed struct {
	blocks []block
	data   []uint64
}

// postingList holds the documents of one term in ascending order: sealed
// blocks, then a tail of fewer than blockSize postings as doc<<32 | tf.
// It is kept small: most terms of a corpus occur once.
type postingList struct {
	big  *packed
	tail []uint64
}

// blocks returns the number of sealed blocks.
func (pl *postingList) blocks() int {
	if pl.big == nil {
		return 0
	}
	return len(pl.big.blocks)
}

// df returns the number of documents in the list.
func (pl *postingList) df() int {
	n := len(pl.tail)
	if pl.big != nil {
		n += len(pl.big.blocks) * blockSize
	}
	return n
}

// add appends a posting; doc must exceed every document already listed.
func (pl *postingList) add(doc uint32, tf uint16, ls *lengths) {
	if len(pl.tail) == cap(pl.tail) {
		pl.grow()
	}
	pl.tail = append(pl.tail, uint64(doc)<<32|uint64(tf))
	if len(pl.tail) == blockSize {
		pl.seal(ls)
	}
}

// grow makes room in the tail: by a quarter while the list is small, since
// most lists stay small and append's doubling would leave a third of their
// memory unused, and by doubling once it has blocks.
func (pl *postingList) grow() {
	n := len(pl.tail)
	c := n + n/4 + 1
	if pl.big != nil {
		c = max(2*n, 16)
	}
	t := make([]uint64, n, min(c, blockSize))
	copy(t, pl.tail)
	pl.tail = t
}

// tailBounds returns the largest frequency and the smallest length code of
// the tail.
func (pl *postingList) tailBounds(norms []uint8) (maxTF uint16, minNorm uint8) {
	minNorm = 255
	for _, p := range pl.tail {
		maxTF, minNorm = max(maxTF, uint16(p)), min(minNorm, norms[p>>32])
	}
	return maxTF, minNorm
}

// seal packs the full tail into a block.
func (pl *postingList) seal(ls *lengths) {
	if pl.big == nil {
		pl.big = &packed{}
	}
	t := pl.tail
	b := block{
		base: uint32(t[0] >> 32),
		last: uint32(t[len(t)-1] >> 32),
		off:  uint32(len(pl.big.data)),
		avg:  ls.avg,
	}
	b.maxTF, b.minNorm = pl.tailBounds(ls.norms)
	for _, p := range t {
		tf := float32(uint16(p))
		b.impact = max(b.impact, tf/(tf+ls.nt[ls.norms[p>>32]]))
	}
	b.impact *= impactSlack
	var maxGap uint32
	for i := 1; i < len(t); i++ {
		maxGap = max(maxGap, uint32(t[i]>>32)-uint32(t[i-1]>>32))
	}
	b.docBits = uint8(bits.Len32(maxGap))
	b.tfBits = uint8(bits.Len16(b.maxTF - 1))
	w := bitWriter{words: pl.big.data}
	for i := 1; i < len(t); i++ {
		w.put(uint64(uint32(t[i]>>32)-uint32(t[i-1]>>32)), uint(b.docBits))
	}
	for _, p := range t {
		w.put(uint64(uint16(p)-1), uint(b.tfBits))
	}
	pl.big.data = w.flush()
	pl.big.blocks = append(pl.big.blocks, b)
	pl.tail = nil // a kept buffer would cost 1 KiB for every list with blocks
}

// each calls fn with every posting in order.
func (pl *postingList) each(fn func(doc uint32, tf uint16)) {
	if pl.big != nil {
		var docs, tfs [blockSize]uint32
		for i := range pl.big.blocks {
			decodeBlock(&pl.big.blocks[i], pl.big.data, &docs, &tfs)
			for j := range docs {
				fn(docs[j], uint16(tfs[j]))
			}
		}
	}
	for _, p := range pl.tail {
		fn(uint32(p>>32), uint16(p))
	}
}

// bitWriter appends little-endian bit fields to a word slice.
type bitWriter struct {
	words []uint64
	cur   uint64
	n     uint
}

// put appends the low width bits of v.
func (w *bitWriter) put(v uint64, width uint) {
	if width == 0 {
		return
	}
	w.cur |= v << w.n
	w.n += width
	if w.n >= 64 {
		w.words = append(w.words, w.cur)
		w.n -= 64
		w.cur = v >> (width - w.n)
	}
}

// flush appends the partial last word and returns the words.
func (w *bitWriter) flush() []uint64 {
	if w.n > 0 {
		w.words = append(w.words, w.cur)
	}
	return w.words
}

// unpack reads len(dst) fields of width bits starting at bit off of words.
func unpack(dst []uint32, words []uint64, off, width uint) uint {
	if width == 0 {
		clear(dst)
		return off
	}
	mask := uint64(1)<<width - 1
	for i := range dst {
		w, s := off>>6, off&63
		v := words[w] >> s
		if s+width > 64 {
			v |= words[w+1] << (64 - s)
		}
		dst[i] = uint32(v & mask)
		off += width
	}
	return off
}

// decodeBlock unpacks block b of data into documents and frequencies.
func decodeBlock(b *block, data []uint64, docs, tfs *[blockSize]uint32) {
	words := data[b.off : int(b.off)+b.words()]
	off := unpack(docs[1:], words, 0, uint(b.docBits))
	docs[0] = b.base
	for i := 1; i < blockSize; i++ {
		docs[i] += docs[i-1]
	}
	unpack(tfs[:], words, off, uint(b.tfBits))
	for i := range tfs {
		tfs[i]++
	}
}
