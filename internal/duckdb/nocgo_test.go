//go:build !cgo

package duckdb

import (
	"context"
	"testing"

	"github.com/zero711/brain"
)

func TestUnavailable(t *testing.T) {
	if Available() {
		t.Fatal("Available() in a build without cgo")
	}
	if UnavailableReason() != reason {
		t.Fatalf("reason %q", UnavailableReason())
	}
	e, err := Open(context.Background(), Options{Root: t.TempDir()})
	if e != nil || brain.ErrorCode(err) != brain.EUNAVAILABLE || brain.ErrorMessage(err) != "SQL is unavailable: this binary was built without cgo (DuckDB)" {
		t.Fatalf("Open: %v, %v", e, err)
	}
	var zero *Engine
	if _, err := zero.Query(context.Background(), "SELECT 1", nil); brain.ErrorCode(err) != brain.EUNAVAILABLE {
		t.Fatalf("Query: %v", err)
	}
	if err := zero.Close(); err != nil {
		t.Fatal(err)
	}
}
