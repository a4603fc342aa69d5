package duckdb

import (
	"runtime"
	"time"
)

// Defaults for the zero values of Options.
const (
	DefaultMaxRows     = 1000
	DefaultTimeout     = 10 * time.Second
	DefaultMemoryLimit = "512MB"
	// MaxQueryBytes bounds the length of the SQL text Query accepts.
	MaxQueryBytes = 64 << 10
)

// Options configures an Engine. Root is required; the rest have defaults.
type Options struct {
	// Root is the customer's lakehouse directory, the only directory a
	// query can read. It must exist.
	Root string
	// TempDir is where DuckDB spills when a query outgrows MemoryLimit: a
	// directory of this engine's own under the customer's staging area,
	// created if missing. Empty disables spilling.
	TempDir string
	// MaxRows is the most rows a result carries (default 1000).
	MaxRows int
	// Timeout bounds each query (default 10 s).
	Timeout time.Duration
	// MemoryLimit is DuckDB's memory_limit, such as "512MB" (the default).
	MemoryLimit string
	// Threads is DuckDB's worker thread count (default: the CPUs, at most 4).
	Threads int
}

// withDefaults returns o with its zero values replaced by the defaults.
func (o Options) withDefaults() Options {
	if o.MaxRows <= 0 {
		o.MaxRows = DefaultMaxRows
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MemoryLimit == "" {
		o.MemoryLimit = DefaultMemoryLimit
	}
	if o.Threads <= 0 {
		o.Threads = min(runtime.NumCPU(), 4)
	}
	return o
}

// Column describes one column of a Result.
type Column struct {
	// Name is the column's name as the query spelled it.
	Name string `json:"name"`
	// Type is DuckDB's type name, such as BIGINT, VARCHAR, DOUBLE,
	// TIMESTAMPTZ or DECIMAL(18,2).
	Type string `json:"type"`
}

// Result is the outcome of a query.
//
// Rows hold the driver's Go values: nil for NULL, bool, the sized integers,
// float32/float64, string, []byte, time.Time, *big.Int for HUGEINT, []any for
// lists, map[string]any for structs. DECIMAL becomes float64 and UUID its
// canonical string, so a Result encodes to JSON as it is.
type Result struct {
	Columns []Column `json:"columns"`
	Rows    [][]any  `json:"rows"`
	// Truncated says the query had more rows than MaxRows.
	Truncated bool `json:"truncated"`
}
