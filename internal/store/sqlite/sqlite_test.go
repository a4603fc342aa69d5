package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/zero711/brain/internal/store"
	"github.com/zero711/brain/internal/store/sqlite"
	"github.com/zero711/brain/internal/store/storetest"
)

func open(t *testing.T) store.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) { storetest.Run(t, open) }
