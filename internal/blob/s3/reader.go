package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/minio/minio-go/v7"

	"github.com/zero711/brain/internal/blob"
)

// reader reads one version of an object: Read streams it with one GET
// opened on first use, ReadAt issues a ranged GET per call, so ReadAt is
// safe for concurrent use (Parquet readers fetch column chunks in
// parallel).
type reader struct {
	ctx    context.Context // Open's; the io interfaces carry none
	s      *Store
	key    string
	name   string
	size   int64
	etag   string
	body   io.ReadCloser // the stream of Read, nil until the first
	off    int64         // position of Read
	closed bool
}

var _ blob.Reader = (*reader)(nil)

func (r *reader) Size() int64 { return r.size }

func (r *reader) Read(p []byte) (int, error) {
	if r.closed {
		return 0, fmt.Errorf("blob/s3: read %s: %w", r.name, os.ErrClosed)
	}
	if r.off >= r.size {
		return 0, io.EOF
	}
	if r.body == nil {
		body, err := r.get(r.off, r.size-1)
		if err != nil {
			return 0, err
		}
		r.body = body
	}
	// Never more than the size Open saw: a server that serves a newer,
	// longer version despite If-Match must not make the reader overrun.
	n, err := r.body.Read(p[:min(int64(len(p)), r.size-r.off)])
	r.off += int64(n)
	if errors.Is(err, io.EOF) && r.off < r.size {
		err = io.ErrUnexpectedEOF
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return n, r.s.fail(r.ctx, "read", r.name, err)
	}
	return n, err
}

// ReadAt implements io.ReaderAt with a GET of exactly the bytes wanted.
func (r *reader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("blob/s3: read %s: negative offset %d", r.name, off)
	}
	if off >= r.size {
		return 0, io.EOF
	}
	want := min(int64(len(p)), r.size-off)
	if want == 0 {
		return 0, nil
	}
	body, err := r.get(off, off+want-1)
	if err != nil {
		return 0, err
	}
	defer body.Close()
	n, err := io.ReadFull(body, p[:want])
	if err != nil {
		return n, r.s.fail(r.ctx, "read", r.name, err)
	}
	if want < int64(len(p)) {
		return n, io.EOF
	}
	return n, nil
}

// get fetches bytes first to last of the version Open saw.
func (r *reader) get(first, last int64) (io.ReadCloser, error) {
	var opts minio.GetObjectOptions
	if r.etag != "" {
		if err := opts.SetMatchETag(r.etag); err != nil {
			return nil, fmt.Errorf("blob/s3: read %s: %w", r.name, err)
		}
	}
	if first > 0 || last < r.size-1 {
		if err := opts.SetRange(first, last); err != nil {
			return nil, fmt.Errorf("blob/s3: read %s: %w", r.name, err)
		}
	}
	body, info, _, err := minio.Core{Client: r.s.c}.GetObject(r.ctx, r.s.bucket, r.key, opts)
	if code(err) == "PreconditionFailed" || err == nil && info.ETag != r.etag {
		// Checked here too, as not every server honours If-Match on GET.
		if body != nil {
			body.Close()
		}
		return nil, fmt.Errorf("blob/s3: read %s: replaced since it was opened", r.name)
	}
	if err != nil {
		return nil, r.s.fail(r.ctx, "read", r.name, err)
	}
	return body, nil
}

// Close ends the stream of Read, if any.
func (r *reader) Close() error {
	r.closed = true
	if r.body != nil {
		err := r.body.Close()
		r.body = nil
		return err
	}
	return nil
}
