package lakehouse

import (
	"bufio"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"

	"github.com/zero711/brain/internal/embed"
	"github.com/zero711/brain/internal/fulltext"
	"github.com/zero711/brain/internal/vector"
)

const (
	embedPassage = embed.Passage
	embedQuery   = embed.Query
)

// savedState is the catalogue saved beside the indexes.
type savedState struct {
	Format    int
	Model     string
	DocsVer   int64
	ChunksVer int64
	Docs      []*Document
	DocFiles  map[string][]string
	Chunks    []*chunkEntry
	ChunkFile map[string][]uint64
}

const stateFormat = 1

// save writes the derived state to the index directory: each file to a
// temporary name first, then renamed, the catalogue last, so that a crash
// leaves either the old or the new set (a mixed set fails the stamp check
// on load and is rebuilt).
func (c *customerLake) save() error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if !c.dirty {
		return nil
	}
	if err := os.MkdirAll(c.dir, 0o750); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(c.dir, "vectors.hnsw"), func(w *bufio.Writer) error {
		_, err := c.vec.WriteTo(w)
		return err
	}); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(c.dir, "text.bm25"), func(w *bufio.Writer) error {
		_, err := c.text.WriteTo(w)
		return err
	}); err != nil {
		return err
	}
	st := savedState{Format: stateFormat, Model: c.lh.embedder.Model(), DocsVer: c.docsVer, ChunksVer: c.chunksVer,
		DocFiles: c.docFiles, ChunkFile: c.chunkFile}
	for _, d := range c.docs {
		st.Docs = append(st.Docs, d)
	}
	for _, e := range c.chunks {
		st.Chunks = append(st.Chunks, e)
	}
	if err := writeFile(filepath.Join(c.dir, "catalog.gob"), func(w *bufio.Writer) error {
		return gob.NewEncoder(w).Encode(&st)
	}); err != nil {
		return err
	}
	c.dirty = false
	return nil
}

func writeFile(path string, fn func(*bufio.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = fn(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	return os.Rename(tmp, path)
}

// load reads the saved state; false means there is none usable (missing,
// corrupt, another model or mismatched stamps) and the caller rebuilds.
func (c *customerLake) load() bool {
	var st savedState
	if err := readFile(filepath.Join(c.dir, "catalog.gob"), func(r *bufio.Reader) error {
		return gob.NewDecoder(r).Decode(&st)
	}); err != nil {
		return false
	}
	model := c.lh.embedder.Model()
	if st.Format != stateFormat || st.Model != model {
		return false
	}
	var vec *vector.Index
	if err := readFile(filepath.Join(c.dir, "vectors.hnsw"), func(r *bufio.Reader) error {
		var err error
		vec, err = vector.Load(r, vector.Options{})
		return err
	}); err != nil || vec.Dim() != c.lh.embedder.Dim() || vec.Stamp() != (vector.Stamp{TableVersion: uint64(st.ChunksVer + 1), Model: model}) {
		c.lh.log.Info("lakehouse: vector index unusable, rebuilding", "customer", c.id, "err", err)
		return false
	}
	text := fulltext.New(fulltext.Options{})
	if err := readFile(filepath.Join(c.dir, "text.bm25"), func(r *bufio.Reader) error {
		_, err := text.ReadFrom(r)
		return err
	}); err != nil || text.Stamp() != (fulltext.Stamp{TableVersion: uint64(st.ChunksVer + 1), Meta: model}) {
		c.lh.log.Info("lakehouse: text index unusable, rebuilding", "customer", c.id, "err", err)
		return false
	}
	c.docs, c.docFiles = map[string]*Document{}, st.DocFiles
	for _, d := range st.Docs {
		c.docs[d.ID] = d
	}
	c.chunks, c.chunkFile = map[uint64]*chunkEntry{}, st.ChunkFile
	c.docChunks, c.textBytes = map[string][]uint64{}, 0
	for _, e := range st.Chunks {
		c.putChunk(chunkKey(e.ID), e)
	}
	if c.docFiles == nil {
		c.docFiles = map[string][]string{}
	}
	if c.chunkFile == nil {
		c.chunkFile = map[string][]uint64{}
	}
	c.vec, c.text, c.docsVer, c.chunksVer = vec, text, st.DocsVer, st.ChunksVer
	return true
}

func readFile(path string, fn func(*bufio.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return fn(bufio.NewReaderSize(f, 1<<20))
}
