package vector

// item is a node with its similarity to the query.
type item struct {
	score float32
	node  uint32
}

// better orders items best first: higher score, then lower node, so that
// ties break the same way in every run.
func better(a, b item) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.node < b.node
}

// maxHeap keeps the best item on top: the candidate queue of a search.
type maxHeap []item

func (h *maxHeap) push(it item) {
	s := append(*h, it)
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !better(s[i], s[p]) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
	*h = s
}

func (h *maxHeap) pop() item {
	s := *h
	top := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s = s[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		c := l
		if r := l + 1; r < n && better(s[r], s[l]) {
			c = r
		}
		if !better(s[c], s[i]) {
			break
		}
		s[i], s[c] = s[c], s[i]
		i = c
	}
	*h = s
	return top
}

// minHeap keeps the worst item on top: the bounded result set of a search,
// whose top is the score a newcomer has to beat.
type minHeap []item

func (h *minHeap) push(it item) {
	s := append(*h, it)
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !better(s[p], s[i]) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
	*h = s
}

func (h *minHeap) pop() item {
	s := *h
	top := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s = s[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		c := l
		if r := l + 1; r < n && better(s[l], s[r]) {
			c = r
		}
		if !better(s[i], s[c]) {
			break
		}
		s[i], s[c] = s[c], s[i]
		i = c
	}
	*h = s
	return top
}

// offer adds it to a result set bounded to k items.
func (h *minHeap) offer(it item, k int) {
	if len(*h) < k {
		h.push(it)
		return
	}
	if better(it, (*h)[0]) {
		h.pop()
		h.push(it)
	}
}

// drain empties the heap into dst, best first.
func (h *minHeap) drain(dst []item) []item {
	n := len(*h)
	start := len(dst)
	dst = append(dst, make([]item, n)...)
	for i := n - 1; i >= 0; i-- {
		dst[start+i] = h.pop()
	}
	return dst
}

// visited is a set of nodes that is cleared in O(1) by bumping a
// generation; one lives in each pooled searcher.
type visited struct {
	marks []uint16
	gen   uint16
}

func (v *visited) reset(n int) {
	if len(v.marks) < n {
		v.marks = make([]uint16, n+n/4)
		v.gen = 0
	}
	v.gen++
	if v.gen == 0 {
		clear(v.marks)
		v.gen = 1
	}
}

// visit marks node and reports whether it was unmarked.
func (v *visited) visit(node uint32) bool {
	if int(node) >= len(v.marks) {
		// A writer added nodes after the search started.
		m := make([]uint16, int(node)+len(v.marks)/4+1024)
		copy(m, v.marks)
		v.marks = m
	}
	if v.marks[node] == v.gen {
		return false
	}
	v.marks[node] = v.gen
	return true
}
