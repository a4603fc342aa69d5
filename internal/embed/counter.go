package embed

// counter counts feature occurrences in one text. It is an open-addressing
// hash table keyed by the feature's 64-bit hash that remembers insertion
// order, so iterating it is deterministic and clearing it costs only the
// entries used. A builtin Go map would do, but this is several times faster
// on the embedder's hot path and never allocates once grown.
type counter struct {
	slots []slot  // power-of-two table; key 0 marks an empty slot
	order []int32 // occupied slot indexes in insertion order
}

type slot struct {
	key    uint64
	count  uint32
	weight float32
}

// add counts one occurrence of the feature key, whose weight is fixed by its
// kind. key must not be 0.
func (c *counter) add(key uint64, weight float32) {
	if 2*(len(c.order)+1) > len(c.slots) {
		c.grow()
	}
	mask := uint64(len(c.slots) - 1)
	for i := key & mask; ; i = (i + 1) & mask {
		s := &c.slots[i]
		if s.key == key {
			s.count++
			return
		}
		if s.key == 0 {
			*s = slot{key: key, count: 1, weight: weight}
			c.order = append(c.order, int32(i))
			return
		}
	}
}

// grow doubles the table, keeping the insertion order.
func (c *counter) grow() {
	old := c.slots
	n := 2 * len(old)
	if n < 1024 {
		n = 1024
	}
	c.slots = make([]slot, n)
	mask := uint64(n - 1)
	for j, oi := range c.order {
		s := old[oi]
		i := s.key & mask
		for c.slots[i].key != 0 {
			i = (i + 1) & mask
		}
		c.slots[i] = s
		c.order[j] = int32(i)
	}
}

// maxKeptSlots bounds the table a reset keeps: one huge text must not pin
// its memory in the featurizer pool.
const maxKeptSlots = 1 << 16

// reset empties the table.
func (c *counter) reset() {
	if len(c.slots) > maxKeptSlots {
		*c = counter{}
		return
	}
	for _, i := range c.order {
		c.slots[i] = slot{}
	}
	c.order = c.order[:0]
}
