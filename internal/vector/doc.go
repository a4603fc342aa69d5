// Package vector is an in-process approximate nearest-neighbour index for
// the chunk embeddings of one customer's lakehouse: a hierarchical
// navigable small world graph (HNSW, Malkov and Yashunin 2016) over
// float32 vectors of a fixed dimension, with exact search beside it for
// ground truth and for filters that admit few vectors.
//
// Vectors are expected to be L2-normalised by the caller; similarity is
// the dot product, so scores are cosines. IDs are the caller's uint64
// chunk ids.
//
// # Using it
//
//	x := vector.New(384, vector.Options{})
//	err := x.AddBatch(ids, vecs)             // parallel build
//	hits, err := x.Search(q, 10, nil)        // []Hit{ID, Score}, best first
//	hits, err = x.Search(q, 10, inFolder)    // filtered
//	x.Delete(id)                             // tombstone
//	x.SetStamp(vector.Stamp{TableVersion: v, Model: "bge-small-en-v1.5"})
//	_, err = x.WriteTo(f)                    // versioned, checksummed
//	info, err := vector.ReadInfo(f)          // header only: is it current?
//	x, err = vector.Load(f, vector.Options{})
//
// # Concurrency
//
// Any number of searches run concurrently with one writer; writers queue
// on a mutex. Searches take no lock on the graph: neighbour lists are
// read and written with atomic operations, vectors are immutable while a
// node is reachable, and storage grows in pages that never move. A
// replaced or deleted vector stays in the graph as a tombstone that
// routes searches but is never returned. When tombstones exceed
// Options.MaxTombstones (20%), the writer compacts: it relinks the
// neighbours of deleted nodes while searches go on, then frees the slots
// in one short exclusive step (waiting for running searches). AddBatch
// links with Options.Workers goroutines under per-node stripe locks and
// publishes its vectors in chunks, so searches see a batch grow.
//
// # Filters
//
// Search walks the graph through every node but keeps only those the
// filter admits, so a filter widens the walk instead of losing results.
// Before walking, Search samples the filter on 256 slots; when the
// estimated admitted share is so small that scanning every slot is
// cheaper than the widened walk, it scans exactly instead, and a walk that
// exceeds twice the cost of a scan gives way to the scan. A filter that
// admits at least k live vectors therefore always yields k hits. The cost
// of a scan is one filter call per slot, so filters should be cheap (a
// bitmap or map lookup).
//
// # Files
//
// WriteTo writes a little-endian format: a header (magic, version,
// dimension, M, counts, entry point, the caller's Stamp) with its own
// CRC-32C, then one record per slot (state, id, level, vector, neighbour
// lists), then a CRC-32C of the body. Load checks both checksums and every
// structural invariant that searches rely on, and allocates only as the
// bytes arrive, so truncated, corrupt or hostile files fail with
// ErrCorrupt (or ErrVersion) instead of panicking or exhausting memory;
// the caller then rebuilds. ReadInfo reads only the header, so the
// lakehouse can compare the stamp with the current table version before
// loading gigabytes.
//
// # Tuning and measurements
//
// The defaults are M 16, EfConstruction 128 and EfSearch 128. Memory is
// 4*dim bytes of vector plus about 200 bytes of graph and bookkeeping per
// vector (1747 bytes at 384 dimensions, 4307 at 1024), and the file is
// slightly smaller. bench_test.go measures recall against Exact, latency,
// build and load time on synthetic data with the structure of real
// embeddings; see its comment for how to run it, and the numbers measured
// on two cores in the change that added this package. Everything is pure
// Go: the dot product is unrolled scalar code (the compiler does not
// vectorise), which bounds build time more than search time.
package vector
