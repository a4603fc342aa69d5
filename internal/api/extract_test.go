package api_test

import (
	"testing"

	"github.com/zero711/brain/internal/extract"
)

// testExtractor is the dispatcher the API tests ingest with.
func testExtractor(t testing.TB) *extract.Dispatcher {
	return extract.Builtin(extract.Options{TempDir: t.TempDir()})
}
