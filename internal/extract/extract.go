// Package extract turns any file into normalized documents: it sniffs the
// type, picks the extractor registered for it, bounds it in time, recovers
// from its panics, and extracts embedded files (attachments, archive
// members) recursively within the limits of document.Limits. The format
// extractors live in the subpackages.
package extract

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gabriel-vasile/mimetype"

	"github.com/zero711/brain/internal/document"
)

// Options configure a Dispatcher.
type Options struct {
	// Timeout bounds the extraction of one file (its members have their
	// own); default 2 minutes.
	Timeout time.Duration
	// Limits bound containers and OCR; zero fields take
	// document.DefaultLimits.
	Limits document.Limits
	// TempDir is where embedded files are written while they are
	// extracted (the ingestion staging directory); default os.TempDir.
	TempDir string
	// DetectLanguage fills in a document's language when the extractor
	// did not; nil leaves it empty.
	DetectLanguage func(text string) string
	Logger         *slog.Logger
}

// Dispatcher routes files to extractors. Builtin adds a fallback that
// keeps the readable text runs of binary formats no extractor reads.
type Dispatcher struct {
	opts     Options
	byType   map[string]document.Extractor
	byExt    map[string]document.Extractor
	fallback document.Extractor // for types no extractor takes; nil: unsupported
}

// New returns a dispatcher over extractors: each handles the MIME types it
// lists (the first registered wins). byExt routes file extensions (".md")
// whose content sniffs as something generic.
func New(opts Options, byExt map[string]document.Extractor, extractors ...document.Extractor) *Dispatcher {
	if opts.Timeout <= 0 {
		opts.Timeout = 2 * time.Minute
	}
	def := document.DefaultLimits
	l := &opts.Limits
	if l.MaxExpandedBytes <= 0 {
		l.MaxExpandedBytes = def.MaxExpandedBytes
	}
	if l.MaxMembers <= 0 {
		l.MaxMembers = def.MaxMembers
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = def.MaxDepth
	}
	if l.MaxPages <= 0 {
		l.MaxPages = def.MaxPages
	}
	if opts.TempDir == "" {
		opts.TempDir = os.TempDir()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	d := &Dispatcher{opts: opts, byType: map[string]document.Extractor{}, byExt: map[string]document.Extractor{}}
	for _, x := range extractors {
		for _, t := range x.Types() {
			if _, taken := d.byType[t]; !taken {
				d.byType[t] = x
			}
		}
	}
	for ext, x := range byExt {
		d.byExt[strings.ToLower(ext)] = x
	}
	return d
}

// Result is the extraction of one file or embedded file.
type Result struct {
	// Name is the file's name; an embedded file's is its container's name,
	// "/", and its own (sanitised) name.
	Name        string
	ContentType string
	Size        int64
	Doc         *document.Document // nil when Err is set
	Err         error
	Children    []*Result
}

// Walk calls fn for r and every embedded result, depth first.
func (r *Result) Walk(fn func(*Result)) {
	fn(r)
	for _, c := range r.Children {
		c.Walk(fn)
	}
}

// Sniff returns the MIME type of the file at path (without parameters).
func Sniff(path string) (string, error) {
	m, err := mimetype.DetectFile(path)
	if err != nil {
		return "", err
	}
	t, _, err := mime.ParseMediaType(m.String())
	if err != nil {
		return m.String(), nil
	}
	return t, nil
}

// Extract extracts the file at path, named name, and its embedded files.
// It never panics and always returns a Result; failures are in Err.
func (d *Dispatcher) Extract(ctx context.Context, path, name string) *Result {
	limits := d.opts.Limits
	budget := limits.MaxExpandedBytes
	members := limits.MaxMembers
	return d.extract(ctx, path, name, limits, &budget, &members)
}

func (d *Dispatcher) extract(ctx context.Context, path, name string, limits document.Limits, budget *int64, members *int) *Result {
	r := &Result{Name: name}
	fi, err := os.Stat(path)
	if err != nil {
		r.Err = fmt.Errorf("extract %s: %w", name, err)
		return r
	}
	r.Size = fi.Size()
	if r.Size == 0 {
		r.Err = fmt.Errorf("%w: %s is empty (0 bytes)", document.ErrEmpty, name)
		return r
	}
	x, alt, ctype, err := d.route(path, name)
	r.ContentType = ctype
	if err != nil {
		r.Err = err
		return r
	}
	in := document.Input{Path: path, Name: filepath.Base(name), ContentType: ctype, Size: r.Size, Limits: limits}
	in.Limits.MaxExpandedBytes = *budget
	in.Limits.MaxMembers = *members
	doc, err := d.run(ctx, x, in)
	if err != nil && alt != nil && (errors.Is(err, document.ErrCorrupt) || errors.Is(err, document.ErrUnsupported)) {
		// The extension promised a format the content is not: read it
		// as what it is.
		if adoc, aerr := d.run(ctx, alt, in); aerr == nil {
			adoc.Warnings = append(adoc.Warnings, fmt.Sprintf("the name says %s, but the content is %s: read as that (%v)",
				strings.ToLower(filepath.Ext(name)), ctype, err))
			doc, err, x = adoc, nil, alt
		}
	}
	if err != nil {
		r.Err = fmt.Errorf("%s (%s, %s): %w", name, ctype, x.Name(), err)
		return r
	}
	if doc.ContentType == "" {
		doc.ContentType = ctype
	}
	if doc.Handler == "" {
		doc.Handler = x.Name()
	}
	doc.Normalize()
	if doc.Language == "" && d.opts.DetectLanguage != nil {
		doc.Language = d.opts.DetectLanguage(sample(doc, 20_000))
	}
	r.Doc = doc
	atts := doc.Attachments
	doc.Attachments = nil
	for i, a := range atts {
		if err := ctx.Err(); err != nil {
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("%d embedded files not extracted: %v", len(atts)-i, err))
			break
		}
		if limits.Depth+1 > limits.MaxDepth {
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("%d embedded files not extracted: nested more than %d deep", len(atts)-i, limits.MaxDepth))
			break
		}
		*members--
		*budget -= int64(len(a.Data))
		if *members < 0 || *budget < 0 {
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("%d embedded files not extracted: container limits reached", len(atts)-i))
			break
		}
		r.Children = append(r.Children, d.child(ctx, r.Name, a, limits, budget, members))
		atts[i].Data = nil // let the collector have it
	}
	return r
}

func (d *Dispatcher) child(ctx context.Context, parent string, a document.Attachment, limits document.Limits, budget *int64, members *int) *Result {
	name := parent + "/" + safeName(a.Name)
	f, err := os.CreateTemp(d.opts.TempDir, "member-*"+safeExt(a.Name))
	if err != nil {
		return &Result{Name: name, Err: fmt.Errorf("extract %s: staging: %w", name, err)}
	}
	defer os.Remove(f.Name())
	_, err = f.Write(a.Data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return &Result{Name: name, Err: fmt.Errorf("extract %s: staging: %w", name, err)}
	}
	limits.Depth++
	return d.extract(ctx, f.Name(), name, limits, budget, members)
}

// route picks the extractor: by extension first for the few formats whose
// content sniffs as something generic, then by the sniffed type and its
// parents. alt is the extractor of the sniffed type when the extension
// chose another: it reads the file when the first finds it is not what
// its name says.
func (d *Dispatcher) route(path, name string) (x, alt document.Extractor, ctype string, err error) {
	m, err := mimetype.DetectFile(path)
	if err != nil {
		return nil, nil, "", fmt.Errorf("extract %s: sniff: %w", name, err)
	}
	ctype = baseType(m.String())
	var byType document.Extractor
	for t := m; t != nil; t = t.Parent() {
		if bx, ok := d.byType[baseType(t.String())]; ok {
			byType = bx
			break
		}
	}
	ext := strings.ToLower(filepath.Ext(name))
	if ex, ok := d.byExt[ext]; ok && (generic(ctype) || ctype == baseType(mime.TypeByExtension(ext))) {
		if byType != nil && byType.Name() != ex.Name() {
			alt = byType
		}
		return ex, alt, ctype, nil
	}
	if byType != nil {
		return byType, nil, ctype, nil
	}
	if ex, ok := d.byExt[ext]; ok {
		return ex, nil, ctype, nil
	}
	if d.fallback != nil && !strings.HasPrefix(ctype, "image/") && !strings.HasPrefix(ctype, "video/") &&
		!strings.HasPrefix(ctype, "audio/") && !archiveType(ctype) {
		return d.fallback, nil, ctype, nil
	}
	return nil, nil, ctype, fmt.Errorf("%w: no extractor for %s (%s)", document.ErrUnsupported, name, ctype)
}

// archiveType reports compressed containers whose bytes hold no
// readable text.
func archiveType(t string) bool {
	switch t {
	case "application/x-7z-compressed", "application/x-rar-compressed", "application/x-xz", "application/zstd",
		"application/x-bzip2", "application/gzip", "application/zip":
		return true
	}
	return false
}

// generic types say little about the format: the extension decides.
func generic(t string) bool {
	switch t {
	case "text/plain", "application/octet-stream", "application/x-ole-storage", "application/zip", "application/xml", "text/xml",
		"message/rfc822", "application/java-archive":
		return true
	}
	return false
}

func baseType(s string) string {
	t, _, err := mime.ParseMediaType(s)
	if err != nil {
		return s
	}
	return t
}

// run calls x in its own goroutine, so that neither a panic nor an
// extractor that ignores its context can take the caller down or hold it
// past the timeout.
func (d *Dispatcher) run(ctx context.Context, x document.Extractor, in document.Input) (*document.Document, error) {
	ctx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
	defer cancel()
	type outcome struct {
		doc *document.Document
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				d.opts.Logger.Error("extract: extractor panicked", "extractor", x.Name(), "file", in.Name, "panic", p, "stack", string(debug.Stack()))
				done <- outcome{err: fmt.Errorf("%w: the %s extractor failed on this file (%v)", document.ErrCorrupt, x.Name(), p)}
			}
		}()
		doc, err := x.Extract(ctx, in)
		if err == nil && doc == nil {
			err = fmt.Errorf("%w: no document", document.ErrEmpty)
		}
		done <- outcome{doc, err}
	}()
	select {
	case o := <-done:
		if o.err != nil && ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w after %v: %v", document.ErrTimeout, d.opts.Timeout, o.err)
		}
		return o.doc, o.err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w after %v", document.ErrTimeout, d.opts.Timeout)
		}
		return nil, ctx.Err()
	}
}

func sample(doc *document.Document, n int) string {
	var b strings.Builder
	for _, bl := range doc.Blocks {
		if b.Len() >= n {
			break
		}
		b.WriteString(bl.Text)
		b.WriteByte('\n')
	}
	s := b.String()
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "")
	}
	return s
}

// safeName keeps an embedded file's name for display only: its last path
// element, without control characters, at most 200 bytes.
func safeName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	name = strings.Trim(name, " .")
	if len(name) > 200 {
		name = strings.ToValidUTF8(name[:200], "")
	}
	if name == "" {
		return "unnamed"
	}
	return name
}

// safeExt is the extension of name if it is short and plain, so that
// tools that look at extensions see the right one.
func safeExt(name string) string {
	ext := strings.ToLower(filepath.Ext(safeName(name)))
	if len(ext) > 10 || strings.ContainsAny(ext, "*?[]/\\ ") {
		return ""
	}
	return ext
}
