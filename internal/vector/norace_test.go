//go:build !race

package vector

const (
	raceEnabled = false
	testDim     = 48
)
