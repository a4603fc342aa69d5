package lakehouse

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/delta"
)

// AddDocument stores a document with its chunks, entities and
// relationships. Chunks without an embedding are embedded first. The
// document becomes visible to every reader at once when its documents row
// commits, which is the last write; a document id that exists already is
// a conflict (delete it first to replace it).
func (l *Lakehouse) AddDocument(ctx context.Context, customerID string, nd NewDocument) (*Document, error) {
	docs, err := l.AddDocuments(ctx, customerID, []NewDocument{nd})
	if err != nil {
		return nil, err
	}
	return docs[0], nil
}

// AddDocuments stores many documents with one commit per table (bulk
// loading); the documents commit, last, makes all of them visible at once.
func (l *Lakehouse) AddDocuments(ctx context.Context, customerID string, nds []NewDocument) ([]*Document, error) {
	var out []*Document
	err := l.with(ctx, customerID, func(c *customerLake) error {
		var err error
		out, err = c.add(ctx, nds)
		return err
	})
	return out, wrap("add documents", err)
}

func validateNew(nd *NewDocument) error {
	d := &nd.Document
	if err := validID("document id", d.ID); err != nil {
		return err
	}
	if !utf8.ValidString(d.Title) || len(d.Title) > 1000 {
		return brain.Errorf(brain.EINVALID, "title must be valid text of at most 1000 bytes")
	}
	seen := map[string]bool{}
	for i := range nd.Chunks {
		ch := &nd.Chunks[i]
		if ch.ID == "" {
			ch.ID = fmt.Sprintf("%s:%d", d.ID, i)
		}
		if err := validID("chunk id", ch.ID); err != nil {
			return err
		}
		if seen[ch.ID] {
			return brain.Errorf(brain.EINVALID, "chunk id %q appears twice", ch.ID)
		}
		seen[ch.ID] = true
		if ch.DocumentID != "" && ch.DocumentID != d.ID {
			return brain.Errorf(brain.EINVALID, "chunk %q belongs to document %q, not %q", ch.ID, ch.DocumentID, d.ID)
		}
		ch.DocumentID = d.ID
		if strings.TrimSpace(ch.Text) == "" || !utf8.ValidString(ch.Text) {
			return brain.Errorf(brain.EINVALID, "chunk %q has no valid text", ch.ID)
		}
		if ch.Position == 0 {
			ch.Position = i
		}
	}
	for i := range nd.Entities {
		nd.Entities[i].DocumentID = d.ID
		if nd.Entities[i].ID == "" || nd.Entities[i].Name == "" || nd.Entities[i].Type == "" {
			return brain.Errorf(brain.EINVALID, "entity %d needs id, name and type", i)
		}
	}
	for i := range nd.Relationships {
		nd.Relationships[i].DocumentID = d.ID
		if nd.Relationships[i].Source == "" || nd.Relationships[i].Target == "" {
			return brain.Errorf(brain.EINVALID, "relationship %d needs source and target", i)
		}
		if nd.Relationships[i].Type == "" {
			nd.Relationships[i].Type = "co_occurs"
		}
	}
	d.ChunkCount = len(nd.Chunks)
	return nil
}

// validID accepts printable ids of at most 200 bytes.
func validID(what, id string) error {
	if id == "" || len(id) > 200 || !utf8.ValidString(id) || strings.ContainsFunc(id, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return brain.Errorf(brain.EINVALID, "%s must be 1 to 200 bytes of printable text", what)
	}
	return nil
}

func (c *customerLake) add(ctx context.Context, nds []NewDocument) ([]*Document, error) {
	if len(nds) == 0 {
		return nil, brain.Errorf(brain.EINVALID, "no documents")
	}
	// Work on copies: validation fills in ids and the caller's slices may
	// be shared.
	nds = slices.Clone(nds)
	for i := range nds {
		nds[i].Chunks = slices.Clone(nds[i].Chunks)
		nds[i].Entities = slices.Clone(nds[i].Entities)
		nds[i].Relationships = slices.Clone(nds[i].Relationships)
	}
	ids := map[string]bool{}
	var chunks []*Chunk
	for i := range nds {
		if err := validateNew(&nds[i]); err != nil {
			return nil, err
		}
		if ids[nds[i].Document.ID] {
			return nil, brain.Errorf(brain.EINVALID, "document %q appears twice", nds[i].Document.ID)
		}
		ids[nds[i].Document.ID] = true
		for j := range nds[i].Chunks {
			chunks = append(chunks, &nds[i].Chunks[j])
		}
	}
	if err := c.embedChunks(ctx, chunks); err != nil {
		return nil, err
	}
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if err := c.refresh(ctx, false); err != nil {
		return nil, err
	}
	c.mu.RLock()
	for id := range ids {
		if _, exists := c.docs[id]; exists {
			c.mu.RUnlock()
			return nil, brain.Errorf(brain.ECONFLICT, "document %q exists; delete it to replace it", id)
		}
	}
	c.mu.RUnlock()
	now := c.lh.opts.Now().UTC()
	rows := map[string][]delta.Row{}
	out := make([]*Document, len(nds))
	for i := range nds {
		nd := &nds[i]
		d := nd.Document
		if d.CreatedAt.IsZero() {
			d.CreatedAt = now
		}
		for j := range nd.Chunks {
			rows[TableChunks] = append(rows[TableChunks], chunkRow(&nd.Chunks[j], now))
		}
		for j := range nd.Entities {
			rows[TableEntities] = append(rows[TableEntities], entityRow(&nd.Entities[j]))
		}
		for j := range nd.Relationships {
			rows[TableRelationships] = append(rows[TableRelationships], relationshipRow(&nd.Relationships[j]))
		}
		rows[TableDocuments] = append(rows[TableDocuments], documentRow(&d))
		out[i] = &d
	}
	info := map[string]any{"operation": "ADD DOCUMENTS", "documents": len(nds)}
	if len(nds) == 1 {
		info["document"] = nds[0].Document.ID
	}
	for _, table := range coreTables { // documents last: its commit makes the documents exist
		if len(rows[table]) == 0 {
			continue
		}
		if err := c.ensureTable(ctx, table); err != nil {
			return nil, err
		}
		if _, err := c.tables[table].Append(ctx, rows[table], delta.WriteOptions{CommitInfo: info}); err != nil {
			return nil, fmt.Errorf("%s: %w", table, err)
		}
	}
	if err := c.refresh(ctx, false); err != nil {
		return nil, err
	}
	return out, nil
}

// embedChunks fills in missing embeddings in batches.
func (c *customerLake) embedChunks(ctx context.Context, chunks []*Chunk) error {
	var stale []int
	for i, ch := range chunks {
		if len(ch.Embedding) != c.lh.embedder.Dim() || ch.Model != c.lh.embedder.Model() {
			stale = append(stale, i)
		}
	}
	return c.reembed(ctx, chunks, stale)
}

// ensureTable creates a core table on first use.
func (c *customerLake) ensureTable(ctx context.Context, table string) error {
	_, err := c.tables[table].Create(ctx, schemaOf(table), delta.CreateOptions{Name: table})
	if err != nil && !errors.Is(err, delta.ErrTableExists) {
		return fmt.Errorf("create %s: %w", table, err)
	}
	return nil
}

// DeleteDocument removes a document: it is gone from search and listings
// as soon as its documents row is removed, which is the first write; its
// chunks, entities and relationships follow.
func (l *Lakehouse) DeleteDocument(ctx context.Context, customerID, documentID string) error {
	return wrap("delete document", l.with(ctx, customerID, func(c *customerLake) error {
		return c.deleteDocument(ctx, documentID)
	}))
}

func (c *customerLake) deleteDocument(ctx context.Context, id string) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if err := c.refresh(ctx, false); err != nil {
		return err
	}
	c.mu.RLock()
	_, ok := c.docs[id]
	c.mu.RUnlock()
	if !ok {
		return notFound("document", id)
	}
	byDoc := func(col string) []delta.Filter { return []delta.Filter{{Column: col, Op: delta.Eq, Value: id}} }
	opts := delta.WriteOptions{CommitInfo: map[string]any{"operation": "DELETE DOCUMENT", "document": id}}
	if _, err := c.tables[TableDocuments].DeleteRows(ctx, byDoc("id"), nil, opts); err != nil {
		return fmt.Errorf("documents: %w", err)
	}
	c.forgetDocument(id)
	for _, table := range []string{TableChunks, TableEntities, TableRelationships} {
		if _, err := c.tables[table].DeleteRows(ctx, byDoc("document_id"), nil, opts); err != nil && !errors.Is(err, delta.ErrNoTable) {
			// The document is gone already; Maintain removes what is left.
			c.lh.log.Warn("lakehouse: delete document rows", "customer", c.id, "table", table, "document", id, "err", err)
		}
	}
	return c.refresh(ctx, false)
}
