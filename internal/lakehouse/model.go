package lakehouse

import (
	"hash/fnv"
	"time"
)

// Expert domains a document is classified to (SPEC §3).
const (
	DomainTax     = "CTAX"
	DomainLaw     = "LAW"
	DomainTender  = "TENDER"
	DomainETIM    = "ETIM"
	DomainGeneral = "GENERAL"
)

// Document is one source file of a customer, as stored in the documents
// table. Its row is written last when a document is added, so a document
// whose row is absent does not exist, whatever other tables hold.
type Document struct {
	ID           string            `json:"id"`
	Title        string            `json:"title"`
	Source       string            `json:"source,omitempty"` // original file name or URL
	ContentType  string            `json:"content_type,omitempty"`
	Domain       string            `json:"expert_domain,omitempty"`
	Language     string            `json:"language,omitempty"`
	ContentHash  string            `json:"content_hash,omitempty"`
	Size         int64             `json:"size"`
	Author       string            `json:"author,omitempty"`
	DocumentDate *time.Time        `json:"document_date,omitempty"`
	CreatedAt    time.Time         `json:"created_at"`
	ChunkCount   int               `json:"chunk_count"`
	Metadata     map[string]string `json:"metadata,omitempty"`
}

// Chunk is a retrievable piece of a document.
type Chunk struct {
	ID         string    `json:"id"`
	DocumentID string    `json:"document_id"`
	Position   int       `json:"position"`
	Text       string    `json:"text"`
	Section    string    `json:"section,omitempty"` // heading path, " > "-joined
	Page       int       `json:"page,omitempty"`
	Language   string    `json:"language,omitempty"`
	Tokens     int       `json:"tokens,omitempty"`
	Embedding  []float32 `json:"-"`
	Model      string    `json:"embedding_model,omitempty"`
}

// EntityMention is an entity found in a document, as stored in the
// entities table.
type EntityMention struct {
	ID         string `json:"id"` // stable: derived from type and normalised name
	DocumentID string `json:"document_id"`
	ChunkID    string `json:"chunk_id,omitempty"`
	Name       string `json:"name"`
	Type       string `json:"type"`
	Count      int    `json:"count"`
}

// NewDocument is what AddDocument stores: a document with its chunks,
// entities and relationships.
type NewDocument struct {
	Document      Document
	Chunks        []Chunk
	Entities      []EntityMention
	Relationships []Relationship
}

// Filters narrow a search.
type Filters struct {
	Domain      string     `json:"expert_domain,omitempty"`
	DocumentID  string     `json:"document_id,omitempty"`
	ContentType string     `json:"content_type,omitempty"`
	From        *time.Time `json:"from,omitempty"` // document created or dated at or after
	To          *time.Time `json:"to,omitempty"`   // … before
}

// SearchRequest is one hybrid search.
type SearchRequest struct {
	Query   string
	K       int // results per page; default 10, at most 100
	Offset  int
	Mode    string // "hybrid" (default), "bm25" or "vector"
	Filters Filters
}

// Hit is one search result: a chunk with its document and scores.
type Hit struct {
	DocumentID  string  `json:"document_id"`
	Title       string  `json:"title"`
	ChunkID     string  `json:"chunk_id"`
	Text        string  `json:"text"`
	Section     string  `json:"section"`
	Page        int     `json:"page"`
	Score       float64 `json:"score"`
	BM25Score   float32 `json:"bm25_score,omitempty"`
	VectorScore float32 `json:"vector_score,omitempty"`
	Domain      string  `json:"expert_domain,omitempty"`
}

// chunkKey maps a chunk id to the numeric key of the indexes.
func chunkKey(chunkID string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(chunkID))
	return h.Sum64()
}
