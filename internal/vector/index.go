package vector

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
)

// Sentinel errors; the functions of this package wrap them, so test with
// errors.Is.
var (
	// ErrDimension reports a vector whose length is not the index's
	// dimension.
	ErrDimension = errors.New("vector: dimension mismatch")
	// ErrInvalid reports a vector with a NaN or infinite component, or
	// arguments that do not fit together.
	ErrInvalid = errors.New("vector: invalid argument")
	// ErrCorrupt reports an index file that is truncated, fails its
	// checksum or is inconsistent; the caller should rebuild the index.
	ErrCorrupt = errors.New("vector: corrupt index file")
	// ErrVersion reports an index file in a format version this package
	// does not read; the caller should rebuild the index.
	ErrVersion = errors.New("vector: unsupported index file version")
)

// Default tuning: recall@10 >= 0.95 on the synthetic clustered and
// text-like data of bench_test.go up to 1M vectors (see doc.go). M above
// 16 bought no recall per millisecond of search there, only build time.
const (
	DefaultM              = 16
	DefaultEfConstruction = 128
	DefaultEfSearch       = 256
	DefaultMaxTombstones  = 0.2
)

// Limits that also bound what a file may declare.
const (
	maxDim   = 1 << 16
	maxM     = 128
	maxLevel = 16
	maxSlots = 1 << 31
)

// Options tunes an index. The zero value of each field means its default.
type Options struct {
	// M is the number of neighbours a node keeps on the upper layers;
	// layer 0 keeps 2*M. Larger M raises recall and memory (8*M bytes
	// per vector) and slows the build.
	M int
	// EfConstruction is the width of the search that picks a new node's
	// neighbours. Larger is a better graph and a slower build.
	EfConstruction int
	// EfSearch is the width of a query's search on layer 0 (at least k
	// is used). It trades latency for recall and may be changed on a
	// loaded index.
	EfSearch int
	// Seed seeds the choice of node levels. With Workers 1 the same
	// inserts in the same order build the same graph.
	Seed uint64
	// Workers is the number of goroutines AddBatch links with; default
	// GOMAXPROCS.
	Workers int
	// MaxTombstones is the share of deleted nodes, among all nodes, above
	// which a write compacts the graph; negative never compacts
	// automatically (call Compact).
	MaxTombstones float64
}

func (o Options) withDefaults() Options {
	if o.M <= 0 {
		o.M = DefaultM
	}
	o.M = min(max(o.M, 2), maxM)
	if o.EfConstruction <= 0 {
		o.EfConstruction = DefaultEfConstruction
	}
	o.EfConstruction = max(o.EfConstruction, o.M)
	if o.EfSearch <= 0 {
		o.EfSearch = DefaultEfSearch
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.MaxTombstones == 0 {
		o.MaxTombstones = DefaultMaxTombstones
	}
	return o
}

// Hit is one search result.
type Hit struct {
	ID    uint64
	Score float32 // dot product with the query: the cosine for unit vectors
}

// Stamp is caller metadata stored in an index file's header, so that the
// owner can tell whether a saved index reflects the current table version
// and embedding model without reading the whole file (ReadInfo).
type Stamp struct {
	TableVersion uint64
	Model        string // at most 1024 bytes
}

// Node states. Readers return only live nodes; they may traverse pending
// and deleted ones. Free slots are linked from nowhere.
const (
	stateFree uint32 = iota
	statePending
	stateLive
	stateDeleted
)

// page holds a fixed number of consecutive slots, so that growing the
// index never moves a vector that a reader may be looking at.
type page struct {
	vec   []float32  // pageSize*dim
	link0 []uint32   // pageSize*(1+2M): a count, then the layer-0 neighbours
	upper [][]uint32 // per slot: level*(1+M), the lists of layers 1..level
	ids   []uint64
	state []uint32 // atomic
}

// Index is an HNSW graph over unit vectors with dot-product similarity.
//
// Searches run concurrently with each other and with one writer at a time
// (Add, AddBatch, Delete, Compact, WriteTo); writers queue. Readers take no
// lock on the graph: neighbour lists are read and written with atomic
// operations and vectors never change while a node is reachable. The only
// exclusive step is the end of a compaction, which frees deleted slots.
type Index struct {
	dim   int
	opts  Options
	shift uint   // log2 of the slots per page
	mask  uint32 // slots per page - 1
	m0    int    // layer-0 neighbours
	mult  float64

	efSearch atomic.Int64
	pages    atomic.Pointer[[]*page]
	n        atomic.Uint32 // slots ever allocated
	entry    atomic.Uint64 // (level+1)<<32 | node; 0 when empty
	live     atomic.Int64
	dead     atomic.Int64
	upperLen atomic.Int64 // uint32s held in upper lists, for MemoryBytes

	mu   sync.RWMutex // readers share; compaction frees slots exclusively
	wmu  sync.Mutex   // one writer at a time
	epMu sync.Mutex   // entry changes by parallel AddBatch workers

	stamp atomic.Pointer[Stamp]

	// Written under wmu; ids is also guarded by idsMu, so that readers
	// (lookup) need not wait for a long AddBatch.
	idsMu sync.RWMutex
	ids   map[uint64]uint32
	free  []uint32
	rng   *rand.Rand

	locks [256]sync.Mutex // node stripes, for parallel linking
	// A separate object: the runtime's list of pools would otherwise keep
	// a dropped index alive for two more collections.
	searchers *sync.Pool
}

// New returns an empty index of vectors of dim components.
func New(dim int, opts Options) *Index {
	if dim <= 0 || dim > maxDim {
		panic(fmt.Sprintf("vector: dimension %d out of range", dim))
	}
	o := opts.withDefaults()
	x := &Index{
		dim:  dim,
		opts: o,
		m0:   2 * o.M,
		mult: 1 / math.Log(float64(o.M)),
		ids:  make(map[uint64]uint32),
		rng:  rand.New(rand.NewPCG(o.Seed, 0x0711)),
	}
	slot := 4*dim + 4*(1+x.m0) + 8 + 4 + 24
	per := max(1, (1<<20)/slot) // pages of about 1 MiB
	for 1<<(x.shift+1) <= per {
		x.shift++
	}
	x.mask = 1<<x.shift - 1
	x.efSearch.Store(int64(o.EfSearch))
	x.pages.Store(new([]*page))
	x.searchers = &sync.Pool{New: func() any { return new(searcher) }}
	return x
}

// Dim returns the dimension of the index's vectors.
func (x *Index) Dim() int { return x.dim }

// Len returns the number of live vectors.
func (x *Index) Len() int { return int(x.live.Load()) }

// SetEfSearch changes the search width; values below 1 restore the
// default.
func (x *Index) SetEfSearch(ef int) {
	if ef <= 0 {
		ef = DefaultEfSearch
	}
	x.efSearch.Store(int64(ef))
}

// Stamp returns the caller metadata saved with the index.
func (x *Index) Stamp() Stamp {
	if s := x.stamp.Load(); s != nil {
		return *s
	}
	return Stamp{}
}

// SetStamp sets the caller metadata that WriteTo saves in the header.
func (x *Index) SetStamp(s Stamp) error {
	if len(s.Model) > maxModel {
		return fmt.Errorf("vector: stamp: model name of %d bytes: %w", len(s.Model), ErrInvalid)
	}
	x.stamp.Store(&s)
	return nil
}

// MemoryBytes estimates the heap held by the index: vectors, graph, id
// map and per-slot bookkeeping.
func (x *Index) MemoryBytes() int64 {
	pages := *x.pages.Load()
	var b int64
	for _, p := range pages {
		b += int64(len(p.vec))*4 + int64(len(p.link0))*4 + int64(len(p.ids))*8 +
			int64(len(p.state))*4 + int64(len(p.upper))*24
	}
	b += x.upperLen.Load() * 4
	b += (x.live.Load() + x.dead.Load()) * 32 // id map: swiss table slots and control bytes
	return b
}

func (x *Index) pageSize() int { return 1 << x.shift }

func (x *Index) newPage() *page {
	n := x.pageSize()
	return &page{
		vec:   make([]float32, n*x.dim),
		link0: make([]uint32, n*(1+x.m0)),
		upper: make([][]uint32, n),
		ids:   make([]uint64, n),
		state: make([]uint32, n),
	}
}

// stateOf loads a node's state; safe for readers.
func (x *Index) stateOf(pages []*page, node uint32) uint32 {
	return atomic.LoadUint32(&pages[node>>x.shift].state[node&x.mask])
}

func (x *Index) setState(pages []*page, node, s uint32) {
	atomic.StoreUint32(&pages[node>>x.shift].state[node&x.mask], s)
}

// vec returns a node's vector.
func (x *Index) vec(pages []*page, node uint32) []float32 {
	off := int(node&x.mask) * x.dim
	return pages[node>>x.shift].vec[off : off+x.dim : off+x.dim]
}

// list returns a node's neighbour list on a layer: element 0 is the count
// (read and written atomically), the rest the neighbours.
func (x *Index) list(pages []*page, node uint32, level int) []uint32 {
	p := pages[node>>x.shift]
	i := int(node & x.mask)
	if level == 0 {
		off := i * (1 + x.m0)
		return p.link0[off : off+1+x.m0 : off+1+x.m0]
	}
	s := 1 + x.opts.M
	off := (level - 1) * s
	return p.upper[i][off : off+s : off+s]
}

// levelOf returns the top layer of a node.
func (x *Index) levelOf(pages []*page, node uint32) int {
	return len(pages[node>>x.shift].upper[node&x.mask]) / (1 + x.opts.M)
}

func (x *Index) maxNeighbours(level int) int {
	if level == 0 {
		return x.m0
	}
	return x.opts.M
}

func encodeEntry(node uint32, level int) uint64 { return uint64(level+1)<<32 | uint64(node) }

func decodeEntry(e uint64) (node uint32, level int, ok bool) {
	return uint32(e), int(e>>32) - 1, e != 0
}

// lookup returns the node of a live or just-deleted id; safe for readers.
func (x *Index) lookup(id uint64) (uint32, bool) {
	x.idsMu.RLock()
	defer x.idsMu.RUnlock()
	node, ok := x.ids[id]
	return node, ok
}

// checkVector validates a caller's vector.
func (x *Index) checkVector(v []float32) error {
	if len(v) != x.dim {
		return fmt.Errorf("%w: got %d components, index has %d", ErrDimension, len(v), x.dim)
	}
	for _, f := range v {
		if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
			return fmt.Errorf("%w: non-finite component", ErrInvalid)
		}
	}
	return nil
}
