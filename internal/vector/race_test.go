//go:build race

package vector

// The race detector slows the graph code down some fiftyfold, so tests
// under it use smaller, narrower data; the logic exercised is the same.
const (
	raceEnabled = true
	testDim     = 16
)
