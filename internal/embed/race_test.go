//go:build race

package embed

// raceEnabled is true when the race detector, which slows the exact search
// tenfold, is on.
const raceEnabled = true
