package lakehouse

import (
	"context"
	"errors"
	"sort"

	"github.com/zero711/brain/internal/delta"
)

// DocumentPage is a page of documents, newest first.
type DocumentPage struct {
	Documents []*Document `json:"documents"`
	Total     int         `json:"total"`
}

// ListDocuments returns the customer's documents, newest first, optionally
// only one expert domain's.
func (l *Lakehouse) ListDocuments(ctx context.Context, customerID, domain string, offset, limit int) (*DocumentPage, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var out DocumentPage
	err := l.with(ctx, customerID, func(c *customerLake) error {
		if err := c.fresh(ctx); err != nil {
			return err
		}
		c.mu.RLock()
		all := make([]*Document, 0, len(c.docs))
		for _, d := range c.docs {
			if domain == "" || d.Domain == domain {
				all = append(all, d)
			}
		}
		c.mu.RUnlock()
		sort.Slice(all, func(i, j int) bool {
			if !all[i].CreatedAt.Equal(all[j].CreatedAt) {
				return all[i].CreatedAt.After(all[j].CreatedAt)
			}
			return all[i].ID < all[j].ID
		})
		out.Total = len(all)
		if offset < len(all) {
			out.Documents = all[offset:min(len(all), offset+limit)]
		}
		if out.Documents == nil {
			out.Documents = []*Document{}
		}
		return nil
	})
	return &out, wrap("list documents", err)
}

// DocumentDetail is a document with its chunks.
type DocumentDetail struct {
	Document *Document `json:"document"`
	Chunks   []Chunk   `json:"chunks"`
}

// GetDocument returns one document of the customer with its chunks in
// order; brain.ENOTFOUND if it does not exist.
func (l *Lakehouse) GetDocument(ctx context.Context, customerID, documentID string) (*DocumentDetail, error) {
	var out DocumentDetail
	err := l.with(ctx, customerID, func(c *customerLake) error {
		if err := c.fresh(ctx); err != nil {
			return err
		}
		c.mu.RLock()
		defer c.mu.RUnlock()
		d, ok := c.docs[documentID]
		if !ok {
			return notFound("document", documentID)
		}
		out.Document = d
		for _, k := range c.docChunks[documentID] {
			e := c.chunks[k]
			out.Chunks = append(out.Chunks, Chunk{ID: e.ID, DocumentID: e.Doc, Text: e.Text, Section: e.Section,
				Page: int(e.Page), Language: e.Language})
		}
		sort.Slice(out.Chunks, func(i, j int) bool { return chunkLess(out.Chunks[i].ID, out.Chunks[j].ID) })
		for i := range out.Chunks {
			out.Chunks[i].Position = i
		}
		return nil
	})
	return &out, wrap("get document", err)
}

// chunkLess orders chunk ids "doc:2" before "doc:10".
func chunkLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// TableInfo describes one table of a customer's lakehouse.
type TableInfo struct {
	Name     string   `json:"name"`
	Kind     string   `json:"kind"` // "core" or "user"
	Version  int64    `json:"version"`
	Files    int      `json:"files"`
	Rows     int64    `json:"rows"`
	Bytes    int64    `json:"bytes"`
	Columns  []Column `json:"columns"`
	Exists   bool     `json:"exists"`
	Modified string   `json:"modified,omitempty"`
}

// Column is a column of a table.
type Column struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Nullable bool   `json:"nullable"`
}

// Tables describes every table of the customer: the core tables (also
// before their first write) and the user tables.
func (l *Lakehouse) Tables(ctx context.Context, customerID string) ([]TableInfo, error) {
	var out []TableInfo
	err := l.with(ctx, customerID, func(c *customerLake) error {
		all, err := c.allTables(ctx)
		if err != nil {
			return err
		}
		names := make([]string, 0, len(all))
		for n := range all {
			names = append(names, n)
		}
		sort.Slice(names, func(i, j int) bool {
			ci, cj := isCore(names[i]), isCore(names[j])
			if ci != cj {
				return ci
			}
			return names[i] < names[j]
		})
		for _, n := range names {
			info, err := c.describe(ctx, n, all[n])
			if err != nil {
				return err
			}
			out = append(out, info)
		}
		return nil
	})
	return out, wrap("tables", err)
}

func isCore(name string) bool {
	for _, t := range coreTables {
		if t == name {
			return true
		}
	}
	return false
}

func (c *customerLake) describe(ctx context.Context, name string, t *delta.Table) (TableInfo, error) {
	info := TableInfo{Name: name, Kind: "user", Version: -1}
	if isCore(name) {
		info.Kind = "core"
		info.Columns = columnsOf(schemaOf(name))
	}
	snap, err := t.Snapshot(ctx)
	if errors.Is(err, delta.ErrNoTable) {
		return info, nil
	}
	if err != nil {
		return info, err
	}
	info.Exists, info.Version, info.Files = true, snap.Version(), snap.NumFiles()
	info.Columns = columnsOf(snap.Schema())
	for _, f := range snap.Files() {
		info.Bytes += f.Size
		info.Rows += f.ParsedStats().NumRecords
	}
	if !snap.Timestamp().IsZero() {
		info.Modified = snap.Timestamp().UTC().Format("2006-01-02T15:04:05Z")
	}
	return info, nil
}

func columnsOf(s *delta.StructType) []Column {
	if s == nil {
		return nil
	}
	out := make([]Column, 0, len(s.Fields))
	for _, f := range s.Fields {
		out = append(out, Column{Name: f.Name, Type: f.Type.String(), Nullable: f.Nullable})
	}
	return out
}

// Preview returns up to limit rows of a table, binary columns left out.
func (l *Lakehouse) Preview(ctx context.Context, customerID, table string, limit int) ([]map[string]any, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var out []map[string]any
	err := l.with(ctx, customerID, func(c *customerLake) error {
		all, err := c.allTables(ctx)
		if err != nil {
			return err
		}
		t, ok := all[table]
		if !ok {
			return notFound("table", table)
		}
		snap, err := t.Snapshot(ctx)
		if errors.Is(err, delta.ErrNoTable) {
			out = []map[string]any{}
			return nil
		}
		if err != nil {
			return err
		}
		var cols []string
		for _, f := range snap.Schema().Fields {
			if f.Type.String() != string(delta.TypeBinary) {
				cols = append(cols, f.Name)
			}
		}
		rows, err := snap.ReadAll(ctx, delta.ScanOptions{Columns: cols, Limit: limit})
		if err != nil {
			return err
		}
		out = make([]map[string]any, len(rows))
		copy(out, rows)
		return nil
	})
	return out, wrap("preview", err)
}

// Stats summarises a customer's lakehouse.
type Stats struct {
	Documents    int            `json:"documents"`
	Chunks       int            `json:"chunks"`
	Domains      map[string]int `json:"documents_by_domain"`
	Tables       []TableInfo    `json:"tables"`
	IndexBytes   int64          `json:"index_memory_bytes"`
	VectorCount  int            `json:"vector_count"`
	TextCount    int            `json:"text_count"`
	EmbeddingDim int            `json:"embedding_dim"`
	Model        string         `json:"embedding_model"`
	ChunksAt     int64          `json:"indexed_chunks_version"`
}

// Stats returns the customer's counts, tables and index state.
func (l *Lakehouse) Stats(ctx context.Context, customerID string) (*Stats, error) {
	tables, err := l.Tables(ctx, customerID)
	if err != nil {
		return nil, err
	}
	st := &Stats{Tables: tables, Domains: map[string]int{}, EmbeddingDim: l.embedder.Dim(), Model: l.embedder.Model()}
	err = l.with(ctx, customerID, func(c *customerLake) error {
		st.IndexBytes = c.MemoryBytes()
		c.mu.RLock()
		defer c.mu.RUnlock()
		st.Documents = len(c.docs)
		for _, d := range c.docs {
			st.Domains[d.Domain]++
		}
		for id := range c.docs {
			st.Chunks += len(c.docChunks[id])
		}
		st.VectorCount, st.TextCount, st.ChunksAt = c.vec.Len(), c.text.Len(), c.chunksVer
		return nil
	})
	return st, wrap("stats", err)
}
