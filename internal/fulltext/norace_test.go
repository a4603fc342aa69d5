//go:build !race

package fulltext

// raceEnabled is true when tests run under the race detector.
const raceEnabled = false
