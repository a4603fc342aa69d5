package lakehouse

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/zero711/brain/internal/delta"
)

// DocumentsBySource returns the customer's documents whose Source is
// source or lies below it ("source/member"), as ingestion needs to replace
// a file's earlier version.
func (l *Lakehouse) DocumentsBySource(ctx context.Context, customerID, source string) ([]*Document, error) {
	var out []*Document
	err := l.with(ctx, customerID, func(c *customerLake) error {
		c.mu.RLock()
		defer c.mu.RUnlock()
		for _, d := range c.docs {
			if d.Source == source || strings.HasPrefix(d.Source, source+"/") {
				cp := *d
				out = append(out, &cp)
			}
		}
		return nil
	})
	slices.SortFunc(out, func(a, b *Document) int { return strings.Compare(a.ID, b.ID) })
	return out, wrap("documents by source", err)
}

// HasDocument reports whether the customer has the document.
func (l *Lakehouse) HasDocument(ctx context.Context, customerID, documentID string) (bool, error) {
	var ok bool
	err := l.with(ctx, customerID, func(c *customerLake) error {
		c.mu.RLock()
		_, ok = c.docs[documentID]
		c.mu.RUnlock()
		return nil
	})
	return ok, wrap("has document", err)
}

// PurgeDocument removes every row of a document id that is not (or no
// longer) a document: chunks, entities and relationships left by an add
// that was interrupted before its documents commit. Ingestion calls it
// before it adds a document again, so that a retried file leaves no
// duplicate rows. A document that exists is left alone (use
// DeleteDocument).
func (l *Lakehouse) PurgeDocument(ctx context.Context, customerID, documentID string) error {
	return wrap("purge document", l.with(ctx, customerID, func(c *customerLake) error {
		c.writeMu.Lock()
		defer c.writeMu.Unlock()
		if err := c.refresh(ctx, false); err != nil {
			return err
		}
		c.mu.RLock()
		_, exists := c.docs[documentID]
		c.mu.RUnlock()
		if exists {
			return nil
		}
		byDoc := []delta.Filter{{Column: "document_id", Op: delta.Eq, Value: documentID}}
		opts := delta.WriteOptions{CommitInfo: map[string]any{"operation": "PURGE DOCUMENT", "document": documentID}}
		for _, table := range []string{TableChunks, TableEntities, TableRelationships} {
			res, err := c.tables[table].DeleteRows(ctx, byDoc, nil, opts)
			if err != nil && !errors.Is(err, delta.ErrNoTable) {
				return fmt.Errorf("%s: %w", table, err)
			}
			if res.RowsDeleted > 0 {
				c.lh.log.Info("lakehouse: purged rows of an interrupted add", "customer", c.id, "table", table,
					"document", documentID, "rows", res.RowsDeleted)
			}
		}
		return c.refresh(ctx, false)
	}))
}

// PutTable creates the user table with schema, or replaces the rows of
// the existing one, in one commit.
func (l *Lakehouse) PutTable(ctx context.Context, customerID, name string, schema *delta.StructType, rows []map[string]any) error {
	err := l.with(ctx, customerID, func(c *customerLake) error {
		t, err := c.userTable(name)
		if err != nil {
			return err
		}
		if _, err := t.Create(ctx, schema, delta.CreateOptions{Name: name}); err != nil && !errors.Is(err, delta.ErrTableExists) {
			return err
		}
		drows := make([]delta.Row, len(rows))
		copy(drows, rows)
		_, err = t.Overwrite(ctx, drows, delta.WriteOptions{})
		return err
	})
	return wrap(fmt.Sprintf("put table %s", name), err)
}

// EntityID is the stable id of an entity: the same type and normalised
// name give the same id in every document, which joins the graph.
func EntityID(typ, name string) string {
	h := sha256.Sum256([]byte(strings.ToUpper(typ) + "\x00" + strings.ToLower(strings.Join(strings.Fields(name), " "))))
	return "ent-" + hex.EncodeToString(h[:10])
}
