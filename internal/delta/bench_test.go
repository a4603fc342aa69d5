package delta

import (
	"testing"
)

// BenchmarkAppend measures append throughput: one commit of 1000 rows
// (id long, name string, score double) per iteration, with a checkpoint
// every 10 commits.
func BenchmarkAppend(b *testing.B) {
	s := newSetup(b, Options{})
	s.create(b, simpleSchema(), CreateOptions{})
	const batch = 1000
	rows := simpleRows(0, batch)
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.tbl.Append(s.ctx, rows, WriteOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkAppendLarge appends 100,000 rows per commit.
func BenchmarkAppendLarge(b *testing.B) {
	s := newSetup(b, Options{})
	s.create(b, simpleSchema(), CreateOptions{})
	const batch = 100_000
	rows := simpleRows(0, batch)
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.tbl.Append(s.ctx, rows, WriteOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkSnapshotLoad measures loading the latest snapshot of a table
// with 205 commits (checkpoint at 200, then 5 commits) through a fresh
// handle, as a new process does.
func BenchmarkSnapshotLoad(b *testing.B) {
	s := newSetup(b, Options{})
	s.create(b, simpleSchema(), CreateOptions{})
	for i := range 205 {
		if _, err := s.tbl.Append(s.ctx, simpleRows(i, 1), WriteOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		snap, err := s.reopen(Options{}).Snapshot(s.ctx)
		if err != nil || snap.NumFiles() != 205 {
			b.Fatal(snap, err)
		}
	}
}

// BenchmarkScan measures reading 100,000 rows.
func BenchmarkScan(b *testing.B) {
	s := newSetup(b, Options{})
	s.create(b, simpleSchema(), CreateOptions{})
	if _, err := s.tbl.Append(s.ctx, simpleRows(0, 100_000), WriteOptions{}); err != nil {
		b.Fatal(err)
	}
	snap, err := s.tbl.Snapshot(s.ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		n := 0
		for _, err := range snap.Rows(s.ctx, ScanOptions{}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 100_000 {
			b.Fatal(n)
		}
	}
	b.ReportMetric(float64(b.N*100_000)/b.Elapsed().Seconds(), "rows/s")
}
