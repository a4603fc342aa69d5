package fulltext

// cursor walks one posting list for a query. Blocks are numbered 0 to
// len(blocks); number len(blocks) is the tail, when it is not empty.
type cursor struct {
	pl     *postingList
	blocks []block
	data   []uint64
	nblk   int // number of blocks, tail included
	blk    int // current block; nblk when exhausted
	loaded int // block held in docs and tfs; -1 for none
	pos, n int // position in and size of the loaded block
	doc    uint32
	weight float32 // query weight × idf × (k1+1)
	ub     float32 // bound of the term's score in any document
	bb     float32 // bound of the term's score in the current block
	nt     *[256]float32
	norms  []uint8
	avg    float32 // average document length
	tailUB float32 // bound of the tail, exact
	docs   [blockSize]uint32
	tfs    [blockSize]uint32
}

// init positions c on the first posting of pl.
func (c *cursor) init(pl *postingList, weight float32, ls *lengths) {
	c.pl, c.blocks, c.data = pl, nil, nil
	if pl.big != nil {
		c.blocks, c.data = pl.big.blocks, pl.big.data
	}
	c.nblk = len(c.blocks)
	if len(pl.tail) > 0 {
		c.nblk++
	}
	c.weight, c.nt, c.norms, c.avg = weight, ls.nt, ls.norms, ls.avg
	c.tailUB = 0
	for _, p := range pl.tail {
		tf := float32(uint16(p))
		c.tailUB = max(c.tailUB, weight*(tf/(tf+c.nt[c.norms[p>>32]])))
	}
	c.ub = 0
	for i := 0; i < c.nblk; i++ {
		c.ub = max(c.ub, c.bound(i))
	}
	c.blk, c.loaded = 0, -1
	c.bb = c.bound(0)
	c.load()
}

// bound returns the largest score the term can reach in block i.
func (c *cursor) bound(i int) float32 {
	switch {
	case i < len(c.blocks):
		b := &c.blocks[i]
		tf := float32(b.maxTF)
		corner := tf / (tf + c.nt[b.minNorm])
		return c.weight * min(corner, b.impact*max(1, c.avg/b.avg))
	case i < c.nblk:
		return c.tailUB
	}
	return 0
}

// blockLast returns the last document of the current block, endDoc when
// exhausted.
func (c *cursor) blockLast() uint32 {
	switch {
	case c.blk < len(c.blocks):
		return c.blocks[c.blk].last
	case c.blk < c.nblk:
		return uint32(c.pl.tail[len(c.pl.tail)-1] >> 32)
	}
	return endDoc
}

// load decodes the current block and positions c on its first posting.
func (c *cursor) load() {
	c.pos = 0
	switch {
	case c.blk < len(c.blocks):
		decodeBlock(&c.blocks[c.blk], c.data, &c.docs, &c.tfs)
		c.n = blockSize
	case c.blk < c.nblk:
		for i, p := range c.pl.tail {
			c.docs[i], c.tfs[i] = uint32(p>>32), uint32(uint16(p))
		}
		c.n = len(c.pl.tail)
	default:
		c.n, c.doc = 0, endDoc
		return
	}
	c.loaded = c.blk
	c.doc = c.docs[0]
}

// next moves to the following posting.
func (c *cursor) next() {
	c.pos++
	if c.pos < c.n {
		c.doc = c.docs[c.pos]
		return
	}
	c.blk++
	c.bb = c.bound(c.blk)
	c.load()
}

// shallow moves the block pointer to the block that may hold target,
// without decoding it.
func (c *cursor) shallow(target uint32) {
	if c.blockLast() >= target {
		return
	}
	for c.blk++; c.blk < c.nblk && c.blockLast() < target; c.blk++ {
	}
	c.bb = c.bound(c.blk)
}

// advance moves to the first posting at or after target.
func (c *cursor) advance(target uint32) {
	if c.doc >= target {
		return
	}
	c.shallow(target)
	if c.blk >= c.nblk {
		c.doc = endDoc
		return
	}
	if c.loaded != c.blk {
		c.load()
	}
	for c.docs[c.pos] < target {
		c.pos++
	}
	c.doc = c.docs[c.pos]
}

// score returns the term's BM25 contribution for the current document.
func (c *cursor) score() float32 {
	tf := float32(c.tfs[c.pos])
	return c.weight * (tf / (tf + c.nt[c.norms[c.doc]]))
}
