//go:build !cgo

package duckdb

import (
	"context"
	"fmt"

	"github.com/zero711/brain"
)

const reason = "SQL is unavailable: this binary was built without cgo (DuckDB)"

// Available reports whether this binary can run SQL: false, because it was
// built without cgo and so without DuckDB.
func Available() bool { return false }

// UnavailableReason says why Available is false.
func UnavailableReason() string { return reason }

// Engine is the stand-in for the DuckDB engine in builds without cgo.
type Engine struct{}

// Open returns brain.EUNAVAILABLE: this build has no DuckDB.
func Open(ctx context.Context, opts Options) (*Engine, error) {
	return nil, fmt.Errorf("duckdb: open: %w", brain.Errorf(brain.EUNAVAILABLE, reason))
}

// Query returns brain.EUNAVAILABLE: this build has no DuckDB.
func (e *Engine) Query(ctx context.Context, query string, tables map[string][]string) (*Result, error) {
	return nil, fmt.Errorf("duckdb: query: %w", brain.Errorf(brain.EUNAVAILABLE, reason))
}

// Close does nothing.
func (e *Engine) Close() error { return nil }
