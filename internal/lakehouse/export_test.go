package lakehouse

import (
	"context"
	"testing"
	"time"

	"github.com/zero711/brain/internal/blob"
	"github.com/zero711/brain/internal/delta"
)

// writeOrphanChunk appends a chunk row whose document never committed.
func WriteOrphanChunk(t *testing.T, root string) {
	t.Helper()
	st, err := blob.NewLocal(root)
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := blob.Sub(st, TableChunks)
	tbl := delta.New(sub, delta.Options{})
	row := chunkRow(&Chunk{ID: "ghost:0", DocumentID: "ghost", Text: "orphaned zebra text"}, time.Now())
	if _, err := tbl.Append(context.Background(), []delta.Row{row}, delta.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
}
