package api

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/lakehouse"
)

// lake returns the lakehouse or an "unavailable" error on nodes without one.
func (s *Server) lake() (*lakehouse.Lakehouse, error) {
	if s.opts.Lakehouse == nil {
		return nil, brain.Errorf(brain.EUNAVAILABLE, "this node serves no lakehouse")
	}
	return s.opts.Lakehouse, nil
}

// intParam reads an optional integer query parameter within [lo, hi].
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, brain.Errorf(brain.EINVALID, "%s must be an integer from %d to %d", name, lo, hi)
	}
	return n, nil
}

// timeParam reads an optional RFC 3339 time or YYYY-MM-DD date.
func timeParam(r *http.Request, name string) (*time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return nil, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return &t, nil
		}
	}
	return nil, brain.Errorf(brain.EINVALID, "%s must be a date (2006-01-02) or an RFC 3339 time", name)
}

// SearchResponse is the answer of GET /api/data/search.
type SearchResponse struct {
	Mode    string          `json:"mode"`
	Results []lakehouse.Hit `json:"results"`
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) error {
	lh, err := s.lake()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	req := lakehouse.SearchRequest{Query: q.Get("q"), Mode: q.Get("mode"), Filters: lakehouse.Filters{
		Domain: q.Get("expert_domain"), DocumentID: q.Get("document_id"), ContentType: q.Get("content_type")}}
	if req.K, err = intParam(r, "k", 10, 1, 100); err != nil {
		return err
	}
	if req.Offset, err = intParam(r, "offset", 0, 0, 1000); err != nil {
		return err
	}
	if req.Filters.From, err = timeParam(r, "from"); err != nil {
		return err
	}
	if req.Filters.To, err = timeParam(r, "to"); err != nil {
		return err
	}
	hits, err := lh.Search(r.Context(), principal(r).CustomerID, req)
	if err != nil {
		return err
	}
	mode := req.Mode
	if mode == "" {
		mode = "hybrid"
	}
	writeJSON(w, http.StatusOK, SearchResponse{Mode: mode, Results: nonNil(hits)})
	return nil
}

// TablesResponse lists a customer's tables.
type TablesResponse struct {
	Tables []lakehouse.TableInfo `json:"tables"`
}

func (s *Server) dataTables(w http.ResponseWriter, r *http.Request) error {
	lh, err := s.lake()
	if err != nil {
		return err
	}
	ts, err := lh.Tables(r.Context(), principal(r).CustomerID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, TablesResponse{Tables: nonNil(ts)})
	return nil
}

// QueryResponse is the answer of GET /api/data/query.
type QueryResponse struct {
	Columns   []string `json:"columns"`
	Types     []string `json:"types"`
	Rows      [][]any  `json:"rows"`
	RowCount  int      `json:"row_count"`
	Truncated bool     `json:"truncated"`
}

func (s *Server) dataQuery(w http.ResponseWriter, r *http.Request) error {
	lh, err := s.lake()
	if err != nil {
		return err
	}
	sql := r.URL.Query().Get("sql")
	if strings.TrimSpace(sql) == "" || len(sql) > 20000 {
		return brain.Errorf(brain.EINVALID, "sql is required (at most 20000 bytes)")
	}
	res, err := lh.Query(r.Context(), principal(r).CustomerID, sql)
	if err != nil {
		return err
	}
	out := QueryResponse{Rows: nonNil(res.Rows), RowCount: len(res.Rows), Truncated: res.Truncated}
	for _, c := range res.Columns {
		out.Columns, out.Types = append(out.Columns, c.Name), append(out.Types, c.Type)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) listDocuments(w http.ResponseWriter, r *http.Request) error {
	lh, err := s.lake()
	if err != nil {
		return err
	}
	offset, err := intParam(r, "offset", 0, 0, 1_000_000)
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", 100, 1, 1000)
	if err != nil {
		return err
	}
	page, err := lh.ListDocuments(r.Context(), principal(r).CustomerID, r.URL.Query().Get("expert_domain"), offset, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) getDocument(w http.ResponseWriter, r *http.Request) error {
	lh, err := s.lake()
	if err != nil {
		return err
	}
	d, err := lh.GetDocument(r.Context(), principal(r).CustomerID, r.PathValue("document_id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) deleteDocument(w http.ResponseWriter, r *http.Request) error {
	lh, err := s.lake()
	if err != nil {
		return err
	}
	if err := lh.DeleteDocument(r.Context(), principal(r).CustomerID, r.PathValue("document_id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// DocumentRequest is the body of POST /api/data/documents: a document
// that is already split into chunks (files go through the upload routes).
type DocumentRequest struct {
	ID            string                    `json:"id,omitempty"`
	Title         string                    `json:"title"`
	Source        string                    `json:"source,omitempty"`
	ContentType   string                    `json:"content_type,omitempty"`
	Domain        string                    `json:"expert_domain,omitempty"`
	Language      string                    `json:"language,omitempty"`
	Chunks        []DocumentChunk           `json:"chunks"`
	Entities      []lakehouse.EntityMention `json:"entities,omitempty"`
	Relationships []lakehouse.Relationship  `json:"relationships,omitempty"`
}

// DocumentChunk is one chunk of a DocumentRequest.
type DocumentChunk struct {
	Text    string `json:"text"`
	Section string `json:"section,omitempty"`
	Page    int    `json:"page,omitempty"`
}

func (s *Server) addDocument(w http.ResponseWriter, r *http.Request) error {
	lh, err := s.lake()
	if err != nil {
		return err
	}
	var req DocumentRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if len(req.Chunks) == 0 || len(req.Chunks) > 10000 {
		return brain.Errorf(brain.EINVALID, "chunks must hold 1 to 10000 chunks")
	}
	switch req.Domain {
	case "", lakehouse.DomainTax, lakehouse.DomainLaw, lakehouse.DomainTender, lakehouse.DomainETIM, lakehouse.DomainGeneral:
	default:
		return brain.Errorf(brain.EINVALID, "expert_domain must be CTAX, LAW, TENDER, ETIM or GENERAL")
	}
	if req.ID == "" {
		req.ID = uuid.Must(uuid.NewV7()).String()
	}
	nd := lakehouse.NewDocument{Document: lakehouse.Document{ID: req.ID, Title: req.Title, Source: req.Source,
		ContentType: req.ContentType, Domain: req.Domain, Language: req.Language},
		Entities: req.Entities, Relationships: req.Relationships}
	for _, c := range req.Chunks {
		nd.Chunks = append(nd.Chunks, lakehouse.Chunk{Text: c.Text, Section: c.Section, Page: c.Page, Language: req.Language})
	}
	d, err := lh.AddDocument(r.Context(), principal(r).CustomerID, nd)
	if err != nil {
		return err
	}
	noteAudit(r, "", "", "document/"+d.ID, "")
	writeJSON(w, http.StatusCreated, d)
	return nil
}

// EntityList is a list of entities.
type EntityList struct {
	Entities []lakehouse.Entity `json:"entities"`
}

func (s *Server) findEntities(w http.ResponseWriter, r *http.Request) error {
	lh, err := s.lake()
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", 100, 1, 1000)
	if err != nil {
		return err
	}
	es, err := lh.FindEntities(r.Context(), principal(r).CustomerID, r.URL.Query().Get("q"), r.URL.Query().Get("type"), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, EntityList{Entities: es})
	return nil
}

func (s *Server) getEntity(w http.ResponseWriter, r *http.Request) error {
	lh, err := s.lake()
	if err != nil {
		return err
	}
	e, err := lh.Entity(r.Context(), principal(r).CustomerID, r.PathValue("entity_id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

// NeighbourList lists an entity's neighbours.
type NeighbourList struct {
	Neighbours []lakehouse.Neighbour `json:"neighbours"`
}

func (s *Server) neighbours(w http.ResponseWriter, r *http.Request) error {
	lh, err := s.lake()
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", 50, 1, 1000)
	if err != nil {
		return err
	}
	ns, err := lh.Neighbours(r.Context(), principal(r).CustomerID, r.PathValue("entity_id"), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, NeighbourList{Neighbours: ns})
	return nil
}

// DocumentList lists documents.
type DocumentList struct {
	Documents []*lakehouse.Document `json:"documents"`
}

func (s *Server) entityDocuments(w http.ResponseWriter, r *http.Request) error {
	lh, err := s.lake()
	if err != nil {
		return err
	}
	ds, err := lh.EntityDocuments(r.Context(), principal(r).CustomerID, r.PathValue("entity_id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, DocumentList{Documents: ds})
	return nil
}

// PathList lists paths between two entities.
type PathList struct {
	Paths []lakehouse.Path `json:"paths"`
}

func (s *Server) graphPaths(w http.ResponseWriter, r *http.Request) error {
	lh, err := s.lake()
	if err != nil {
		return err
	}
	depth, err := intParam(r, "depth", 3, 1, 4)
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", 10, 1, 100)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if q.Get("from") == "" || q.Get("to") == "" {
		return brain.Errorf(brain.EINVALID, "from and to are required entity ids")
	}
	ps, err := lh.Paths(r.Context(), principal(r).CustomerID, q.Get("from"), q.Get("to"), depth, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, PathList{Paths: ps})
	return nil
}

// graphExport serves one part of the Neo4j export: nodes or
// relationships as CSV, or the Cypher script.
func (s *Server) graphExport(w http.ResponseWriter, r *http.Request) error {
	lh, err := s.lake()
	if err != nil {
		return err
	}
	var nodes, rels, cypher bytes.Buffer
	if err := lh.ExportNeo4j(r.Context(), principal(r).CustomerID, &nodes, &rels, &cypher); err != nil {
		return err
	}
	part := r.URL.Query().Get("part")
	var body *bytes.Buffer
	ctype, name := "text/csv; charset=utf-8", ""
	switch part {
	case "", "nodes":
		body, name = &nodes, "entities.csv"
	case "relationships":
		body, name = &rels, "relationships.csv"
	case "cypher":
		body, name, ctype = &cypher, "import.cypher", "text/plain; charset=utf-8"
	default:
		return brain.Errorf(brain.EINVALID, "part must be nodes, relationships or cypher")
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(body.Bytes())
	return err
}

// LakehouseHealth is the body of GET /api/lakehouse/health.
type LakehouseHealth struct {
	Status       string `json:"status"`
	SQL          bool   `json:"sql"`
	SQLReason    string `json:"sql_reason,omitempty"`
	Model        string `json:"embedding_model"`
	Dim          int    `json:"embedding_dim"`
	OpenCustomer int    `json:"open_customers"`
	MemoryUsed   int64  `json:"memory_used_bytes"`
	MemoryBudget int64  `json:"memory_budget_bytes"`
}

func (s *Server) lakehouseHealth(w http.ResponseWriter, r *http.Request) error {
	lh, err := s.lake()
	if err != nil {
		return err
	}
	// Opening the caller's lakehouse proves its tables can be read.
	if _, err := lh.Tables(r.Context(), principal(r).CustomerID); err != nil {
		return err
	}
	ok, why := lakehouse.SQLAvailable()
	n, used, budget := lh.CacheStats()
	writeJSON(w, http.StatusOK, LakehouseHealth{Status: "ok", SQL: ok, SQLReason: why, Model: lh.Embedder().Model(),
		Dim: lh.Embedder().Dim(), OpenCustomer: n, MemoryUsed: used, MemoryBudget: budget})
	return nil
}

func (s *Server) lakehouseStats(w http.ResponseWriter, r *http.Request) error {
	lh, err := s.lake()
	if err != nil {
		return err
	}
	st, err := lh.Stats(r.Context(), principal(r).CustomerID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// PreviewResponse holds the first rows of a table.
type PreviewResponse struct {
	Table string           `json:"table"`
	Rows  []map[string]any `json:"rows"`
}

func (s *Server) tablePreview(w http.ResponseWriter, r *http.Request) error {
	lh, err := s.lake()
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", 100, 1, 1000)
	if err != nil {
		return err
	}
	rows, err := lh.Preview(r.Context(), principal(r).CustomerID, r.PathValue("table"), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, PreviewResponse{Table: r.PathValue("table"), Rows: nonNil(rows)})
	return nil
}

// DatasetsResponse lists the customer's datasets: its tables with their
// sizes (the original's /lance/datasets).
type DatasetsResponse struct {
	Datasets []lakehouse.TableInfo `json:"datasets"`
}

func (s *Server) datasets(w http.ResponseWriter, r *http.Request) error {
	lh, err := s.lake()
	if err != nil {
		return err
	}
	ts, err := lh.Tables(r.Context(), principal(r).CustomerID)
	if err != nil {
		return err
	}
	var out []lakehouse.TableInfo
	for _, t := range ts {
		if t.Exists {
			out = append(out, t)
		}
	}
	writeJSON(w, http.StatusOK, DatasetsResponse{Datasets: nonNil(out)})
	return nil
}
