// Package upload stores the files customers upload: one bucket per
// customer (customer-{id}), objects named {YYYYMMDD_HHMMSS}_{filename}
// with the filename sanitised, streamed to storage with a size limit and
// hashed on the way. Buckets live in a local folder per customer by
// default and on an S3-compatible server when one is configured.
package upload

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/blob"
)

// Buckets opens customers' buckets.
type Buckets interface {
	// Bucket returns the customer's bucket and its name, creating it when
	// create is set; created reports that this call created it.
	Bucket(ctx context.Context, customerID string, create bool) (b blob.Store, name string, created bool, err error)
	// Location describes where an object lies, for responses: a local
	// path or s3://bucket/name.
	Location(customerID, object string) string
}

// Object is a stored upload.
type Object struct {
	Filename string    `json:"filename"` // sanitised original name
	Name     string    `json:"object"`   // object name in the bucket
	Bucket   string    `json:"bucket"`
	Path     string    `json:"path"`
	Size     int64     `json:"size"`
	SHA256   string    `json:"sha256,omitempty"`
	Modified time.Time `json:"modified,omitzero"`
}

// Store writes uploads into customers' buckets.
type Store struct {
	buckets Buckets
	now     func() time.Time
}

// New returns a Store over buckets; now may be nil (time.Now).
func New(buckets Buckets, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{buckets: buckets, now: now}
}

// ErrTooLarge reports an upload over its size limit.
var ErrTooLarge = errors.New("upload exceeds the size limit")

// Put streams r into the customer's bucket as filename (sanitised) and
// returns the stored object. At most limit bytes are accepted (limit <= 0:
// no limit): a larger body is refused with brain.ETOOLARGE and nothing is
// kept. created reports that the bucket was created by this upload (the
// customer's first).
func (s *Store) Put(ctx context.Context, customerID, filename string, r io.Reader, limit int64) (obj Object, created bool, err error) {
	b, bucket, created, err := s.buckets.Bucket(ctx, customerID, true)
	if err != nil {
		return Object{}, false, fmt.Errorf("upload: bucket: %w", err)
	}
	clean := SanitizeFilename(filename)
	stamp := s.now().UTC().Format("20060102_150405")
	h := sha256.New()
	counter := &countingReader{r: io.TeeReader(r, h), limit: limit}
	name := stamp + "_" + clean
	for i := 2; ; i++ {
		if _, err := b.Stat(ctx, name); errors.Is(err, blob.ErrNotFound) {
			break
		} else if err != nil {
			return Object{}, created, fmt.Errorf("upload: store %s: %w", clean, err)
		}
		// Same name in the same second: number the stamp, so that the
		// filename stays as it was.
		name = fmt.Sprintf("%s-%d_%s", stamp, i, clean)
	}
	err = b.PutIfAbsent(ctx, name, counter, -1)
	if counter.over {
		_ = b.Delete(context.WithoutCancel(ctx), name)
		return Object{}, created, brain.Errorf(brain.ETOOLARGE, "%s is larger than %d bytes", clean, limit)
	}
	if err != nil {
		_ = b.Delete(context.WithoutCancel(ctx), name)
		return Object{}, created, fmt.Errorf("upload: store %s: %w", clean, err)
	}
	return Object{Filename: clean, Name: name, Bucket: bucket, Path: s.buckets.Location(customerID, name),
		Size: counter.n, SHA256: hex.EncodeToString(h.Sum(nil)), Modified: s.now().UTC()}, created, nil
}

// List returns the customer's uploads in the order they arrived (by
// stamp and same-second counter);
// none when the bucket does not exist yet.
func (s *Store) List(ctx context.Context, customerID string) ([]Object, error) {
	b, bucket, _, err := s.buckets.Bucket(ctx, customerID, false)
	if err != nil {
		if errors.Is(err, blob.ErrNotFound) {
			return []Object{}, nil
		}
		return nil, fmt.Errorf("upload: list: %w", err)
	}
	objs, err := b.List(ctx, "")
	if err != nil {
		if errors.Is(err, blob.ErrNotFound) {
			return []Object{}, nil
		}
		return nil, fmt.Errorf("upload: list: %w", err)
	}
	out := make([]Object, 0, len(objs))
	seqs := map[string]int{}
	for _, o := range objs {
		filename, seq, ok := parseNameSeq(o.Name)
		if !ok {
			continue // the lakehouse shares an S3 bucket under lakehouse/
		}
		seqs[o.Name] = seq
		out = append(out, Object{Filename: filename, Name: o.Name, Bucket: bucket,
			Path: s.buckets.Location(customerID, o.Name), Size: o.Size, Modified: o.ModTime})
	}
	slices.SortStableFunc(out, func(a, b Object) int {
		if c := strings.Compare(a.Name[:15], b.Name[:15]); c != 0 {
			return c
		}
		return seqs[a.Name] - seqs[b.Name]
	})
	return out, nil
}

// Open opens an upload of the customer.
func (s *Store) Open(ctx context.Context, customerID, name string) (blob.Reader, error) {
	if !IsUploadName(name) {
		return nil, brain.Errorf(brain.ENOTFOUND, "upload not found")
	}
	b, _, _, err := s.buckets.Bucket(ctx, customerID, false)
	if err != nil {
		return nil, fmt.Errorf("upload: open: %w", err)
	}
	rd, err := b.Open(ctx, name)
	if errors.Is(err, blob.ErrNotFound) {
		return nil, brain.Errorf(brain.ENOTFOUND, "upload not found")
	}
	return rd, err
}

// Delete removes one upload of the customer; a missing one is no error.
func (s *Store) Delete(ctx context.Context, customerID, name string) error {
	if !IsUploadName(name) {
		return brain.Errorf(brain.ENOTFOUND, "upload not found")
	}
	b, _, _, err := s.buckets.Bucket(ctx, customerID, false)
	if err != nil {
		return fmt.Errorf("upload: delete: %w", err)
	}
	return b.Delete(ctx, name)
}

// Clear deletes every upload of the customer and returns how many.
func (s *Store) Clear(ctx context.Context, customerID string) (int, error) {
	objs, err := s.List(ctx, customerID)
	if err != nil || len(objs) == 0 {
		return 0, err
	}
	b, _, _, err := s.buckets.Bucket(ctx, customerID, false)
	if err != nil {
		return 0, fmt.Errorf("upload: clear: %w", err)
	}
	for i, o := range objs {
		if err := b.Delete(ctx, o.Name); err != nil {
			return i, fmt.Errorf("upload: clear: %w", err)
		}
	}
	return len(objs), nil
}

// IsUploadName reports whether name has the form of an upload object:
// YYYYMMDD_HHMMSS (with -N when several files of one name arrived in
// the same second), "_", and a sanitised filename, at the bucket's top.
func IsUploadName(name string) bool {
	_, ok := parseName(name)
	return ok
}

// parseName returns the filename part of an upload object's name.
func parseName(name string) (string, bool) {
	f, _, ok := parseNameSeq(name)
	return f, ok
}

// parseNameSeq also returns the same-second counter (1 when there is
// none).
func parseNameSeq(name string) (string, int, bool) {
	seq := 1
	if len(name) < 17 || strings.Contains(name, "/") || name[8] != '_' {
		return "", 0, false
	}
	for i, c := range name[:15] {
		if i != 8 && (c < '0' || c > '9') {
			return "", 0, false
		}
	}
	rest := name[15:]
	if strings.HasPrefix(rest, "-") {
		j := 1
		for j < len(rest) && j < 8 && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if j == 1 {
			return "", 0, false
		}
		seq, _ = strconv.Atoi(rest[1:j])
		rest = rest[j:]
	}
	filename, ok := strings.CutPrefix(rest, "_")
	if !ok || filename == "" || SanitizeFilename(filename) != filename {
		return "", 0, false
	}
	return filename, seq, true
}

// maxFilename bounds a sanitised name in bytes, leaving room for the
// timestamp and a counter within common 255-byte filesystem limits.
const maxFilename = 200

// SanitizeFilename turns an untrusted filename into one safe as an object
// name and a file name on any filesystem: the last path element only (both
// / and \ separate), Unicode NFC, no control or format characters, none of
// <>:"|?* , no leading dots or spaces, no trailing dots or spaces, at most
// 200 bytes with the extension kept; "upload" when nothing is left.
func SanitizeFilename(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToValidUTF8(name, "")
	name = norm.NFC.String(name)
	var b strings.Builder
	space := false
	for _, r := range name {
		switch {
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError:
			continue
		case strings.ContainsRune(`<>:"|?*`, r):
			r = '_'
		case unicode.IsSpace(r):
			if space {
				continue
			}
			r, space = ' ', true
			b.WriteRune(r)
			continue
		}
		space = false
		b.WriteRune(r)
	}
	name = strings.Trim(b.String(), " .")
	name = strings.TrimLeft(name, "._- ")
	if len(name) > maxFilename {
		ext := path.Ext(name)
		if len(ext) > 16 || !utf8.ValidString(ext) {
			ext = ""
		}
		stem := name[:len(name)-len(ext)]
		cut := maxFilename - len(ext)
		for cut > 0 && !utf8.RuneStart(stem[cut]) {
			cut--
		}
		name = strings.TrimRight(stem[:cut], " .") + ext
	}
	if name == "" {
		return "upload"
	}
	return name
}

type countingReader struct {
	r     io.Reader
	n     int64
	limit int64
	over  bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.limit > 0 && c.n > c.limit {
		c.over = true
		return n, ErrTooLarge
	}
	return n, err
}
