package delta

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// WriteOptions tune Append, Overwrite, the deletes and Compact.
type WriteOptions struct {
	// AppID and TxnVersion make a write idempotent: the commit records
	// txn(AppID, TxnVersion), and when the table already records a
	// version ≥ TxnVersion for AppID the write commits nothing and
	// returns ErrAlreadyApplied. Ingestion uses the document id as AppID
	// and a per-document counter as TxnVersion.
	AppID      string
	TxnVersion int64
	// CommitInfo adds fields to the commitInfo action.
	CommitInfo map[string]any
}

// maxOpAttempts bounds how often an operation is re-planned from a fresh
// snapshot after a conflict.
const maxOpAttempts = 4

// plan computes the actions of an operation on snap; written are the data
// files it wrote (deleted again if the commit fails for sure).
type plan func(ctx context.Context, snap *Snapshot) (actions []Action, written []string, err error)

// run plans and commits an operation, re-planning after conflicts.
func (t *Table) run(ctx context.Context, opts WriteOptions, op string, params map[string]any, p plan) (int64, error) {
	for attempt := 1; ; attempt++ {
		snap, err := t.Snapshot(ctx)
		if err != nil {
			return -1, err
		}
		if opts.AppID != "" {
			if v, ok := snap.TxnVersion(opts.AppID); ok && v >= opts.TxnVersion {
				return snap.version, fmt.Errorf("delta: txn %s version %d (table has %d): %w", opts.AppID, opts.TxnVersion, v, ErrAlreadyApplied)
			}
		}
		actions, written, err := p(ctx, snap)
		if err != nil {
			t.cleanup(written)
			return -1, err
		}
		if len(actions) == 0 && opts.AppID == "" {
			return snap.version, nil
		}
		if opts.AppID != "" {
			now := t.opts.Now().UnixMilli()
			actions = append(actions, Action{Txn: &Txn{AppID: opts.AppID, Version: opts.TxnVersion, LastUpdated: &now}})
		}
		v, err := t.commit(ctx, snap, actions, CommitOptions{Operation: op, OperationParameters: params, CommitInfo: opts.CommitInfo})
		if err == nil {
			return v, nil
		}
		if errors.Is(err, ErrConflict) || errors.Is(err, ErrAlreadyApplied) {
			t.cleanup(written) // the commit was certainly not written
			if errors.Is(err, ErrConflict) && attempt < maxOpAttempts {
				continue
			}
		}
		return -1, err
	}
}

// cleanup deletes data files of a failed write (best effort: vacuum
// removes what is left).
func (t *Table) cleanup(names []string) {
	for _, n := range names {
		if err := t.store.Delete(context.Background(), n); err != nil {
			t.log.Warn("delta: clean up", "file", n, "err", err)
		}
	}
}

// Append adds rows to the table in one commit and returns its version.
// Rows are maps from column name to value (see doc.go); missing columns
// are null. Concurrent appends never conflict with each other.
func (t *Table) Append(ctx context.Context, rows []Row, opts WriteOptions) (int64, error) {
	return t.run(ctx, opts, "WRITE", map[string]any{"mode": "Append"}, func(ctx context.Context, s *Snapshot) ([]Action, []string, error) {
		return t.writeFiles(ctx, s, rows, true)
	})
}

// Overwrite replaces all rows of the table with rows in one commit.
func (t *Table) Overwrite(ctx context.Context, rows []Row, opts WriteOptions) (int64, error) {
	return t.run(ctx, opts, "WRITE", map[string]any{"mode": "Overwrite"}, func(ctx context.Context, s *Snapshot) ([]Action, []string, error) {
		adds, written, err := t.writeFiles(ctx, s, rows, true)
		if err != nil {
			return nil, written, err
		}
		for _, f := range s.Files() {
			adds = append(adds, t.removeOf(f, true))
		}
		return adds, written, nil
	})
}

// DeleteResult reports what a delete did.
type DeleteResult struct {
	// Version is the committed version (the snapshot's version when
	// nothing matched and nothing was committed).
	Version      int64
	FilesRemoved int
	FilesAdded   int
	// RowsDeleted counts deleted rows; for DeleteFiles it is the sum of
	// the files' numRecords statistics.
	RowsDeleted int64
}

// DeleteFiles removes the active files for which match returns true
// (e.g. a partition) in one commit.
func (t *Table) DeleteFiles(ctx context.Context, match func(FileInfo) bool, opts WriteOptions) (DeleteResult, error) {
	var res DeleteResult
	v, err := t.run(ctx, opts, "DELETE", nil, func(ctx context.Context, s *Snapshot) ([]Action, []string, error) {
		res = DeleteResult{}
		var actions []Action
		for _, f := range s.Files() {
			if match(f) {
				actions = append(actions, t.removeOf(f, true))
				res.FilesRemoved++
				res.RowsDeleted += f.ParsedStats().NumRecords
			}
		}
		return actions, nil, nil
	})
	res.Version = v
	return res, err
}

// DeleteRows deletes the rows that satisfy all filters and match (nil
// match: all rows satisfying the filters) in one commit. Files the
// filters rule out by partition values or statistics are not read; files
// with matching rows are removed and their remaining rows rewritten.
func (t *Table) DeleteRows(ctx context.Context, filters []Filter, match func(Row) bool, opts WriteOptions) (DeleteResult, error) {
	var res DeleteResult
	v, err := t.run(ctx, opts, "DELETE", map[string]any{"predicate": fmt.Sprint(filters)}, func(ctx context.Context, s *Snapshot) ([]Action, []string, error) {
		res = DeleteResult{}
		return t.planDelete(ctx, s, filters, match, &res)
	})
	res.Version = v
	return res, err
}

func (t *Table) planDelete(ctx context.Context, s *Snapshot, filters []Filter, match func(Row) bool, res *DeleteResult) ([]Action, []string, error) {
	candidates, err := s.ScanFiles(ScanOptions{Filters: filters})
	if err != nil {
		return nil, nil, err
	}
	sc, err := s.newScan(ScanOptions{Filters: filters})
	if err != nil {
		return nil, nil, err
	}
	var actions []Action
	var written []string
	for _, f := range candidates {
		var keep []Row
		deleted := int64(0)
		for r, err := range s.FileRows(ctx, f, ScanOptions{}) {
			if err != nil {
				return nil, written, err
			}
			if sc.match(r) && (match == nil || match(r)) {
				deleted++
			} else {
				keep = append(keep, r)
			}
		}
		if deleted == 0 {
			continue
		}
		actions = append(actions, t.removeOf(f, true))
		res.FilesRemoved++
		res.RowsDeleted += deleted
		if len(keep) > 0 {
			adds, w, err := t.writeFiles(ctx, s, keep, true)
			written = append(written, w...)
			if err != nil {
				return nil, written, err
			}
			actions = append(actions, adds...)
			res.FilesAdded += len(adds)
		}
	}
	return actions, written, nil
}

// removeOf is the remove action for an active file.
func (t *Table) removeOf(f FileInfo, dataChange bool) Action {
	now := t.opts.Now().UnixMilli()
	size := f.Size
	return Action{Remove: &Remove{Path: f.Path, DeletionTimestamp: &now, DataChange: dataChange,
		ExtendedFileMetadata: true, PartitionValues: f.PartitionValues, Size: &size, Stats: f.Stats, Tags: f.Tags}}
}

// writeFiles writes rows as data files (one group per partition, at most
// TargetFileRows rows per file) and returns their add actions.
func (t *Table) writeFiles(ctx context.Context, s *Snapshot, rows []Row, dataChange bool) ([]Action, []string, error) {
	if err := checkWrite(s.protocol, &s.metadata, s.schema); err != nil {
		return nil, nil, err
	}
	isPart := map[string]bool{}
	for _, p := range s.metadata.PartitionColumns {
		isPart[p] = true
	}
	var data []StructField
	for _, f := range s.schema.Fields {
		if !isPart[f.Name] {
			data = append(data, f)
		}
	}
	groups, order, err := t.groupRows(s, rows)
	if err != nil {
		return nil, nil, err
	}
	var adds []Action
	var written []string
	for _, key := range order {
		g := groups[key]
		for start := 0; start < len(g.rows); start += t.opts.TargetFileRows {
			chunk := g.rows[start:min(start+t.opts.TargetFileRows, len(g.rows))]
			add, err := t.writeFile(ctx, data, chunk, g.dir, g.values, dataChange)
			if err != nil {
				return nil, written, err
			}
			name, _ := decodePath(add.Path)
			written = append(written, name)
			adds = append(adds, Action{Add: add})
		}
	}
	return adds, written, nil
}

type partGroup struct {
	dir    string
	values map[string]*string
	rows   []Row
}

// groupRows normalizes rows and groups them by partition values.
func (t *Table) groupRows(s *Snapshot, rows []Row) (map[string]*partGroup, []string, error) {
	groups := map[string]*partGroup{}
	var order []string
	for i, r := range rows {
		n, err := normalizeStruct(s.schema, r)
		if err != nil {
			return nil, nil, fmt.Errorf("delta: row %d: %w", i, err)
		}
		row := n.(map[string]any)
		values := map[string]*string{}
		var dir strings.Builder
		for _, p := range s.metadata.PartitionColumns {
			f, _ := s.schema.Field(p)
			pv := formatPartitionValue(f.Type, row[p])
			values[p] = pv
			dir.WriteString(escapePartition(p) + "=")
			if pv == nil {
				dir.WriteString("__HIVE_DEFAULT_PARTITION__")
			} else {
				dir.WriteString(escapePartition(*pv))
			}
			dir.WriteString("/")
			delete(row, p)
		}
		key := dir.String()
		g, ok := groups[key]
		if !ok {
			g = &partGroup{dir: key, values: values}
			groups[key] = g
			order = append(order, key)
		}
		g.rows = append(g.rows, row)
	}
	return groups, order, nil
}

// writeFile writes one data file and returns its add action.
func (t *Table) writeFile(ctx context.Context, data []StructField, rows []Row, dir string, values map[string]*string, dataChange bool) (*Add, error) {
	body, stats, err := encodeParquet(data, rows)
	if err != nil {
		return nil, fmt.Errorf("delta: write: %w", err)
	}
	name := dir + "part-00000-" + uuid.NewString() + "-c000.snappy.parquet"
	if err := t.store.Put(ctx, name, bytes.NewReader(body), int64(len(body))); err != nil {
		return nil, fmt.Errorf("delta: write %s: %w", name, err)
	}
	return &Add{Path: encodePath(name), PartitionValues: values, Size: int64(len(body)),
		ModificationTime: t.opts.Now().UnixMilli(), DataChange: dataChange, Stats: stats}, nil
}
