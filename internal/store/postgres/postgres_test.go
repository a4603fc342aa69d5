package postgres_test

import (
	"testing"

	"github.com/zero711/brain/internal/store"
	"github.com/zero711/brain/internal/store/postgres/pgtest"
	"github.com/zero711/brain/internal/store/storetest"
)

// TestConformance runs the store suite on the real PostgreSQL server of
// TEST_DATABASE_URL (default: the local server CI provides), each test in a
// schema of its own that is dropped afterwards.
func TestConformance(t *testing.T) {
	pgtest.URL(t) // skip the whole suite at once when there is no server
	storetest.Run(t, func(t *testing.T) store.Store { return pgtest.Open(t) })
}
