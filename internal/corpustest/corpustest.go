// Package corpustest finds the shared corpus of real files written by
// others (../shared/corpus from the repository root) for tests and
// benchmarks, which skip with a clear message where it is absent.
package corpustest

import (
	"os"
	"path/filepath"
	"testing"
)

// Find returns the absolute path of shared/corpus/sub, looked for in the
// working directory and its parents, or "" when there is none.
func Find(sub string) string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, "shared", "corpus", sub)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Dir is Find that skips tb when the corpus is absent.
func Dir(tb testing.TB, sub string) string {
	tb.Helper()
	p := Find(sub)
	if p == "" {
		tb.Skipf("shared corpus not found: no shared/corpus/%s in any parent directory (it lies next to the repository as ../shared)", sub)
	}
	return p
}
