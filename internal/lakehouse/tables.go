package lakehouse

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/zero711/brain/internal/delta"
)

// The core tables of every customer's lakehouse.
const (
	TableDocuments     = "documents"
	TableChunks        = "chunks"
	TableEntities      = "entities"
	TableRelationships = "relationships"
)

// coreTables lists the core tables; documents is last because its commit
// is what makes a document exist.
var coreTables = []string{TableChunks, TableEntities, TableRelationships, TableDocuments}

func field(name string, t delta.DataType, nullable bool) delta.StructField {
	return delta.StructField{Name: name, Type: t, Nullable: nullable}
}

// schemaOf returns the schema of a core table.
func schemaOf(table string) *delta.StructType {
	s, l, i, ts, b := delta.TypeString, delta.TypeLong, delta.TypeInteger, delta.TypeTimestamp, delta.TypeBinary
	switch table {
	case TableDocuments:
		return &delta.StructType{Fields: []delta.StructField{
			field("id", s, false), field("title", s, true), field("source", s, true),
			field("content_type", s, true), field("expert_domain", s, true), field("language", s, true),
			field("content_hash", s, true), field("size", l, true), field("author", s, true),
			field("document_date", ts, true), field("created_at", ts, false), field("chunk_count", i, true),
			field("metadata", s, true),
		}}
	case TableChunks:
		return &delta.StructType{Fields: []delta.StructField{
			field("id", s, false), field("document_id", s, false), field("position", i, false),
			field("text", s, false), field("section", s, true), field("page", i, true), field("language", s, true),
			field("tokens", i, true), field("embedding", b, true), field("embedding_model", s, true),
			field("created_at", ts, false),
		}}
	case TableEntities:
		return &delta.StructType{Fields: []delta.StructField{
			field("id", s, false), field("document_id", s, false), field("chunk_id", s, true),
			field("name", s, false), field("type", s, false), field("count", i, true),
		}}
	case TableRelationships:
		return &delta.StructType{Fields: []delta.StructField{
			field("source", s, false), field("target", s, false), field("type", s, false),
			field("weight", delta.TypeDouble, true), field("document_id", s, false),
		}}
	}
	return nil
}

func documentRow(d *Document) delta.Row {
	meta := ""
	if len(d.Metadata) > 0 {
		b, _ := json.Marshal(d.Metadata)
		meta = string(b)
	}
	var date any
	if d.DocumentDate != nil {
		date = d.DocumentDate.UTC()
	}
	return delta.Row{"id": d.ID, "title": d.Title, "source": d.Source, "content_type": d.ContentType,
		"expert_domain": d.Domain, "language": d.Language, "content_hash": d.ContentHash, "size": d.Size,
		"author": d.Author, "document_date": date, "created_at": d.CreatedAt.UTC(), "chunk_count": int32(d.ChunkCount),
		"metadata": meta}
}

func rowDocument(r delta.Row) (*Document, error) {
	d := &Document{ID: str(r["id"]), Title: str(r["title"]), Source: str(r["source"]), ContentType: str(r["content_type"]),
		Domain: str(r["expert_domain"]), Language: str(r["language"]), ContentHash: str(r["content_hash"]),
		Size: i64(r["size"]), Author: str(r["author"]), ChunkCount: int(i64(r["chunk_count"]))}
	if t, ok := r["created_at"].(time.Time); ok {
		d.CreatedAt = t
	}
	if t, ok := r["document_date"].(time.Time); ok {
		d.DocumentDate = &t
	}
	if m := str(r["metadata"]); m != "" {
		if err := json.Unmarshal([]byte(m), &d.Metadata); err != nil {
			return nil, fmt.Errorf("document %s: metadata: %w", d.ID, err)
		}
	}
	if d.ID == "" {
		return nil, fmt.Errorf("document row without id")
	}
	return d, nil
}

func chunkRow(c *Chunk, now time.Time) delta.Row {
	return delta.Row{"id": c.ID, "document_id": c.DocumentID, "position": int32(c.Position), "text": c.Text,
		"section": c.Section, "page": int32(c.Page), "language": c.Language, "tokens": int32(c.Tokens),
		"embedding": encodeVector(c.Embedding), "embedding_model": c.Model, "created_at": now.UTC()}
}

func rowChunk(r delta.Row) (*Chunk, error) {
	c := &Chunk{ID: str(r["id"]), DocumentID: str(r["document_id"]), Position: int(i64(r["position"])),
		Text: str(r["text"]), Section: str(r["section"]), Page: int(i64(r["page"])), Language: str(r["language"]),
		Tokens: int(i64(r["tokens"])), Model: str(r["embedding_model"])}
	if b, ok := r["embedding"].([]byte); ok && len(b) > 0 {
		v, err := decodeVector(b)
		if err != nil {
			return nil, fmt.Errorf("chunk %s: %w", c.ID, err)
		}
		c.Embedding = v
	}
	if c.ID == "" || c.DocumentID == "" {
		return nil, fmt.Errorf("chunk row without id or document")
	}
	return c, nil
}

func entityRow(e *EntityMention) delta.Row {
	return delta.Row{"id": e.ID, "document_id": e.DocumentID, "chunk_id": e.ChunkID, "name": e.Name,
		"type": e.Type, "count": int32(e.Count)}
}

func relationshipRow(r *Relationship) delta.Row {
	return delta.Row{"source": r.Source, "target": r.Target, "type": r.Type, "weight": r.Weight, "document_id": r.DocumentID}
}

// encodeVector stores an embedding as little-endian float32s: a quarter
// of the size of a Parquet list and read back without boxing each value.
func encodeVector(v []float32) []byte {
	if len(v) == 0 {
		return nil
	}
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	return b
}

func decodeVector(b []byte) ([]float32, error) {
	if len(b)%4 != 0 {
		return nil, fmt.Errorf("embedding of %d bytes is not float32s", len(b))
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func i64(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case int32:
		return int64(n)
	case int16:
		return int64(n)
	case int8:
		return int64(n)
	case int:
		return int64(n)
	}
	return 0
}

func f64(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case float32:
		return float64(n)
	}
	return 0
}
