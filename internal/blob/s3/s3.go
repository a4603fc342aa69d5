// Package s3 is a blob.Store on S3-compatible servers (AWS S3, MinIO,
// versitygw), built on minio-go.
//
// PutIfAbsent is a single conditional PUT (If-None-Match: *), which the
// server checks atomically; the server must support it (AWS S3 since
// 2024, MinIO, versitygw, gofakes3). Being a single PUT it takes at most
// 5 GiB on AWS. AWS may answer it with 409 ConditionalRequestConflict
// while a conflicting write is in flight; that comes back as an error
// other than blob.ErrExists, for the caller to retry. Writes are not
// retried here: a retried conditional write whose first attempt did
// arrive would report ErrExists to its winner.
//
// A Reader sends its requests with the context given to Open, so that
// context must outlive the reading.
package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/zero711/brain/internal/blob"
)

// Config says where a Store keeps its objects.
type Config struct {
	Endpoint     string // host[:port] of the server, without scheme
	AccessKey    string
	SecretKey    string
	Region       string // empty: asked of the server
	Bucket       string
	Prefix       string // optional: a clean relative path every name is stored below
	UseSSL       bool
	CreateBucket bool              // create Bucket if it does not exist
	Transport    http.RoundTripper // optional, e.g. to trust a private CA; nil: minio's default
}

// partSize is the part of a multipart upload of unknown length, held in
// memory while it is sent; spoolMem is how much of a create-only write
// of unknown length is held in memory before it spills to a temporary
// file.
const (
	partSize = 16 << 20
	spoolMem = 8 << 20
)

// Store keeps objects in one bucket of an S3-compatible server, below an
// optional prefix.
type Store struct {
	c      *minio.Client
	region string
	bucket string
	prefix string // "" or ending in "/"
}

var _ blob.Store = (*Store)(nil)

// New connects to the server of cfg and checks its bucket: a missing one
// is created if cfg.CreateBucket is set, an error otherwise.
func New(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Endpoint == "" || cfg.Bucket == "" {
		return nil, errors.New("blob/s3: config needs an endpoint and a bucket")
	}
	prefix := ""
	if cfg.Prefix != "" {
		if err := blob.CheckName(cfg.Prefix); err != nil {
			return nil, fmt.Errorf("blob/s3: prefix: %w", err)
		}
		prefix = cfg.Prefix + "/"
	}
	c, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:     credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:    cfg.UseSSL,
		Region:    cfg.Region,
		Transport: cfg.Transport,
	})
	if err != nil {
		return nil, fmt.Errorf("blob/s3: client for %s: %w", cfg.Endpoint, err)
	}
	s := &Store{c: c, region: cfg.Region, bucket: cfg.Bucket, prefix: prefix}
	if cfg.CreateBucket {
		err = s.EnsureBucket(ctx, cfg.Bucket)
	} else {
		err = s.checkBucket(ctx)
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Store) checkBucket(ctx context.Context) error {
	ok, err := s.c.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("blob/s3: bucket %s: %w", s.bucket, ctxErr(ctx, err))
	}
	if !ok {
		return fmt.Errorf("blob/s3: bucket %s does not exist: %w", s.bucket, blob.ErrNotFound)
	}
	return nil
}

// EnsureBucket creates the bucket name on s's server unless it exists;
// the platform keeps each customer in a bucket of its own.
func (s *Store) EnsureBucket(ctx context.Context, name string) error {
	if ok, err := s.c.BucketExists(ctx, name); err == nil && ok {
		return nil
	}
	err := s.c.MakeBucket(ctx, name, minio.MakeBucketOptions{Region: s.region})
	if err == nil {
		return nil
	}
	// Another process may have created it meanwhile.
	if ok, _ := s.c.BucketExists(ctx, name); ok {
		return nil
	}
	return fmt.Errorf("blob/s3: create bucket %s: %w", name, ctxErr(ctx, err))
}

func (s *Store) key(name string) (string, error) {
	if err := blob.CheckName(name); err != nil {
		return "", err
	}
	return s.prefix + name, nil
}

// Open implements blob.Store. The reader fetches the object with ranged
// GETs, each pinned to the version Open found (If-Match), so it reads
// that version or fails; it uses ctx for all its requests.
func (s *Store) Open(ctx context.Context, name string) (blob.Reader, error) {
	key, err := s.key(name)
	if err != nil {
		return nil, err
	}
	info, err := s.c.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return nil, s.fail(ctx, "open", name, err)
	}
	return &reader{ctx: ctx, s: s, key: key, name: name, size: info.Size, etag: info.ETag}, nil
}

// Stat implements blob.Store.
func (s *Store) Stat(ctx context.Context, name string) (blob.Object, error) {
	key, err := s.key(name)
	if err != nil {
		return blob.Object{}, err
	}
	info, err := s.c.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return blob.Object{}, s.fail(ctx, "stat", name, err)
	}
	return blob.Object{Name: name, Size: info.Size, ModTime: info.LastModified}, nil
}

// Put implements blob.Store: one PutObject, which S3 applies atomically.
// size is r's length, or -1 if unknown.
func (s *Store) Put(ctx context.Context, name string, r io.Reader, size int64) error {
	key, err := s.key(name)
	if err != nil {
		return err
	}
	opts := minio.PutObjectOptions{ContentType: "application/octet-stream"}
	if size < 0 {
		opts.PartSize = partSize
	}
	if _, err := s.c.PutObject(ctx, s.bucket, key, ctxReader{ctx, r}, size, opts); err != nil {
		return s.fail(ctx, "put", name, err)
	}
	return nil
}

// PutIfAbsent implements blob.Store with a single conditional PUT
// (If-None-Match: *); the server refuses it with 412 if the name is
// taken. A body of unknown size (-1) is spooled first, as a single PUT
// needs its length.
func (s *Store) PutIfAbsent(ctx context.Context, name string, r io.Reader, size int64) error {
	key, err := s.key(name)
	if err != nil {
		return err
	}
	if size < 0 {
		body, n, done, err := spool(ctx, r)
		if err != nil {
			return fmt.Errorf("blob/s3: put %s: %w", name, err)
		}
		defer done()
		r, size = body, n
	}
	opts := minio.PutObjectOptions{ContentType: "application/octet-stream", DisableMultipart: true}
	opts.SetMatchETagExcept("*")
	if _, err := s.c.PutObject(ctx, s.bucket, key, ctxReader{ctx, r}, size, opts); err != nil {
		if code(err) == "PreconditionFailed" {
			return fmt.Errorf("blob/s3: put %s: %w", name, blob.ErrExists)
		}
		return s.fail(ctx, "put", name, err)
	}
	return nil
}

// spool reads r to its end, into memory or, past spoolMem, a temporary
// file, and returns the content and its length; done releases it.
func spool(ctx context.Context, r io.Reader) (io.Reader, int64, func(), error) {
	var buf bytes.Buffer
	n, err := io.CopyN(&buf, ctxReader{ctx, r}, spoolMem+1)
	if errors.Is(err, io.EOF) {
		return &buf, n, func() {}, nil
	}
	if err != nil {
		return nil, 0, nil, err
	}
	f, err := os.CreateTemp("", "blob-s3-*")
	if err != nil {
		return nil, 0, nil, err
	}
	done := func() { f.Close(); os.Remove(f.Name()) }
	n, err = io.Copy(f, io.MultiReader(&buf, ctxReader{ctx, r}))
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		done()
		return nil, 0, nil, err
	}
	return f, n, done, nil
}

// List implements blob.Store. Keys ending in "/" (folder markers some
// tools create) are not objects and are left out.
func (s *Store) List(ctx context.Context, prefix string) ([]blob.Object, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // ends minio's listing goroutine if we return early
	var out []blob.Object
	for info := range s.c.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + prefix, Recursive: true}) {
		if info.Err != nil {
			return nil, s.fail(ctx, "list", prefix, info.Err)
		}
		if strings.HasSuffix(info.Key, "/") {
			continue
		}
		out = append(out, blob.Object{Name: strings.TrimPrefix(info.Key, s.prefix), Size: info.Size, ModTime: info.LastModified})
	}
	slices.SortFunc(out, func(a, b blob.Object) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Delete implements blob.Store.
func (s *Store) Delete(ctx context.Context, name string) error {
	key, err := s.key(name)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("blob/s3: delete %s: %w", name, err)
	}
	err = s.c.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	if err != nil && code(err) != "NoSuchKey" {
		return s.fail(ctx, "delete", name, err)
	}
	return nil
}

// fail wraps an error of the server, mapping a missing object to
// blob.ErrNotFound and an ended context to its error.
func (s *Store) fail(ctx context.Context, op, name string, err error) error {
	if code(err) == "NoSuchKey" {
		return fmt.Errorf("blob/s3: %s %s: %w", op, name, blob.ErrNotFound)
	}
	return fmt.Errorf("blob/s3: %s %s: %w", op, name, ctxErr(ctx, err))
}

// ctxErr adds the context's error to err if the context has ended, so
// that callers can test for context.Canceled whatever minio returned.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w: %w", cerr, err)
	}
	return err
}

// code returns the S3 error code of err, or "" if it has none. A HEAD
// has no body, so minio derives the code from the status there.
func code(err error) string {
	var resp minio.ErrorResponse
	if !errors.As(err, &resp) {
		return ""
	}
	if resp.Code == "" && resp.StatusCode == http.StatusPreconditionFailed {
		return "PreconditionFailed"
	}
	return resp.Code
}

// ctxReader stops an upload when the context ends. It hides any Seek of
// the reader it wraps, which also keeps minio from retrying a write.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
