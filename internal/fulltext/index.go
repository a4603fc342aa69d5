package fulltext

import (
	"math"
	"slices"
	"sync"
)

// Options configure an Index. The zero value is ready to use.
type Options struct {
	// K1 is BM25's term-frequency saturation; zero means 1.2.
	K1 float64
	// B is BM25's length normalisation; zero means 0.75, a negative value
	// turns length normalisation off.
	B float64
	// DefaultLanguage is the language of documents added without one whose
	// language DetectLanguage cannot tell; empty means German.
	DefaultLanguage string
}

// Stamp says which state of the source table an index reflects. The index
// only stores it: the caller sets it after catching up and compares it after
// loading.
type Stamp struct {
	TableVersion uint64
	Meta         string
}

// Hit is one search result.
type Hit struct {
	ID    uint64
	Score float32
}

// compactMin is the fewest deleted documents worth renumbering for.
const compactMin = 4096

// maxDocs bounds the document numbers; endDoc marks an exhausted cursor.
const (
	endDoc  = math.MaxUint32
	maxDocs = endDoc - 1
)

// Index is a BM25 full-text index. It is safe for concurrent use.
type Index struct {
	k1, b   float32
	defLang pipeline

	mu     sync.RWMutex
	terms  map[string]uint32 // term → term number
	lists  []postingList     // term number → postings
	ids    []uint64          // document number → id
	lens   []uint32          // document number → length in terms
	norms  []uint8           // document number → length code
	dead   []uint64          // bitset of deleted document numbers
	byID   map[uint64]uint32 // id of a live document → document number
	sumLen uint64            // sum of lens
	nDead  int
	stamp  Stamp
	seal   lengths // for sealing blocks; its average trails the true one
}

// New returns an empty index.
func New(opts Options) *Index {
	x := &Index{k1: 1.2, b: 0.75, defLang: germanPipe}
	if opts.K1 > 0 {
		x.k1 = float32(opts.K1)
	}
	if opts.B < 0 {
		x.b = 0
	} else if opts.B > 0 {
		x.b = float32(min(opts.B, 1))
	}
	if opts.DefaultLanguage != "" {
		x.defLang = pipelineOf(opts.DefaultLanguage)
	}
	x.reset()
	return x
}

// reset empties the index, keeping its options and stamp.
func (x *Index) reset() {
	x.terms = make(map[string]uint32)
	x.lists = nil
	x.ids, x.lens, x.norms, x.dead = nil, nil, nil, nil
	x.byID = make(map[uint64]uint32)
	x.sumLen, x.nDead = 0, 0
	x.seal = lengths{}
}

// Add indexes text under id, replacing what id held before. lang is "de",
// "en", another language code (indexed without stemming), or "" to let
// DetectLanguage decide.
func (x *Index) Add(id uint64, text, lang string) {
	p := x.defLang
	if lang == "" {
		lang = DetectLanguage(text)
	}
	if lang != "" {
		p = pipelineOf(lang)
	}
	terms := analyze(nil, text, p)
	slices.Sort(terms)

	x.mu.Lock()
	defer x.mu.Unlock()
	x.remove(id)
	doc := x.number(id, len(terms))
	ls := x.sealing()
	for i := 0; i < len(terms); {
		j := i + 1
		for j < len(terms) && terms[j] == terms[i] {
			j++
		}
		x.lists[x.termID(terms[i])].add(doc, uint16(min(j-i, maxTF)), ls)
		i = j
	}
	x.maybeCompact()
}

// Delete removes id and reports whether it was indexed.
func (x *Index) Delete(id uint64) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	ok := x.remove(id)
	x.maybeCompact()
	return ok
}

// Len returns the number of indexed documents.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.byID)
}

// SetStamp records which table state the index reflects; WriteTo saves it.
func (x *Index) SetStamp(s Stamp) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.stamp = s
}

// Stamp returns the stamp last set or loaded.
func (x *Index) Stamp() Stamp {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.stamp
}

// MemoryBytes estimates the heap the index holds.
func (x *Index) MemoryBytes() int64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	const (
		listSize   = 8 + 24      // postingList
		packedSize = 24 + 24     // packed
		blockBytes = 28          // block
		mapEntry   = 16 + 4 + 12 // key header, value, table overhead
		idEntry    = 8 + 4 + 8
	)
	n := int64(cap(x.lists)) * listSize
	for i := range x.lists {
		pl := &x.lists[i]
		n += int64(cap(pl.tail)) * 8
		if pl.big != nil {
			n += packedSize + int64(cap(pl.big.blocks))*blockBytes + int64(cap(pl.big.data))*8
		}
	}
	for t := range x.terms {
		n += mapEntry + int64(len(t))
	}
	n += int64(cap(x.ids))*8 + int64(cap(x.lens))*4 + int64(cap(x.norms)) + int64(cap(x.dead))*8
	n += int64(len(x.byID)) * idEntry
	return n
}

// remove marks the document of id deleted.
func (x *Index) remove(id uint64) bool {
	doc, ok := x.byID[id]
	if !ok {
		return false
	}
	delete(x.byID, id)
	x.dead[doc>>6] |= 1 << (doc & 63)
	x.nDead++
	return true
}

// number gives id the next document number.
func (x *Index) number(id uint64, length int) uint32 {
	if len(x.ids) >= maxDocs {
		x.compact()
		if len(x.ids) >= maxDocs {
			panic("fulltext: more than 2^32-2 live documents")
		}
	}
	doc := uint32(len(x.ids))
	if doc&63 == 0 {
		x.dead = append(x.dead, 0)
	}
	length = min(length, math.MaxUint32)
	x.ids = append(x.ids, id)
	x.lens = append(x.lens, uint32(length))
	x.norms = append(x.norms, normCode(length))
	x.sumLen += uint64(length)
	x.byID[id] = doc
	return doc
}

// avgLen returns the average document length, at least 1.
func (x *Index) avgLen() float32 {
	if len(x.ids) == 0 {
		return 1
	}
	return max(float32(float64(x.sumLen)/float64(len(x.ids))), 1)
}

// sealing returns the lengths for sealing blocks, taking a new average when
// the true one has moved by more than 1 %: blocks stay valid under any
// average, but are tightest near the one they were sealed at.
func (x *Index) sealing() *lengths {
	avg := x.avgLen()
	if x.seal.nt == nil || avg > x.seal.avg*1.01 || avg < x.seal.avg*0.99 {
		x.seal = lengths{nt: normTable(x.k1, x.b, avg), avg: avg}
	}
	x.seal.norms = x.norms
	return &x.seal
}

// termID returns the number of term t, adding it when new.
func (x *Index) termID(t string) uint32 {
	if id, ok := x.terms[t]; ok {
		return id
	}
	id := uint32(len(x.lists))
	x.terms[t] = id
	x.lists = append(x.lists, postingList{})
	return id
}

// names returns the terms by number. The index does not keep this slice: it
// would cost 16 bytes a term, and most terms of a corpus occur once.
func (x *Index) names() []string {
	names := make([]string, len(x.lists))
	for t, id := range x.terms {
		names[id] = t
	}
	return names
}

// isDead reports whether document number doc is deleted.
func (x *Index) isDead(doc uint32) bool {
	return x.dead[doc>>6]&(1<<(doc&63)) != 0
}

// maybeCompact renumbers once the deleted outnumber the live documents, so
// that the work is paid for by as many deletes as it removes.
func (x *Index) maybeCompact() {
	if x.nDead >= compactMin && x.nDead > len(x.byID) {
		x.compact()
	}
}

// compact drops deleted documents and the terms only they held, and numbers
// the rest densely again, keeping their order.
func (x *Index) compact() {
	remap := make([]uint32, len(x.ids))
	ids := make([]uint64, 0, len(x.byID))
	lens := make([]uint32, 0, len(x.byID))
	norms := make([]uint8, 0, len(x.byID))
	var sumLen uint64
	for doc, id := range x.ids {
		if x.isDead(uint32(doc)) {
			remap[doc] = endDoc
			continue
		}
		remap[doc] = uint32(len(ids))
		x.byID[id] = uint32(len(ids))
		ids, lens, norms = append(ids, id), append(lens, x.lens[doc]), append(norms, x.norms[doc])
		sumLen += uint64(x.lens[doc])
	}
	terms := make(map[string]uint32, len(x.terms))
	var lists []postingList
	avg := float32(1)
	if len(ids) > 0 {
		avg = max(float32(float64(sumLen)/float64(len(ids))), 1)
	}
	ls := &lengths{norms: norms, nt: normTable(x.k1, x.b, avg), avg: avg}
	for i, name := range x.names() {
		var pl postingList
		x.lists[i].each(func(doc uint32, tf uint16) {
			if d := remap[doc]; d != endDoc {
				pl.add(d, tf, ls)
			}
		})
		if pl.df() > 0 {
			terms[name] = uint32(len(lists))
			lists = append(lists, pl)
		}
	}
	x.terms, x.lists = terms, lists
	x.ids, x.lens, x.norms, x.sumLen = ids, lens, norms, sumLen
	x.dead = make([]uint64, (len(ids)+63)/64)
	x.nDead = 0
	x.seal = *ls
}
