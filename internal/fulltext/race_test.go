//go:build race

package fulltext

// raceEnabled is true when tests run under the race detector, which slows
// them down tenfold: the big tests then sample.
const raceEnabled = true
