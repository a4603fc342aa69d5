// Package pgtest gives tests a fresh, migrated PostgreSQL store on the test
// server (TEST_DATABASE_URL, default the local server CI provides), each in
// a schema of its own that is dropped when the test ends.
package pgtest

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
)

// DefaultURL is the test server when TEST_DATABASE_URL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// URL returns the test server's URL, or skips the test when no server can
// be reached there.
func URL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("TEST_DATABASE_URL")
	if u == "" {
		u = DefaultURL
	}
	pu, err := url.Parse(u)
	if err != nil {
		tb.Fatalf("pgtest: TEST_DATABASE_URL: %v", err)
	}
	conn, err := net.DialTimeout("tcp", pu.Host, 2*time.Second)
	if err != nil {
		if os.Getenv("REQUIRE_POSTGRES") != "" {
			tb.Fatalf("pgtest: REQUIRE_POSTGRES is set but no PostgreSQL server is reachable at %s: %v", pu.Host, err)
		}
		tb.Skipf("pgtest: no PostgreSQL server reachable at %s (set TEST_DATABASE_URL): %v", pu.Host, err)
	}
	conn.Close()
	return u
}

// SchemaURL creates a fresh, empty schema on the test server and returns a
// URL whose search_path selects it; the schema is dropped when the test
// ends. It skips the test when no server can be reached.
func SchemaURL(tb testing.TB) string {
	tb.Helper()
	base := URL(tb)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	schema := "t_" + uuid.NewString()[:8]
	if _, err := admin.ExecContext(context.Background(), fmt.Sprintf("CREATE SCHEMA %s", schema)); err != nil {
		admin.Close()
		tb.Fatalf("pgtest: create schema: %v", err)
	}
	// Cleanups run last-in first-out: registered first, this runs after
	// the test has closed its own connections.
	tb.Cleanup(func() {
		dropSchema(tb, admin, schema)
		admin.Close()
	})
	pu, _ := url.Parse(base)
	q := pu.Query()
	q.Set("search_path", schema)
	pu.RawQuery = q.Encode()
	return pu.String()
}

// Open returns a store in a fresh schema of the test server, migrated by
// postgres.Open; the schema is dropped when the test ends. It skips the
// test when no server can be reached.
func Open(tb testing.TB) store.Store {
	tb.Helper()
	s, err := postgres.Open(context.Background(), SchemaURL(tb))
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func dropSchema(tb testing.TB, admin *sql.DB, schema string) {
	if _, err := admin.ExecContext(context.Background(), fmt.Sprintf("DROP SCHEMA %s CASCADE", schema)); err != nil {
		tb.Errorf("pgtest: drop schema %s: %v", schema, err)
	}
}
