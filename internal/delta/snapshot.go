package delta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/zero711/brain/internal/blob"
)

// Snapshot is the state of a table at one version: protocol, metadata,
// schema, active files and application transactions. It is immutable and
// safe for concurrent use.
type Snapshot struct {
	store      blob.Store
	version    int64
	protocol   Protocol
	metadata   Metadata
	schema     *StructType
	files      map[string]*FileInfo // by object name
	order      []string             // object names in the order they were added
	tombstones map[string]Remove    // by object name
	txns       map[string]Txn
	timestamp  time.Time // commit time of version (zero if unknown)
}

// FileInfo is an active data file of a snapshot.
type FileInfo struct {
	Add
	// Name is the object name relative to the table root (Path decoded).
	Name string
}

// FileStats is the parsed form of an add action's stats.
type FileStats struct {
	NumRecords int64          `json:"numRecords"`
	MinValues  map[string]any `json:"minValues,omitempty"`
	MaxValues  map[string]any `json:"maxValues,omitempty"`
	NullCount  map[string]any `json:"nullCount,omitempty"`
	// Present is false when the file has no (parseable) stats.
	Present bool `json:"-"`
}

// ParsedStats parses the file's stats; numbers are json.Number.
func (f FileInfo) ParsedStats() FileStats {
	var st FileStats
	if f.Stats == "" {
		return st
	}
	dec := json.NewDecoder(strings.NewReader(f.Stats))
	dec.UseNumber()
	var raw struct {
		NumRecords *json.Number    `json:"numRecords"`
		MinValues  map[string]any  `json:"minValues"`
		MaxValues  map[string]any  `json:"maxValues"`
		NullCount  map[string]any  `json:"nullCount"`
		TightBound json.RawMessage `json:"tightBounds"`
	}
	if err := dec.Decode(&raw); err != nil || raw.NumRecords == nil {
		return st
	}
	n, err := raw.NumRecords.Int64()
	if err != nil {
		return st
	}
	return FileStats{NumRecords: n, MinValues: raw.MinValues, MaxValues: raw.MaxValues, NullCount: raw.NullCount, Present: true}
}

// Version returns the table version of the snapshot.
func (s *Snapshot) Version() int64 { return s.version }

// Protocol returns the protocol in effect at the snapshot.
func (s *Snapshot) Protocol() Protocol { return s.protocol }

// Metadata returns the table metadata at the snapshot.
func (s *Snapshot) Metadata() Metadata { return s.metadata }

// Schema returns the table schema, partition columns included.
func (s *Snapshot) Schema() *StructType { return s.schema }

// PartitionColumns returns the names of the partition columns.
func (s *Snapshot) PartitionColumns() []string { return slices.Clone(s.metadata.PartitionColumns) }

// Timestamp returns the commit time of the snapshot's version, from its
// commitInfo; zero when the commit did not record it (or was replayed
// from a checkpoint).
func (s *Snapshot) Timestamp() time.Time { return s.timestamp }

// Files returns the active data files in the order they were added.
func (s *Snapshot) Files() []FileInfo {
	out := make([]FileInfo, 0, len(s.order))
	for _, name := range s.order {
		out = append(out, *s.files[name])
	}
	return out
}

// NumFiles returns the number of active data files.
func (s *Snapshot) NumFiles() int { return len(s.order) }

// Tombstones returns the remove actions the snapshot still knows (from
// its checkpoint and the commits after it).
func (s *Snapshot) Tombstones() []Remove {
	return slices.SortedFunc(maps.Values(s.tombstones), func(a, b Remove) int { return cmpString(a.Path, b.Path) })
}

// TxnVersion returns the latest version recorded by application appID.
func (s *Snapshot) TxnVersion(appID string) (int64, bool) {
	t, ok := s.txns[appID]
	return t.Version, ok
}

// Txns returns the recorded application transactions.
func (s *Snapshot) Txns() []Txn {
	return slices.SortedFunc(maps.Values(s.txns), func(a, b Txn) int { return cmpString(a.AppID, b.AppID) })
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// replay accumulates actions into a snapshot.
type replay struct {
	s       *Snapshot
	removed map[string]bool // compact order lazily
}

func newReplay(store blob.Store) *replay {
	return &replay{s: &Snapshot{store: store, version: -1, files: map[string]*FileInfo{},
		tombstones: map[string]Remove{}, txns: map[string]Txn{}}, removed: map[string]bool{}}
}

// from starts a replay from an existing snapshot (copying its state).
func replayFrom(base *Snapshot) *replay {
	s := *base
	s.files = maps.Clone(base.files)
	s.order = slices.Clone(base.order)
	s.tombstones = maps.Clone(base.tombstones)
	s.txns = maps.Clone(base.txns)
	return &replay{s: &s, removed: map[string]bool{}}
}

// apply applies the actions of one version (commit or checkpoint).
func (r *replay) apply(version int64, actions []Action) error {
	s := r.s
	s.version = version
	s.timestamp = time.Time{}
	for _, a := range actions {
		switch {
		case a.Protocol != nil:
			s.protocol = *a.Protocol
		case a.Metadata != nil:
			s.metadata = *a.Metadata
			s.schema = nil
		case a.Add != nil:
			name, err := decodePath(a.Add.Path)
			if err != nil {
				return err
			}
			if _, ok := s.files[name]; !ok || r.removed[name] {
				if r.removed[name] {
					delete(r.removed, name)
					s.order = slices.DeleteFunc(s.order, func(n string) bool { return n == name })
				}
				s.order = append(s.order, name)
			}
			s.files[name] = &FileInfo{Add: *a.Add, Name: name}
			delete(s.tombstones, name)
		case a.Remove != nil:
			name, err := decodePath(a.Remove.Path)
			if err != nil {
				return err
			}
			if _, ok := s.files[name]; ok {
				delete(s.files, name)
				r.removed[name] = true
			}
			s.tombstones[name] = *a.Remove
		case a.Txn != nil:
			s.txns[a.Txn.AppID] = *a.Txn
		case a.CommitInfo != nil:
			if ts, ok := toInt64(a.CommitInfo["timestamp"]); ok {
				s.timestamp = time.UnixMilli(ts).UTC()
			}
		}
	}
	return nil
}

// finish validates the replayed state and returns the snapshot.
func (r *replay) finish() (*Snapshot, error) {
	s := r.s
	if len(r.removed) > 0 {
		s.order = slices.DeleteFunc(s.order, func(n string) bool { return r.removed[n] })
		r.removed = map[string]bool{}
	}
	if s.protocol.MinReaderVersion == 0 && s.protocol.MinWriterVersion == 0 {
		return nil, fmt.Errorf("delta: version %d: no protocol action", s.version)
	}
	if err := checkRead(s.protocol, &s.metadata); err != nil {
		return nil, err
	}
	if s.metadata.SchemaString == "" {
		return nil, fmt.Errorf("delta: version %d: no metaData action", s.version)
	}
	if s.schema == nil {
		schema, err := ParseSchema(s.metadata.SchemaString)
		if err != nil {
			return nil, fmt.Errorf("delta: version %d: %w", s.version, err)
		}
		s.schema = schema
	}
	for _, p := range s.metadata.PartitionColumns {
		if _, ok := s.schema.Field(p); !ok {
			return nil, fmt.Errorf("delta: version %d: partition column %q not in schema", s.version, p)
		}
	}
	return s, nil
}

// loadSnapshot builds the snapshot at version target (latest if < 0).
func loadSnapshot(ctx context.Context, store blob.Store, target int64) (*Snapshot, error) {
	lc, err := readLastCheckpointFile(ctx, store)
	if err != nil {
		return nil, err
	}
	if lc != nil && (target < 0 || lc.Version <= target) {
		s, err := loadFrom(ctx, store, lc.Version, lc.files(), target)
		if err == nil || isUnsupported(err) || ctx.Err() != nil {
			return s, err
		}
		// A checkpoint named by _last_checkpoint that cannot be read (or
		// a gap after it): fall back to listing the log.
	}
	l, err := listLog(ctx, store)
	if err != nil {
		return nil, err
	}
	if len(l.commits) == 0 && len(l.checkpoints) == 0 {
		return nil, fmt.Errorf("%w (no _delta_log)", ErrNoTable)
	}
	if target >= 0 && target > l.maxCommit {
		if _, ok := l.checkpoints[target]; !ok {
			return nil, fmt.Errorf("delta: version %d: %w (latest is %d)", target, ErrVersionNotFound, l.maxCommit)
		}
	}
	cp, files := l.newestCheckpoint(target)
	return loadFrom(ctx, store, cp, files, target)
}

func isUnsupported(err error) bool {
	var u *UnsupportedFeatureError
	return errors.As(err, &u)
}

// loadFrom replays the checkpoint at cp (cp < 0: none) and the commits
// after it up to target (latest if < 0).
func loadFrom(ctx context.Context, store blob.Store, cp int64, files []logFile, target int64) (*Snapshot, error) {
	r := newReplay(store)
	if cp >= 0 {
		actions, err := readCheckpoint(ctx, store, files)
		if err != nil {
			return nil, err
		}
		if err := r.apply(cp, actions); err != nil {
			return nil, fmt.Errorf("delta: checkpoint %d: %w", cp, err)
		}
	}
	for v := cp + 1; target < 0 || v <= target; v++ {
		actions, err := readCommit(ctx, store, v)
		if errors.Is(err, ErrVersionNotFound) && target < 0 && v > 0 && v > cp {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := r.apply(v, actions); err != nil {
			return nil, fmt.Errorf("delta: commit %d: %w", v, err)
		}
	}
	if r.s.version < 0 {
		return nil, fmt.Errorf("%w (no commits)", ErrNoTable)
	}
	return r.finish()
}

// readLastCheckpointFile returns nil when _last_checkpoint is absent or
// unreadable (it is only a hint).
func readLastCheckpointFile(ctx context.Context, store blob.Store) (*lastCheckpoint, error) {
	data, err := readObject(ctx, store, lastCheckpointName)
	if errors.Is(err, blob.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, nil
	}
	lc, err := parseLastCheckpoint(data)
	if err != nil {
		return nil, nil
	}
	return &lc, nil
}

// update returns base advanced to the latest version (base itself when no
// newer commit exists).
func update(ctx context.Context, base *Snapshot) (*Snapshot, error) {
	var r *replay
	for v := base.version + 1; ; v++ {
		actions, err := readCommit(ctx, base.store, v)
		if errors.Is(err, ErrVersionNotFound) {
			break
		}
		if err != nil {
			return nil, err
		}
		if r == nil {
			r = replayFrom(base)
		}
		if err := r.apply(v, actions); err != nil {
			return nil, fmt.Errorf("delta: commit %d: %w", v, err)
		}
	}
	if r == nil {
		return base, nil
	}
	return r.finish()
}
