package lakehouse

import (
	"context"
	"errors"
	"time"

	"github.com/zero711/brain/internal/delta"
)

// MaintainOptions tune Maintain.
type MaintainOptions struct {
	// Retention is how long unreferenced data files are kept for time
	// travel and writers in flight before vacuum deletes them (default 7
	// days).
	Retention time.Duration
	// SkipOrphans leaves rows of documents that do not exist: while other
	// nodes may be adding documents (their chunks are written before their
	// documents row), such rows may be an add in flight.
	SkipOrphans bool
}

// MaintainReport says what Maintain did.
type MaintainReport struct {
	OrphanRowsDeleted int64          `json:"orphan_rows_deleted"`
	ChunksReembedded  int            `json:"chunks_reembedded"`
	FilesCompacted    map[string]int `json:"files_compacted"`
	FilesVacuumed     map[string]int `json:"files_vacuumed"`
}

// Maintain tidies a customer's lakehouse: it deletes rows of documents
// that do not exist (a crashed add, a delete interrupted after its commit
// point), writes back embeddings of the current model where the table
// holds another's, compacts small files and vacuums unreferenced ones.
func (l *Lakehouse) Maintain(ctx context.Context, customerID string, opts MaintainOptions) (*MaintainReport, error) {
	rep := &MaintainReport{FilesCompacted: map[string]int{}, FilesVacuumed: map[string]int{}}
	err := l.with(ctx, customerID, func(c *customerLake) error {
		c.writeMu.Lock()
		defer c.writeMu.Unlock()
		if err := c.refresh(ctx, false); err != nil {
			return err
		}
		if !opts.SkipOrphans {
			if err := c.deleteOrphans(ctx, rep); err != nil {
				return err
			}
		}
		if err := c.writeBackEmbeddings(ctx, rep); err != nil {
			return err
		}
		all, err := c.allTables(ctx)
		if err != nil {
			return err
		}
		for name, t := range all {
			res, err := t.Compact(ctx, delta.CompactOptions{})
			if err != nil && !errors.Is(err, delta.ErrNoTable) {
				return err
			}
			rep.FilesCompacted[name] = res.FilesRemoved
			vr, err := t.Vacuum(ctx, delta.VacuumOptions{Retention: opts.Retention})
			if err != nil && !errors.Is(err, delta.ErrNoTable) {
				return err
			}
			rep.FilesVacuumed[name] = len(vr.Deleted)
		}
		return c.refresh(ctx, false)
	})
	return rep, wrap("maintain", err)
}

func (c *customerLake) deleteOrphans(ctx context.Context, rep *MaintainReport) error {
	c.mu.RLock()
	live := make(map[string]bool, len(c.docs))
	for id := range c.docs {
		live[id] = true
	}
	c.mu.RUnlock()
	orphan := func(r delta.Row) bool { return !live[str(r["document_id"])] }
	for _, table := range []string{TableChunks, TableEntities, TableRelationships} {
		res, err := c.tables[table].DeleteRows(ctx, nil, orphan, delta.WriteOptions{
			CommitInfo: map[string]any{"operation": "DELETE ORPHANS"}})
		if err != nil && !errors.Is(err, delta.ErrNoTable) {
			return err
		}
		rep.OrphanRowsDeleted += res.RowsDeleted
	}
	return nil
}

// writeBackEmbeddings rewrites the chunk files that hold embeddings of
// another model with the current model's.
func (c *customerLake) writeBackEmbeddings(ctx context.Context, rep *MaintainReport) error {
	snap, err := c.snapshot(ctx, TableChunks)
	if err != nil || snap == nil {
		return err
	}
	model := c.lh.embedder.Model()
	var stale []delta.FileInfo
	for _, f := range snap.Files() {
		for r, err := range snap.FileRows(ctx, f, delta.ScanOptions{Columns: []string{"embedding_model"}}) {
			if err != nil {
				return err
			}
			if str(r["embedding_model"]) != model {
				stale = append(stale, f)
				break
			}
		}
	}
	for _, f := range stale {
		var rows []*Chunk
		var idx []int
		var raw []delta.Row
		for r, err := range snap.FileRows(ctx, f, delta.ScanOptions{}) {
			if err != nil {
				return err
			}
			ch, err := rowChunk(r)
			if err != nil {
				return err
			}
			if ch.Model != model || len(ch.Embedding) != c.lh.embedder.Dim() {
				idx = append(idx, len(rows))
			}
			rows, raw = append(rows, ch), append(raw, r)
		}
		if err := c.reembed(ctx, rows, idx); err != nil {
			return err
		}
		for _, i := range idx {
			raw[i]["embedding"], raw[i]["embedding_model"] = encodeVector(rows[i].Embedding), model
		}
		name := f.Name
		// Append the rewritten rows and remove the old file in one commit.
		if _, err := c.tables[TableChunks].DeleteFiles(ctx, func(fi delta.FileInfo) bool { return fi.Name == name },
			delta.WriteOptions{CommitInfo: map[string]any{"operation": "REEMBED"}}); err != nil {
			return err
		}
		if _, err := c.tables[TableChunks].Append(ctx, raw, delta.WriteOptions{CommitInfo: map[string]any{"operation": "REEMBED"}}); err != nil {
			return err
		}
		rep.ChunksReembedded += len(idx)
	}
	return nil
}
