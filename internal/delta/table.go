package delta

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/zero711/brain/internal/blob"
)

// Options configure a Table handle. The zero value is usable.
type Options struct {
	// CheckpointInterval is the number of commits between checkpoints
	// (default 10); the table property delta.checkpointInterval wins.
	CheckpointInterval int
	// MaxCommitAttempts bounds how often a commit is retried after losing
	// the race for a version (default 100).
	MaxCommitAttempts int
	// TargetFileRows is the most rows written to one data file (default
	// 1,000,000).
	TargetFileRows int
	// TombstoneRetention is how long checkpoints keep remove actions
	// (default 7 days); vacuum cannot see older removes.
	TombstoneRetention time.Duration
	// Logger receives warnings about best-effort work (checkpoints,
	// clean-up); nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	// beforeCommit, when set (tests only), runs before each attempt to
	// put a commit file.
	beforeCommit func(version int64)
}

// Table is a handle on a Delta table stored in a blob.Store rooted at the
// table directory. It is safe for concurrent use, also with other
// processes writing the same table.
type Table struct {
	store blob.Store
	opts  Options
	log   *slog.Logger

	mu     sync.Mutex
	latest *Snapshot // cache of the newest snapshot seen
}

// New returns a handle on the table in store; it does no I/O.
func New(store blob.Store, opts Options) *Table {
	if opts.CheckpointInterval <= 0 {
		opts.CheckpointInterval = 10
	}
	if opts.MaxCommitAttempts <= 0 {
		opts.MaxCommitAttempts = 100
	}
	if opts.TargetFileRows <= 0 {
		opts.TargetFileRows = 1_000_000
	}
	if opts.TombstoneRetention <= 0 {
		opts.TombstoneRetention = 7 * 24 * time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Table{store: store, opts: opts, log: log}
}

// Store returns the store the table lives in.
func (t *Table) Store() blob.Store { return t.store }

// Exists reports whether the table has a Delta log.
func (t *Table) Exists(ctx context.Context) (bool, error) {
	objs, err := t.store.List(ctx, logDir)
	if err != nil {
		return false, fmt.Errorf("delta: exists: %w", err)
	}
	for _, o := range objs {
		if k := parseLogName(o.Name).kind; k != logOther {
			return true, nil
		}
	}
	return false, nil
}

// Snapshot returns the latest snapshot (ErrNoTable if there is none).
func (t *Table) Snapshot(ctx context.Context) (*Snapshot, error) {
	t.mu.Lock()
	cached := t.latest
	t.mu.Unlock()
	var s *Snapshot
	var err error
	if cached == nil {
		s, err = loadSnapshot(ctx, t.store, -1)
	} else {
		s, err = update(ctx, cached)
	}
	if err != nil {
		return nil, err
	}
	t.remember(s)
	return s, nil
}

// remember caches s if it is newer than the cached snapshot.
func (t *Table) remember(s *Snapshot) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.latest == nil || s.version > t.latest.version {
		t.latest = s
	}
}

// SnapshotAt returns the snapshot at version (time travel);
// ErrVersionNotFound if the log does not hold it.
func (t *Table) SnapshotAt(ctx context.Context, version int64) (*Snapshot, error) {
	if version < 0 {
		return nil, fmt.Errorf("delta: version %d: %w", version, ErrVersionNotFound)
	}
	t.mu.Lock()
	cached := t.latest
	t.mu.Unlock()
	if cached != nil && cached.version == version {
		return cached, nil
	}
	return loadSnapshot(ctx, t.store, version)
}

// CreateOptions describe a new table.
type CreateOptions struct {
	// PartitionColumns are top-level primitive columns the data files are
	// partitioned by.
	PartitionColumns []string
	// Properties become metaData.configuration (e.g.
	// "delta.checkpointInterval", "delta.appendOnly").
	Properties  map[string]string
	Name        string
	Description string
}

// Create creates the table with schema as version 0, using protocol 1/2
// (3/7 with the timestampNtz feature if the schema needs it). It returns
// ErrTableExists if the table already exists.
func (t *Table) Create(ctx context.Context, schema *StructType, opts CreateOptions) (*Snapshot, error) {
	if err := validateSchema(schema, opts.PartitionColumns); err != nil {
		return nil, err
	}
	if ok, err := t.Exists(ctx); err != nil || ok {
		if err == nil {
			err = ErrTableExists
		}
		return nil, err
	}
	ss, err := MarshalSchema(schema)
	if err != nil {
		return nil, err
	}
	now := t.opts.Now().UnixMilli()
	md := &Metadata{ID: uuid.NewString(), Name: opts.Name, Description: opts.Description,
		Format: Format{Provider: "parquet", Options: map[string]string{}}, SchemaString: ss,
		PartitionColumns: slices.Clone(opts.PartitionColumns), Configuration: map[string]string{}, CreatedTime: &now}
	if md.PartitionColumns == nil {
		md.PartitionColumns = []string{}
	}
	for k, v := range opts.Properties {
		md.Configuration[k] = v
	}
	proto := &Protocol{MinReaderVersion: 1, MinWriterVersion: 2}
	if hasType(schema, func(d DataType) bool { return d == TypeTimestampNTZ }) {
		proto = &Protocol{MinReaderVersion: 3, MinWriterVersion: 7,
			ReaderFeatures: []string{"timestampNtz"}, WriterFeatures: []string{"timestampNtz"}}
	}
	actions := []Action{{Protocol: proto}, {Metadata: md}, {CommitInfo: t.commitInfo(-1, "CREATE TABLE",
		map[string]any{"partitionBy": jsonString(md.PartitionColumns)}, nil, false)}}
	data, err := encodeCommit(actions)
	if err != nil {
		return nil, fmt.Errorf("delta: create: %w", err)
	}
	if err := t.store.PutIfAbsent(ctx, commitName(0), bytes.NewReader(data), int64(len(data))); err != nil {
		if errors.Is(err, blob.ErrExists) {
			return nil, ErrTableExists
		}
		return nil, fmt.Errorf("delta: create: %w", err)
	}
	return t.Snapshot(ctx)
}

// validateSchema checks a schema for writing.
func validateSchema(schema *StructType, parts []string) error {
	if schema == nil || len(schema.Fields) == 0 {
		return fmt.Errorf("%w: empty schema", ErrInvalid)
	}
	seen := map[string]bool{}
	for _, f := range schema.Fields {
		if f.Name == "" || seen[f.Name] {
			return fmt.Errorf("%w: empty or duplicate column name %q", ErrInvalid, f.Name)
		}
		seen[f.Name] = true
	}
	for _, p := range parts {
		f, ok := schema.Field(p)
		if !ok {
			return fmt.Errorf("%w: partition column %q not in schema", ErrInvalid, p)
		}
		if _, prim := f.Type.(PrimitiveType); !prim {
			if _, dec := f.Type.(DecimalType); !dec {
				return fmt.Errorf("%w: partition column %q has type %v", ErrInvalid, p, f.Type)
			}
		}
	}
	if len(parts) == len(schema.Fields) {
		return fmt.Errorf("%w: every column is a partition column", ErrInvalid)
	}
	if _, err := newWritePlan(schema.Fields); err != nil {
		return err
	}
	return nil
}

// checkpointInterval is the table's checkpoint interval.
func (t *Table) checkpointInterval(s *Snapshot) int64 {
	if v, err := strconv.Atoi(s.metadata.Configuration["delta.checkpointInterval"]); err == nil && v > 0 {
		return int64(v)
	}
	return int64(t.opts.CheckpointInterval)
}

// commitInfo builds the commitInfo action of a commit.
func (t *Table) commitInfo(readVersion int64, op string, params map[string]any, extra map[string]any, blind bool) map[string]any {
	p := map[string]any{}
	for k, v := range params {
		p[k] = fmt.Sprint(v) // the protocol stores parameters as strings
	}
	info := map[string]any{"timestamp": t.opts.Now().UnixMilli(), "operation": op, "operationParameters": p,
		"isolationLevel": "WriteSerializable", "isBlindAppend": blind, "engineInfo": "0711-delta/1",
		"txnId": uuid.NewString()}
	if readVersion >= 0 {
		info["readVersion"] = readVersion
	}
	for k, v := range extra {
		info[k] = v
	}
	return info
}

// jsonString renders v as JSON text (for commitInfo parameters).
func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
