// Package delta reads and writes Delta Lake tables stored in a blob.Store
// (local disk or S3) rooted at the table directory.
//
// # Reading
//
// A Table handle (New) loads snapshots: Snapshot for the latest version,
// SnapshotAt for time travel. Loading starts from the newest checkpoint at
// or below the version (found through _delta_log/_last_checkpoint, or by
// listing the log): classic single-file, multi-part and v2 (sidecar)
// Parquet checkpoints, with JSON or struct (stats_parsed) statistics. It
// then replays the JSON commits after it. Stray files in the log (.crc,
// .tmp/, …) are ignored.
//
// Tables whose protocol needs a feature this package lacks are refused
// with an *UnsupportedFeatureError naming it: reader version 2 (column
// mapping), reader features such as deletionVectors or columnMapping, and
// unknown protocol versions. Supported reader features: timestampNtz,
// v2Checkpoint, vacuumProtocolCheck. Writing is limited to writer
// versions 1–2 and, at version 7, the writer features appendOnly,
// invariants (only when no column declares one) and timestampNtz.
//
// Snapshot.Rows iterates rows (Row = map[string]any) with column
// projection, filters and a limit; filters also skip whole files by their
// partition values and min/max/nullCount statistics. Snapshot.Files and
// Snapshot.ScanFiles expose the data files (object names, partition
// values, statistics) so a SQL engine can read the Parquet files itself,
// and Snapshot.Schema the typed schema.
//
// # Values
//
// Column values are these Go types (nil is null), for reading and for
// writing (writers also accept other integer and float types, strings
// for dates and timestamps, and *big.Rat, numbers or strings for
// decimals):
//
//	string         string
//	long           int64
//	integer        int32
//	short          int16
//	byte           int8
//	float          float32
//	double         float64
//	boolean        bool
//	binary         []byte
//	date           time.Time, midnight UTC
//	timestamp      time.Time in UTC (microsecond precision; INT96 and
//	               millisecond/nanosecond files are read too, years up to 9999)
//	timestamp_ntz  time.Time whose UTC fields are the wall-clock value
//	decimal(p,s)   string in plain notation with exactly s decimals
//	               ("10.000", "-0.000098"): exact, and easy to hand to
//	               big.Rat.SetString or a SQL engine
//	struct         map[string]any
//	array          []any
//	map            map[string]any for string keys, else map[any]any
//
// An empty string as a partition value is written as null, as Spark does.
//
// # Writing
//
// Create writes version 0. Commit atomically commits any mix of add,
// remove, txn, metaData and protocol actions as the next version: the
// commit file _delta_log/NNNNNNNNNNNNNNNNNNNN.json is written with
// blob.Store.PutIfAbsent, so of two writers racing for a version exactly
// one wins; the loser reads the winning commits, checks them for conflicts
// (write-serializable: appends never conflict; a file removed by both, a
// concurrent metadata change, or the same application transaction does)
// and retries at the next version with bounded, jittered backoff.
// Append, Overwrite, DeleteFiles, DeleteRows and Compact are built on
// Commit and re-plan from a fresh snapshot when they conflict. Data files
// are written before the commit; a writer that dies in between leaves
// only unreferenced files, which Vacuum deletes after the retention
// period. Every CheckpointInterval commits (default 10, or the table
// property delta.checkpointInterval) a classic Parquet checkpoint is
// written and _last_checkpoint updated.
//
// WriteOptions.AppID/TxnVersion record a txn action so that a retried
// ingestion does not commit twice (ErrAlreadyApplied).
//
// # Atomicity across tables
//
// A commit is atomic for one table only. A document with its chunks,
// entities and relationships spans four tables; make one table the
// source of truth and commit it last: write chunks, entities and
// relationships (each with txn AppID "<document id>/<table>" so retries
// are idempotent), then commit the document row. Readers join through
// the documents table, so rows of an ingestion that died before its
// document commit are invisible and are removed by a repair job (or
// simply overwritten by the retry). Where that is not enough, keep the
// records in one table with a kind column: then Commit gives one atomic
// version for all of them.
package delta
