package lakehouse

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

type fake struct {
	size   int64
	closed atomic.Bool
}

func (f *fake) MemoryBytes() int64 { return f.size }
func (f *fake) Close() error       { f.closed.Store(true); return nil }

func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	opened := map[string]int{}
	var mu sync.Mutex
	c := newCache(250, func(_ context.Context, key string) (*fake, error) {
		mu.Lock()
		opened[key]++
		mu.Unlock()
		if key == "bad" {
			return nil, errors.New("corrupt")
		}
		return &fake{size: 100}, nil
	})
	ctx := context.Background()
	get := func(k string) *fake {
		v, rel, err := c.get(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		rel()
		return v
	}
	a := get("a")
	get("b")
	get("a") // a is now more recent than b
	get("c") // over budget: b goes
	if n, used, _ := c.stats(); n != 2 || used != 200 {
		t.Fatalf("entries %d used %d", n, used)
	}
	if a.closed.Load() {
		t.Fatal("recently used entry evicted")
	}
	get("b")
	if opened["b"] != 2 || opened["a"] != 1 {
		t.Fatalf("opens %v", opened)
	}
	if _, _, err := c.get(ctx, "bad"); err == nil {
		t.Fatal("open error swallowed")
	}
	if _, _, err := c.get(ctx, "bad"); err == nil || opened["bad"] != 2 {
		t.Fatal("failed open cached")
	}
}

func TestCacheHeldEntrySurvivesEviction(t *testing.T) {
	t.Parallel()
	c := newCache(100, func(_ context.Context, key string) (*fake, error) { return &fake{size: 100}, nil })
	ctx := context.Background()
	a, relA, _ := c.get(ctx, "a")
	_, relB, _ := c.get(ctx, "b") // evicts a, which is still held
	if a.closed.Load() {
		t.Fatal("closed while held")
	}
	relA()
	if !a.closed.Load() {
		t.Fatal("not closed after release")
	}
	relB()
}

func TestCacheOpensOnce(t *testing.T) {
	t.Parallel()
	var opens atomic.Int32
	c := newCache(1<<30, func(_ context.Context, key string) (*fake, error) {
		opens.Add(1)
		return &fake{size: 1}, nil
	})
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, rel, err := c.get(context.Background(), fmt.Sprint(i%2))
			if err != nil {
				t.Error(err)
				return
			}
			rel()
		}()
	}
	wg.Wait()
	if opens.Load() != 2 {
		t.Fatalf("opened %d times, want 2", opens.Load())
	}
}
