// Package ingest turns uploaded files into lakehouse rows: extract →
// classify → chunk → entities → embed and load, one durable job file at a
// time. Workers on any node claim files from the metadata store with a
// lease, so ingestion survives restarts and resumes without duplicating
// chunks; a file's typed failure is recorded and never stops the rest.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/blob"
	"github.com/zero711/brain/internal/chunk"
	"github.com/zero711/brain/internal/classify"
	"github.com/zero711/brain/internal/delta"
	"github.com/zero711/brain/internal/document"
	"github.com/zero711/brain/internal/entity"
	"github.com/zero711/brain/internal/extract"
	"github.com/zero711/brain/internal/lakehouse"
)

// Lake is what ingestion writes to: the customer's lakehouse.
type Lake interface {
	AddDocuments(ctx context.Context, customerID string, nds []lakehouse.NewDocument) ([]*lakehouse.Document, error)
	DeleteDocument(ctx context.Context, customerID, documentID string) error
	DocumentsBySource(ctx context.Context, customerID, source string) ([]*lakehouse.Document, error)
	HasDocument(ctx context.Context, customerID, documentID string) (bool, error)
	PurgeDocument(ctx context.Context, customerID, documentID string) error
	PutTable(ctx context.Context, customerID, name string, schema *delta.StructType, rows []map[string]any) error
}

// Objects opens uploaded files.
type Objects interface {
	Open(ctx context.Context, customerID, name string) (blob.Reader, error)
}

// Extractor extracts a local file and its embedded files.
type Extractor interface {
	Extract(ctx context.Context, path, name string) *extract.Result
}

// Staging makes a fresh local directory for one file's extraction.
type Staging func(customerID string) (dir string, cleanup func(), err error)

// Pipeline processes one file.
type Pipeline struct {
	Lake      Lake
	Objects   Objects
	Extractor Extractor
	Staging   Staging
	Chunking  chunk.Options
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Outcome is what processing a file produced.
type Outcome struct {
	Status      brain.FileStatus
	DocumentID  string
	Chunks      int
	Handler     string
	ContentType string
	Domain      string
	Reason      string // typed failure code (document.Reason)
	Error       string
	Documents   int // documents written (the file and its embedded files)
	Tables      int
	Bytes       int64
	Stages      StageTimes
}

// StageTimes is where processing spent its time.
type StageTimes struct {
	Fetch, Extract, Analyze, Load time.Duration
}

// Add sums t into s.
func (s *StageTimes) Add(t StageTimes) {
	s.Fetch += t.Fetch
	s.Extract += t.Extract
	s.Analyze += t.Analyze
	s.Load += t.Load
}

// errTransient marks failures worth retrying (storage, lakehouse), as
// opposed to a file that cannot be extracted.
type errTransient struct{ err error }

func (e errTransient) Error() string { return e.err.Error() }
func (e errTransient) Unwrap() error { return e.err }

// IsTransient reports whether err is worth retrying.
func IsTransient(err error) bool {
	var t errTransient
	return errors.As(err, &t)
}

// DocumentID is the id of the document made from content with this hash
// (member "" for the file itself, else the embedded file's path inside
// it): the same content always gets the same id, so a retried or
// re-uploaded file is recognised.
func DocumentID(sha string, member string) string {
	h := sha256.Sum256([]byte(sha + "\x00" + member))
	return "doc-" + hex.EncodeToString(h[:12])
}

// Process ingests one file of a job. A file that cannot be extracted
// gives a failed Outcome and a nil error; the error is for transient
// failures (the caller retries) and cancellation.
func (p *Pipeline) Process(ctx context.Context, f *brain.IngestFile, selectedMCPs []string) (Outcome, error) {
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	out := Outcome{Bytes: f.Size}
	t0 := now()
	dir, cleanup, err := p.Staging(f.CustomerID)
	if err != nil {
		return out, errTransient{fmt.Errorf("staging: %w", err)}
	}
	defer cleanup()
	local := filepath.Join(dir, "file"+safeExt(f.Filename))
	sum, n, err := p.fetch(ctx, f, local)
	if err != nil {
		return out, err
	}
	if f.SHA256 != "" && f.SHA256 != sum {
		return out, fmt.Errorf("%w: %s changed since it was uploaded (hash %s, now %s)", errGone, f.Object, f.SHA256, sum)
	}
	f.SHA256, f.Size, out.Bytes = sum, n, n
	out.Stages.Fetch = now().Sub(t0)
	rootID := DocumentID(f.SHA256, "")
	// The same content ingested before (this upload retried after a crash,
	// or the same file uploaded again): nothing to do twice.
	if ok, err := p.Lake.HasDocument(ctx, f.CustomerID, rootID); err != nil {
		return out, errTransient{err}
	} else if ok {
		if err := p.replaceOlder(ctx, f, rootID); err != nil {
			return out, err
		}
		out.Status, out.DocumentID = brain.FileSkipped, rootID
		if f.Attempts > 1 {
			// Our own earlier attempt got as far as the lakehouse.
			out.Status = brain.FileDone
		} else {
			out.Error = "content already ingested"
		}
		return out, nil
	}
	t0 = now()
	res := p.Extractor.Extract(ctx, local, f.Filename)
	out.Stages.Extract = now().Sub(t0)
	if err := ctx.Err(); err != nil {
		return out, err
	}
	out.ContentType = res.ContentType
	if res.Err != nil {
		out.Status, out.Reason, out.Error = brain.FileFailed, document.Reason(res.Err), res.Err.Error()
		return out, nil
	}
	out.Handler = res.Doc.Handler
	t0 = now()
	override, _ := classify.Override(selectedMCPs)
	var nds []lakehouse.NewDocument
	var tables []table
	var warnings []string
	res.Walk(func(r *extract.Result) {
		member := strings.TrimPrefix(strings.TrimPrefix(r.Name, res.Name), "/")
		if r.Err != nil {
			warnings = append(warnings, fmt.Sprintf("%s: %s", r.Name, r.Err))
			return
		}
		nd, ok := p.build(f, r, member, override, now())
		if ok {
			nds = append(nds, nd)
		}
		for _, d := range r.Doc.Data {
			tables = append(tables, makeTable(f.Filename, member, d))
		}
	})
	out.Stages.Analyze = now().Sub(t0)
	if len(nds) == 0 || nds[0].Document.ID != rootID {
		// The file itself yielded no text: its embedded files may have.
		if len(nds) == 0 {
			out.Status, out.Reason = brain.FileFailed, "empty"
			out.Error = fmt.Sprintf("%v: %s", document.ErrEmpty, f.Filename)
			if len(warnings) > 0 {
				out.Error += "; " + strings.Join(warnings, "; ")
			}
			return out, nil
		}
	}
	out.Domain = nds[0].Document.Domain
	t0 = now()
	if f.Attempts > 1 {
		// An earlier attempt may have died between the chunks and the
		// documents commit: remove what it left.
		for _, nd := range nds {
			if err := p.Lake.PurgeDocument(ctx, f.CustomerID, nd.Document.ID); err != nil {
				return out, errTransient{err}
			}
		}
	}
	firstID := nds[0].Document.ID
	if _, err := p.Lake.AddDocuments(ctx, f.CustomerID, nds); err != nil {
		if brain.ErrorCode(err) == brain.ECONFLICT {
			// An embedded file identical to one ingested before.
			nds = p.withoutExisting(ctx, f.CustomerID, nds)
			if len(nds) > 0 {
				_, err = p.Lake.AddDocuments(ctx, f.CustomerID, nds)
			} else {
				err = nil
			}
		}
		if err != nil {
			return out, errTransient{err}
		}
	}
	for _, tb := range tables {
		if err := p.Lake.PutTable(ctx, f.CustomerID, tb.name, tb.schema, tb.rows); err != nil {
			warnings = append(warnings, fmt.Sprintf("table %s: %v", tb.name, err))
			continue
		}
		out.Tables++
	}
	if err := p.replaceOlder(ctx, f, rootID); err != nil {
		return out, err
	}
	out.Stages.Load = now().Sub(t0)
	out.Status, out.DocumentID, out.Documents = brain.FileDone, firstID, len(nds)
	for _, nd := range nds {
		out.Chunks += len(nd.Chunks)
	}
	if len(warnings) > 0 {
		out.Error = clip(strings.Join(warnings, "; "), 2000)
	}
	return out, nil
}

func (p *Pipeline) withoutExisting(ctx context.Context, customerID string, nds []lakehouse.NewDocument) []lakehouse.NewDocument {
	var keep []lakehouse.NewDocument
	for _, nd := range nds {
		if ok, err := p.Lake.HasDocument(ctx, customerID, nd.Document.ID); err == nil && !ok {
			keep = append(keep, nd)
		}
	}
	return keep
}

// replaceOlder deletes the documents an earlier version of the same file
// (same name, other content) left.
func (p *Pipeline) replaceOlder(ctx context.Context, f *brain.IngestFile, rootID string) error {
	old, err := p.Lake.DocumentsBySource(ctx, f.CustomerID, f.Filename)
	if err != nil {
		return errTransient{err}
	}
	for _, d := range old {
		if d.ContentHash == f.SHA256 || d.ID == rootID {
			continue
		}
		if err := p.Lake.DeleteDocument(ctx, f.CustomerID, d.ID); err != nil && brain.ErrorCode(err) != brain.ENOTFOUND {
			return errTransient{err}
		}
	}
	return nil
}

// fetch copies the upload to local, hashing it on the way.
func (p *Pipeline) fetch(ctx context.Context, f *brain.IngestFile, local string) (sum string, n int64, err error) {
	rd, err := p.Objects.Open(ctx, f.CustomerID, f.Object)
	if err != nil {
		if brain.ErrorCode(err) == brain.ENOTFOUND {
			return "", 0, fmt.Errorf("%w: upload %s is gone", errGone, f.Object)
		}
		return "", 0, errTransient{fmt.Errorf("open upload: %w", err)}
	}
	defer rd.Close()
	w, err := os.OpenFile(local, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return "", 0, errTransient{fmt.Errorf("staging: %w", err)}
	}
	h := sha256.New()
	n, err = io.Copy(io.MultiWriter(w, h), rd)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, errTransient{fmt.Errorf("fetch upload: %w", err)}
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

var errGone = errors.New("upload not found")

// build makes the lakehouse document of one extraction result.
func (p *Pipeline) build(f *brain.IngestFile, r *extract.Result, member, override string, now time.Time) (lakehouse.NewDocument, bool) {
	doc := r.Doc
	source := f.Filename
	if member != "" {
		source += "/" + member
	}
	title := doc.Title
	if title == "" {
		title = filepath.Base(source)
	}
	text := doc.Text()
	domain, conf := override, 1.0
	if domain == "" {
		c := classify.Classify(title, clip(text, 50_000))
		domain, conf = c.Domain, c.Confidence
	}
	meta := map[string]string{"handler": doc.Handler, "domain_confidence": strconv.FormatFloat(conf, 'f', 2, 64),
		"ingest_job": f.JobID}
	for k, v := range doc.Metadata {
		if len(meta) < 50 {
			meta["x_"+k] = clip(v, 500)
		}
	}
	if len(doc.Warnings) > 0 {
		meta["warnings"] = clip(strings.Join(doc.Warnings, "; "), 1000)
	}
	d := lakehouse.Document{ID: DocumentID(f.SHA256, member), Title: clip(title, 1000), Source: source,
		ContentType: r.ContentType, Domain: domain, Language: doc.Language, ContentHash: f.SHA256, Size: r.Size,
		Author: clip(doc.Author, 500), CreatedAt: now, Metadata: meta}
	if !doc.Created.IsZero() {
		t := doc.Created.UTC()
		d.DocumentDate = &t
	} else if !doc.Modified.IsZero() {
		t := doc.Modified.UTC()
		d.DocumentDate = &t
	}
	pieces := chunk.Split(doc, p.Chunking)
	if len(pieces) == 0 {
		return lakehouse.NewDocument{}, false
	}
	nd := lakehouse.NewDocument{Document: d}
	mentions := map[string]*lakehouse.EntityMention{}
	rels := map[[2]string]*lakehouse.Relationship{}
	for _, pc := range pieces {
		text := strings.ToValidUTF8(pc.Text, "")
		if strings.TrimSpace(text) == "" {
			continue
		}
		i := len(nd.Chunks)
		ch := lakehouse.Chunk{ID: fmt.Sprintf("%s:%d", d.ID, i), Position: i, Text: text,
			Section: strings.Join(pc.Section, " > "), Page: pc.Page, Language: doc.Language, Tokens: pc.Tokens}
		nd.Chunks = append(nd.Chunks, ch)
		ents, relations := entity.Analyze(pc.Text)
		for _, e := range ents {
			id := lakehouse.EntityID(e.Type, e.Value)
			if m := mentions[id]; m != nil {
				m.Count++
				continue
			}
			mentions[id] = &lakehouse.EntityMention{ID: id, ChunkID: ch.ID, Name: clip(e.Value, 300), Type: e.Type, Count: 1}
		}
		for _, rel := range relations {
			from, to := keyID(rel.From), keyID(rel.To)
			if from == "" || to == "" || from == to {
				continue
			}
			if from > to {
				from, to = to, from
			}
			k := [2]string{from, to}
			if r := rels[k]; r != nil {
				r.Weight++
				continue
			}
			rels[k] = &lakehouse.Relationship{Source: from, Target: to, Type: rel.Type, Weight: 1}
		}
	}
	if len(nd.Chunks) == 0 {
		return lakehouse.NewDocument{}, false
	}
	for _, m := range mentions {
		nd.Entities = append(nd.Entities, *m)
	}
	for _, r := range rels {
		if mentions[r.Source] != nil && mentions[r.Target] != nil {
			nd.Relationships = append(nd.Relationships, *r)
		}
	}
	return nd, true
}

// keyID maps an entity key "TYPE:value" to its entity id.
func keyID(key string) string {
	typ, val, ok := strings.Cut(key, ":")
	if !ok {
		return ""
	}
	return lakehouse.EntityID(typ, val)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

func safeExt(name string) string {
	ext := strings.ToLower(filepath.Ext(name))
	if len(ext) > 10 || !extPattern.MatchString(ext) {
		return ""
	}
	return ext
}

var extPattern = regexp.MustCompile(`^\.[a-z0-9]+$`)
