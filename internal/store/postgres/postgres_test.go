package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/zero711/brain/internal/store"
	"github.com/zero711/brain/internal/store/postgres"
	"github.com/zero711/brain/internal/store/storetest"
)

// TestConformance runs the store suite on the real PostgreSQL server of
// TEST_DATABASE_URL (default: the local server CI provides), each test in a
// schema of its own that is dropped afterwards.
func TestConformance(t *testing.T) {
	base := BaseURL(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		return OpenSchema(t, base)
	})
}

// BaseURL returns the test server's URL, or skips the test when no server
// can be reached.
func BaseURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("TEST_DATABASE_URL")
	if u == "" {
		u = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatalf("TEST_DATABASE_URL: %v", err)
	}
	conn, err := net.DialTimeout("tcp", pu.Host, 2*time.Second)
	if err != nil {
		t.Skipf("no PostgreSQL server reachable at %s (set TEST_DATABASE_URL): %v", pu.Host, err)
	}
	conn.Close()
	return u
}

// OpenSchema opens a store in a fresh schema of the server at base.
func OpenSchema(t testing.TB, base string) store.Store {
	t.Helper()
	ctx := context.Background()
	schema := "t_" + uuid.NewString()[:8]
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	if _, err := admin.ExecContext(ctx, fmt.Sprintf("CREATE SCHEMA %s", schema)); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	pu, _ := url.Parse(base)
	q := pu.Query()
	q.Set("search_path", schema)
	pu.RawQuery = q.Encode()
	s, err := postgres.Open(ctx, pu.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		if _, err := admin.ExecContext(context.Background(), fmt.Sprintf("DROP SCHEMA %s CASCADE", schema)); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	return s
}
