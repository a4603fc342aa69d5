package api_test

import (
	"testing"

	"github.com/zero711/brain/internal/document"
	"github.com/zero711/brain/internal/extract"
)

// testExtractor is the dispatcher the API tests ingest with.
func testExtractor(t testing.TB) *extract.Dispatcher {
	// Archives may expand to 2 MiB here, so that the tests' bombs are
	// refused quickly.
	return extract.Builtin(extract.Options{TempDir: t.TempDir(), Limits: document.Limits{MaxExpandedBytes: 2 << 20}})
}
