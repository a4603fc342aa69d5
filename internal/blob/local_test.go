package blob_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/zero711/brain/internal/blob"
	"github.com/zero711/brain/internal/blob/blobtest"
)

func TestLocal(t *testing.T) {
	t.Parallel()
	blobtest.Run(t, func(t *testing.T) blob.Store {
		l, err := blob.NewLocal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return l
	})
}

func TestSub(t *testing.T) {
	t.Parallel()
	blobtest.Run(t, func(t *testing.T) blob.Store {
		l, err := blob.NewLocal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		s, err := blob.Sub(l, "customer-42/lakehouse")
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestSubIsolation checks that a Sub sees only its own prefix, also next
// to a sibling whose name extends the prefix.
func TestSubIsolation(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	l, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s, err := blob.Sub(l, "customer-4")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"customer-4/a.json", "customer-42/a.json", "customer-4.json"} {
		if err := l.Put(ctx, name, bytes.NewReader([]byte(name)), int64(len(name))); err != nil {
			t.Fatal(err)
		}
	}
	objs, err := s.List(ctx, "")
	if err != nil || len(objs) != 1 || objs[0].Name != "a.json" {
		t.Errorf("Sub List = %+v, %v; want only a.json", objs, err)
	}
	if o, err := s.Stat(ctx, "a.json"); err != nil || o.Name != "a.json" {
		t.Errorf("Sub Stat = %+v, %v; want a.json", o, err)
	}
	if err := s.Put(ctx, "b/c.json", bytes.NewReader(nil), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Stat(ctx, "customer-4/b/c.json"); err != nil {
		t.Errorf("Put through Sub did not land below the prefix: %v", err)
	}
	if _, err := blob.Sub(l, "customer-4/"); !errors.Is(err, blob.ErrInvalidName) {
		t.Errorf("Sub with a trailing slash: %v, want ErrInvalidName", err)
	}
	objs, _ = l.List(ctx, "")
	var got []string
	for _, o := range objs {
		got = append(got, o.Name)
	}
	want := []string{"customer-4.json", "customer-4/a.json", "customer-4/b/c.json", "customer-42/a.json"}
	if !slices.Equal(got, want) {
		t.Errorf("root List = %q, want %q", got, want)
	}
}
