package lakehouse

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/zero711/brain/internal/blob"
	"github.com/zero711/brain/internal/delta"
	"github.com/zero711/brain/internal/duckdb"
	"github.com/zero711/brain/internal/fulltext"
	"github.com/zero711/brain/internal/vector"
)

// chunkEntry is what search needs of a chunk without reading the tables.
type chunkEntry struct {
	ID       string
	Doc      string
	Text     string
	Section  string
	Page     int32
	Language string
}

// customerLake is one customer's opened lakehouse: table handles and the
// derived state (catalogue and indexes) stamped with the table versions it
// reflects.
type customerLake struct {
	id      string
	lh      *Lakehouse
	store   blob.Store
	tables  map[string]*delta.Table
	dir     string // index cache directory
	writeMu sync.Mutex

	refreshMu sync.Mutex // one refresh at a time
	mu        sync.RWMutex
	docs      map[string]*Document
	docFiles  map[string][]string // documents data file → document ids
	chunks    map[uint64]*chunkEntry
	docChunks map[string][]uint64 // document id → its chunk keys, so that a document's chunks need no walk
	chunkFile map[string][]uint64 // chunks data file → chunk keys
	textBytes int64               // bytes of the catalogue's strings, kept as entries come and go
	vec       *vector.Index
	text      *fulltext.Index
	docsVer   int64 // table versions reflected; -1: table absent
	chunksVer int64
	checked   time.Time // last look at the tables
	dirty     bool      // state differs from the saved indexes

	graphMu   sync.Mutex
	graphVer  [2]int64
	graphDocs int64
	graphVal  *graph

	sqlMu  sync.Mutex
	sqlEng *duckdb.Engine
}

func (l *Lakehouse) openCustomer(ctx context.Context, id string) (*customerLake, error) {
	store, err := l.storage.Tables(ctx, id)
	if err != nil {
		return nil, err
	}
	dir, err := l.storage.IndexDir(id)
	if err != nil {
		return nil, err
	}
	c := &customerLake{id: id, lh: l, store: store, dir: dir, tables: map[string]*delta.Table{}}
	for _, name := range coreTables {
		sub, err := blob.Sub(store, name)
		if err != nil {
			return nil, err
		}
		c.tables[name] = delta.New(sub, delta.Options{CheckpointInterval: l.opts.CheckpointInterval, Logger: l.log, Now: l.opts.Now})
	}
	if !c.load() {
		c.reset()
	}
	if err := c.refresh(ctx, true); err != nil {
		return nil, err
	}
	return c, nil
}

// reset empties the derived state, to be rebuilt from the tables.
func (c *customerLake) reset() {
	c.docs, c.docFiles = map[string]*Document{}, map[string][]string{}
	c.chunks, c.chunkFile, c.textBytes = map[uint64]*chunkEntry{}, map[string][]uint64{}, 0
	c.docChunks = map[string][]uint64{}
	c.vec = vector.New(c.lh.embedder.Dim(), vector.Options{})
	c.text = fulltext.New(fulltext.Options{})
	c.docsVer, c.chunksVer = -1, -1
	c.dirty = true
}

// MemoryBytes implements sizer.
func (c *customerLake) MemoryBytes() int64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	// Called after every request (cache accounting): no walk over the
	// catalogue, whose size is kept up to date instead.
	return c.vec.MemoryBytes() + c.text.MemoryBytes() + c.textBytes + int64(len(c.docs))*512
}

// Close saves the derived state and releases the SQL engine.
func (c *customerLake) Close() error {
	c.sqlMu.Lock()
	if c.sqlEng != nil {
		c.sqlEng.Close()
		c.sqlEng = nil
	}
	c.sqlMu.Unlock()
	if err := c.save(); err != nil {
		c.lh.log.Warn("lakehouse: save indexes", "customer", c.id, "err", err)
	}
	return nil
}

// snapshot returns the table's latest snapshot, or nil when it does not
// exist yet.
func (c *customerLake) snapshot(ctx context.Context, table string) (*delta.Snapshot, error) {
	snap, err := c.tables[table].Snapshot(ctx)
	if errors.Is(err, delta.ErrNoTable) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", table, err)
	}
	return snap, nil
}

// fresh refreshes the state when it may lag other nodes' writes.
func (c *customerLake) fresh(ctx context.Context) error {
	c.mu.RLock()
	stale := c.lh.opts.Now().Sub(c.checked) > c.lh.opts.RefreshInterval
	c.mu.RUnlock()
	if !stale {
		return nil
	}
	return c.refresh(ctx, false)
}

// refresh brings the derived state up to the tables' latest versions by
// reading only the data files added since, and dropping the keys of files
// removed since. It is incremental whatever happened in between: appends,
// deletes, compaction, other nodes' writes.
func (c *customerLake) refresh(ctx context.Context, opening bool) error {
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	docs, err := c.snapshot(ctx, TableDocuments)
	if err != nil {
		return wrap("refresh", err)
	}
	chunks, err := c.snapshot(ctx, TableChunks)
	if err != nil {
		return wrap("refresh", err)
	}
	if err := c.refreshDocs(ctx, docs); err != nil {
		return wrap("refresh documents", err)
	}
	if err := c.refreshChunks(ctx, chunks); err != nil {
		return wrap("refresh chunks", err)
	}
	c.mu.Lock()
	c.checked = c.lh.opts.Now()
	c.mu.Unlock()
	if opening && c.dirty {
		if err := c.save(); err != nil {
			c.lh.log.Warn("lakehouse: save indexes", "customer", c.id, "err", err)
		}
	}
	return nil
}

func version(s *delta.Snapshot) int64 {
	if s == nil {
		return -1
	}
	return s.Version()
}

// fileDiff returns the files of snap not in known, and the names in known
// that snap no longer has.
func fileDiff[V any](snap *delta.Snapshot, known map[string]V) (added []delta.FileInfo, removed []string) {
	live := map[string]bool{}
	if snap != nil {
		for _, f := range snap.Files() {
			live[f.Name] = true
			if _, ok := known[f.Name]; !ok {
				added = append(added, f)
			}
		}
	}
	for name := range known {
		if !live[name] {
			removed = append(removed, name)
		}
	}
	return added, removed
}

func (c *customerLake) refreshDocs(ctx context.Context, snap *delta.Snapshot) error {
	c.mu.RLock()
	same := version(snap) == c.docsVer
	added, removed := fileDiff(snap, c.docFiles)
	c.mu.RUnlock()
	if same {
		return nil
	}
	read := map[string][]*Document{}
	for _, f := range added {
		for r, err := range snap.FileRows(ctx, f, delta.ScanOptions{}) {
			if err != nil {
				return err
			}
			d, err := rowDocument(r)
			if err != nil {
				return err
			}
			read[f.Name] = append(read[f.Name], d)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, name := range removed {
		for _, id := range c.docFiles[name] {
			delete(c.docs, id)
		}
		delete(c.docFiles, name)
	}
	for _, f := range added {
		ids := []string{}
		for _, d := range read[f.Name] {
			c.docs[d.ID] = d
			ids = append(ids, d.ID)
		}
		c.docFiles[f.Name] = ids
	}
	// A document rewritten by compaction is in a removed and an added
	// file; make sure the added one wins.
	for _, f := range added {
		for _, d := range read[f.Name] {
			c.docs[d.ID] = d
		}
	}
	c.docsVer = version(snap)
	c.dirty = true
	return nil
}

func (c *customerLake) refreshChunks(ctx context.Context, snap *delta.Snapshot) error {
	c.mu.RLock()
	same := version(snap) == c.chunksVer
	added, removed := fileDiff(snap, c.chunkFile)
	c.mu.RUnlock()
	if same {
		return nil
	}
	model := c.lh.embedder.Model()
	type fileChunks struct {
		name  string
		rows  []*Chunk
		stale []int // rows whose embedding is of another model
	}
	var read []fileChunks
	for _, f := range added {
		fc := fileChunks{name: f.Name}
		for r, err := range snap.FileRows(ctx, f, delta.ScanOptions{}) {
			if err != nil {
				return err
			}
			ch, err := rowChunk(r)
			if err != nil {
				return err
			}
			if ch.Model != model || len(ch.Embedding) != c.lh.embedder.Dim() {
				fc.stale = append(fc.stale, len(fc.rows))
			}
			fc.rows = append(fc.rows, ch)
		}
		if err := c.reembed(ctx, fc.rows, fc.stale); err != nil {
			return err
		}
		read = append(read, fc)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, name := range removed {
		for _, k := range c.chunkFile[name] {
			c.dropChunk(k)
			c.vec.Delete(k)
			c.text.Delete(k)
		}
		delete(c.chunkFile, name)
	}
	for _, fc := range read {
		keys := make([]uint64, 0, len(fc.rows))
		vecs := make([][]float32, 0, len(fc.rows))
		for _, ch := range fc.rows {
			k := chunkKey(ch.ID)
			c.dropChunk(k)
			c.putChunk(k, &chunkEntry{ID: ch.ID, Doc: ch.DocumentID, Text: ch.Text, Section: ch.Section,
				Page: int32(ch.Page), Language: ch.Language})
			c.text.Add(k, ch.Section+"\n"+ch.Text, ch.Language)
			keys = append(keys, k)
			vecs = append(vecs, ch.Embedding)
		}
		if err := c.vec.AddBatch(keys, vecs); err != nil {
			return err
		}
		c.chunkFile[fc.name] = keys
	}
	c.chunksVer = version(snap)
	c.vec.SetStamp(vector.Stamp{TableVersion: uint64(c.chunksVer + 1), Model: model})
	c.text.SetStamp(fulltext.Stamp{TableVersion: uint64(c.chunksVer + 1), Meta: model})
	c.dirty = true
	return nil
}

// reembed computes embeddings with the current model for rows[i], i in
// stale: the table was written with another model (or none). The index
// uses them at once; Maintain writes them back to the table.
func (c *customerLake) reembed(ctx context.Context, rows []*Chunk, stale []int) error {
	const batch = 128
	for start := 0; start < len(stale); start += batch {
		idx := stale[start:min(start+batch, len(stale))]
		texts := make([]string, len(idx))
		for i, j := range idx {
			texts[i] = rows[j].Text
		}
		vecs, err := c.lh.embedder.Embed(ctx, texts, embedPassage)
		if err != nil {
			return fmt.Errorf("re-embed: %w", err)
		}
		for i, j := range idx {
			rows[j].Embedding, rows[j].Model = vecs[i], c.lh.embedder.Model()
		}
	}
	return nil
}

// entryBytes estimates the memory of a catalogue entry.
func entryBytes(e *chunkEntry) int64 {
	return int64(len(e.Text)+len(e.Section)+len(e.ID)+len(e.Doc)+len(e.Language)) + 120
}

// removeFromIndexes drops a document's chunks from search at once; the
// table rows follow.
func (c *customerLake) forgetDocument(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.docs, id)
	for _, k := range c.docChunks[id] {
		c.vec.Delete(k)
		c.text.Delete(k)
	}
	c.dirty = true
}

// putChunk adds a catalogue entry (c.mu held).
func (c *customerLake) putChunk(k uint64, e *chunkEntry) {
	c.chunks[k] = e
	c.docChunks[e.Doc] = append(c.docChunks[e.Doc], k)
	c.textBytes += entryBytes(e)
}

// dropChunk removes a catalogue entry, if there is one (c.mu held).
func (c *customerLake) dropChunk(k uint64) {
	e := c.chunks[k]
	if e == nil {
		return
	}
	delete(c.chunks, k)
	c.textBytes -= entryBytes(e)
	keys := c.docChunks[e.Doc]
	if i := slices.Index(keys, k); i >= 0 {
		keys = slices.Delete(keys, i, i+1)
	}
	if len(keys) == 0 {
		delete(c.docChunks, e.Doc)
	} else {
		c.docChunks[e.Doc] = keys
	}
}
