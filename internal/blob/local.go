package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Local stores objects as files below a root directory. Writes go to a
// hidden temporary file in the target's directory first; Put renames it
// into place and PutIfAbsent hard-links it, which fails if the name is
// taken, so both are atomic on one filesystem.
type Local struct {
	root string
}

var _ Store = (*Local)(nil)

// NewLocal returns a store rooted at dir, creating it if needed.
func NewLocal(dir string) (*Local, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: local root: %w", err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, fmt.Errorf("blob: local root: %w", err)
	}
	return &Local{root: abs}, nil
}

// Root returns the directory objects live in.
func (l *Local) Root() string { return l.root }

func (l *Local) path(name string) (string, error) {
	if err := CheckName(name); err != nil {
		return "", err
	}
	return filepath.Join(l.root, filepath.FromSlash(name)), nil
}

type localReader struct {
	*os.File
	size int64
}

func (r localReader) Size() int64 { return r.size }

// Open implements Store.
func (l *Local) Open(ctx context.Context, name string) (Reader, error) {
	p, err := l.path(name)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", name, err)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, notFound(err, name)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("blob: stat %s: %w", name, err)
	}
	if st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("blob: %s: %w", name, ErrNotFound)
	}
	return localReader{File: f, size: st.Size()}, nil
}

// Put implements Store.
func (l *Local) Put(ctx context.Context, name string, r io.Reader, size int64) error {
	return l.write(ctx, name, r, func(tmp, final string) error { return os.Rename(tmp, final) })
}

// PutIfAbsent implements Store.
func (l *Local) PutIfAbsent(ctx context.Context, name string, r io.Reader, size int64) error {
	return l.write(ctx, name, r, func(tmp, final string) error {
		err := os.Link(tmp, final)
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("blob: %s: %w", name, ErrExists)
		}
		return err
	})
}

// write copies r to a synced temporary file and lets place move it.
func (l *Local) write(ctx context.Context, name string, r io.Reader, place func(tmp, final string) error) error {
	p, err := l.path(name)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return fmt.Errorf("blob: put %s: %w", name, err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-"+filepath.Base(p)+"-*")
	if err != nil {
		return fmt.Errorf("blob: put %s: %w", name, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = io.Copy(f, ctxReader{ctx, r})
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("blob: put %s: %w", name, err)
	}
	if err := place(tmp, p); err != nil {
		if errors.Is(err, ErrExists) {
			return err
		}
		return fmt.Errorf("blob: put %s: %w", name, err)
	}
	return syncDir(filepath.Dir(p))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	_ = d.Sync()
	return nil
}

// Stat implements Store.
func (l *Local) Stat(ctx context.Context, name string) (Object, error) {
	p, err := l.path(name)
	if err != nil {
		return Object{}, err
	}
	if err := ctx.Err(); err != nil {
		return Object{}, fmt.Errorf("blob: stat %s: %w", name, err)
	}
	st, err := os.Stat(p)
	if err != nil {
		return Object{}, notFound(err, name)
	}
	if st.IsDir() {
		return Object{}, fmt.Errorf("blob: %s: %w", name, ErrNotFound)
	}
	return Object{Name: name, Size: st.Size(), ModTime: st.ModTime()}, nil
}

// List implements Store. Hidden temporary files of writes in progress are
// not listed.
func (l *Local) List(ctx context.Context, prefix string) ([]Object, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("blob: list %s: %w", prefix, err)
	}
	start := l.root
	if dir := prefix[:strings.LastIndex(prefix, "/")+1]; dir != "" {
		p, err := l.path(strings.TrimSuffix(dir, "/"))
		if err != nil {
			return nil, err
		}
		start = p
	}
	var out []Object
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".tmp-") {
			return nil
		}
		rel, err := filepath.Rel(l.root, p)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(rel)
		if !strings.HasPrefix(name, prefix) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil // removed meanwhile
		}
		out = append(out, Object{Name: name, Size: info.Size(), ModTime: info.ModTime()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("blob: list %s: %w", prefix, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Delete implements Store.
func (l *Local) Delete(ctx context.Context, name string) error {
	p, err := l.path(name)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("blob: delete %s: %w", name, err)
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: delete %s: %w", name, err)
	}
	return nil
}

func notFound(err error, name string) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: %s: %w", name, ErrNotFound)
	}
	return fmt.Errorf("blob: %s: %w", name, err)
}

// ctxReader stops a copy when the context ends.
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
