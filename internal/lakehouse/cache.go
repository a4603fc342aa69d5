package lakehouse

import (
	"container/list"
	"context"
	"fmt"
	"sync"
)

// sizer is what the cache keeps: something that knows its memory footprint
// and can let go of it.
type sizer interface {
	MemoryBytes() int64
	Close() error
}

// cache keeps opened per-customer state, least recently used first out,
// within a memory budget. Opening runs once per key even when many callers
// ask at once; a caller holding an entry keeps it usable after eviction
// (eviction only drops the cache's reference and closes it when the last
// user is done).
type cache[V sizer] struct {
	mu      sync.Mutex
	budget  int64
	used    int64
	order   *list.List // of *entry[V], front = most recent
	entries map[string]*entry[V]
	open    func(ctx context.Context, key string) (V, error)
}

type entry[V sizer] struct {
	key     string
	val     V
	size    int64
	refs    int
	evicted bool
	ready   chan struct{}
	err     error
	elem    *list.Element
}

func newCache[V sizer](budget int64, open func(ctx context.Context, key string) (V, error)) *cache[V] {
	return &cache[V]{budget: budget, order: list.New(), entries: map[string]*entry[V]{}, open: open}
}

// get returns the value for key, opening it if needed, and a release
// function the caller must call when done with it.
func (c *cache[V]) get(ctx context.Context, key string) (V, func(), error) {
	c.mu.Lock()
	e, ok := c.entries[key]
	if ok {
		e.refs++
		if e.elem != nil {
			c.order.MoveToFront(e.elem)
		}
		c.mu.Unlock()
		select {
		case <-e.ready:
		case <-ctx.Done():
			c.release(e)
			var zero V
			return zero, nil, ctx.Err()
		}
		if e.err != nil {
			c.release(e)
			var zero V
			return zero, nil, e.err
		}
		return e.val, func() { c.release(e) }, nil
	}
	e = &entry[V]{key: key, refs: 1, ready: make(chan struct{})}
	c.entries[key] = e
	c.mu.Unlock()

	v, err := c.open(ctx, key)
	c.mu.Lock()
	e.val, e.err = v, err
	if err != nil {
		delete(c.entries, key)
	} else {
		e.size = v.MemoryBytes()
		e.elem = c.order.PushFront(e)
		c.used += e.size
		c.evictLocked(e)
	}
	c.mu.Unlock()
	close(e.ready)
	if err != nil {
		var zero V
		return zero, nil, fmt.Errorf("lakehouse: open %s: %w", key, err)
	}
	return v, func() { c.release(e) }, nil
}

// resize records that an entry grew or shrank (after writes).
func (c *cache[V]) resize(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || e.elem == nil {
		return
	}
	n := e.val.MemoryBytes()
	c.used += n - e.size
	e.size = n
	c.evictLocked(e)
}

// evictLocked drops least recently used entries other than keep until the
// cache fits its budget.
func (c *cache[V]) evictLocked(keep *entry[V]) {
	for el := c.order.Back(); el != nil && c.used > c.budget; {
		prev := el.Prev()
		e := el.Value.(*entry[V])
		if e != keep {
			c.removeLocked(e)
		}
		el = prev
	}
}

func (c *cache[V]) removeLocked(e *entry[V]) {
	c.order.Remove(e.elem)
	e.elem = nil
	delete(c.entries, e.key)
	c.used -= e.size
	e.evicted = true
	if e.refs == 0 {
		_ = e.val.Close()
	}
}

func (c *cache[V]) release(e *entry[V]) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e.refs--
	if e.refs == 0 && e.evicted && e.err == nil {
		_ = e.val.Close()
	}
}

// drop evicts key now (after a customer is deleted, say).
func (c *cache[V]) drop(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok && e.elem != nil {
		c.removeLocked(e)
	}
}

// stats reports the cache's use.
func (c *cache[V]) stats() (entries int, used, budget int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries), c.used, c.budget
}

// closeAll closes every entry.
func (c *cache[V]) closeAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.entries {
		if e.elem != nil {
			c.removeLocked(e)
		}
	}
}
