// Package blob is object storage: named byte objects under a root, on the
// local filesystem (Local) or on S3-compatible servers (package blob/s3).
// Names are slash-separated relative paths such as
// "_delta_log/00000000000000000001.json"; every implementation refuses
// names that are absolute, contain "..", "\", control characters or a
// segment starting with ".tmp-" (reserved for writes in progress). A size
// of -1 passed to Put or PutIfAbsent means "unknown".
// The Delta Lake tables of the lakehouse and the customers' uploads are
// stored through it.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
)

// Sentinel errors. Implementations wrap them, so test with errors.Is.
var (
	// ErrNotFound reports a missing object.
	ErrNotFound = errors.New("blob: not found")
	// ErrExists reports that PutIfAbsent found the object already there.
	ErrExists = errors.New("blob: already exists")
	// ErrInvalidName reports a name that is not a clean relative path.
	ErrInvalidName = errors.New("blob: invalid name")
)

// Object describes a stored object.
type Object struct {
	Name    string // relative to the store's root
	Size    int64
	ModTime time.Time
}

// Reader reads one object, sequentially or at offsets (Parquet readers
// need the latter).
type Reader interface {
	io.ReadCloser
	io.ReaderAt
	Size() int64
}

// Store is a flat namespace of objects.
type Store interface {
	// Open opens an object for reading; ErrNotFound if absent.
	Open(ctx context.Context, name string) (Reader, error)
	// Put writes an object, replacing any old one atomically: a reader sees
	// the old or the new content, never a part.
	Put(ctx context.Context, name string, r io.Reader, size int64) error
	// PutIfAbsent writes an object only if none of that name exists, in
	// one atomic step (ErrExists otherwise). Two writers racing for one
	// name: exactly one wins. Delta commits rely on it.
	PutIfAbsent(ctx context.Context, name string, r io.Reader, size int64) error
	// Stat describes an object; ErrNotFound if absent.
	Stat(ctx context.Context, name string) (Object, error)
	// List returns the objects whose names start with prefix, recursively,
	// sorted by name.
	List(ctx context.Context, prefix string) ([]Object, error)
	// Delete removes an object; deleting a missing object is not an error.
	Delete(ctx context.Context, name string) error
}

// CheckName returns ErrInvalidName (wrapped) unless name is a clean,
// relative, slash-separated path.
func CheckName(name string) error {
	bad := name == "" || len(name) > 1024 || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") ||
		strings.ContainsFunc(name, unicode.IsControl)
	if !bad {
		for _, seg := range strings.Split(name, "/") {
			// ".tmp-" names are the Local store's writes in progress.
			if seg == "" || seg == "." || seg == ".." || strings.HasPrefix(seg, ".tmp-") {
				bad = true
				break
			}
		}
	}
	if bad {
		return fmt.Errorf("%w: %q", ErrInvalidName, name)
	}
	return nil
}

// Sub returns a view of s in which every name is below prefix (a clean
// relative path without trailing slash).
func Sub(s Store, prefix string) (Store, error) {
	if err := CheckName(prefix); err != nil {
		return nil, err
	}
	return &sub{s: s, p: prefix + "/"}, nil
}

type sub struct {
	s Store
	p string
}

func (b *sub) Open(ctx context.Context, name string) (Reader, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	return b.s.Open(ctx, b.p+name)
}

func (b *sub) Put(ctx context.Context, name string, r io.Reader, size int64) error {
	if err := CheckName(name); err != nil {
		return err
	}
	return b.s.Put(ctx, b.p+name, r, size)
}

func (b *sub) PutIfAbsent(ctx context.Context, name string, r io.Reader, size int64) error {
	if err := CheckName(name); err != nil {
		return err
	}
	return b.s.PutIfAbsent(ctx, b.p+name, r, size)
}

func (b *sub) Stat(ctx context.Context, name string) (Object, error) {
	if err := CheckName(name); err != nil {
		return Object{}, err
	}
	o, err := b.s.Stat(ctx, b.p+name)
	o.Name = strings.TrimPrefix(o.Name, b.p)
	return o, err
}

func (b *sub) List(ctx context.Context, prefix string) ([]Object, error) {
	objs, err := b.s.List(ctx, b.p+prefix)
	for i := range objs {
		objs[i].Name = strings.TrimPrefix(objs[i].Name, b.p)
	}
	return objs, err
}

func (b *sub) Delete(ctx context.Context, name string) error {
	if err := CheckName(name); err != nil {
		return err
	}
	return b.s.Delete(ctx, b.p+name)
}
