package delta

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// CompactOptions tune Compact.
type CompactOptions struct {
	// SmallFileSize: files smaller than this many bytes are rewritten
	// (default 16 MiB).
	SmallFileSize int64
	// MinFiles is how many small files a partition needs before it is
	// compacted (default 2).
	MinFiles int
	WriteOptions
}

// CompactResult reports what Compact did.
type CompactResult struct {
	// Version is the committed version (the snapshot's version when there
	// was nothing to compact).
	Version      int64
	FilesRemoved int
	FilesAdded   int
}

// Compact rewrites the small files of each partition into as few files as
// TargetFileRows allows, in one commit whose actions have dataChange
// false: readers see the same rows. A concurrent delete of a file being
// compacted makes it retry from a fresh snapshot.
func (t *Table) Compact(ctx context.Context, opts CompactOptions) (CompactResult, error) {
	if opts.SmallFileSize <= 0 {
		opts.SmallFileSize = 16 << 20
	}
	if opts.MinFiles <= 1 {
		opts.MinFiles = 2
	}
	var res CompactResult
	v, err := t.run(ctx, opts.WriteOptions, "OPTIMIZE", map[string]any{"smallFileSize": opts.SmallFileSize},
		func(ctx context.Context, s *Snapshot) ([]Action, []string, error) {
			res = CompactResult{}
			return t.planCompact(ctx, s, opts, &res)
		})
	res.Version = v
	return res, err
}

func (t *Table) planCompact(ctx context.Context, s *Snapshot, opts CompactOptions, res *CompactResult) ([]Action, []string, error) {
	groups := map[string][]FileInfo{}
	var order []string
	for _, f := range s.Files() {
		if f.Size >= opts.SmallFileSize {
			continue
		}
		key := partitionKey(s.metadata.PartitionColumns, f.PartitionValues)
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], f)
	}
	var actions []Action
	var written []string
	for _, key := range order {
		files := groups[key]
		if len(files) < opts.MinFiles {
			continue
		}
		var rows []Row
		for _, f := range files {
			for r, err := range s.FileRows(ctx, f, ScanOptions{}) {
				if err != nil {
					return nil, written, err
				}
				rows = append(rows, r)
			}
			actions = append(actions, t.removeOf(f, false))
		}
		adds, w, err := t.writeFiles(ctx, s, rows, false)
		written = append(written, w...)
		if err != nil {
			return nil, written, err
		}
		actions = append(actions, adds...)
		res.FilesRemoved += len(files)
		res.FilesAdded += len(adds)
	}
	return actions, written, nil
}

// partitionKey identifies a file's partition.
func partitionKey(cols []string, values map[string]*string) string {
	var b strings.Builder
	for _, c := range cols {
		b.WriteString(c)
		if v := values[c]; v != nil {
			b.WriteString("=" + *v)
		}
		b.WriteByte(0)
	}
	return b.String()
}

// VacuumOptions tune Vacuum.
type VacuumOptions struct {
	// Retention: files removed (or written) more recently are kept, so
	// time travel within it and writes in flight stay safe. Default 7
	// days; it may not exceed Options.TombstoneRetention.
	Retention time.Duration
	// DryRun lists the files without deleting them.
	DryRun bool
}

// VacuumResult lists the deleted (or, in a dry run, deletable) files.
type VacuumResult struct {
	Deleted []string
}

// Vacuum deletes data files that no version within the retention period
// references: files that are neither active in the latest snapshot nor
// removed less than Retention ago, and that are older than Retention.
// The log, hidden files and files of the current snapshot are never
// deleted.
func (t *Table) Vacuum(ctx context.Context, opts VacuumOptions) (VacuumResult, error) {
	var res VacuumResult
	if opts.Retention == 0 {
		opts.Retention = 7 * 24 * time.Hour
	}
	if opts.Retention < 0 || opts.Retention > t.opts.TombstoneRetention {
		return res, fmt.Errorf("%w: vacuum retention %v outside (0, %v]", ErrInvalid, opts.Retention, t.opts.TombstoneRetention)
	}
	s, err := t.Snapshot(ctx)
	if err != nil {
		return res, err
	}
	if err := checkWrite(s.protocol, &s.metadata, nil); err != nil {
		return res, err
	}
	horizon := t.opts.Now().Add(-opts.Retention)
	keep := map[string]bool{}
	for _, f := range s.Files() {
		keep[f.Name] = true
	}
	for name, r := range s.tombstones {
		if r.DeletionTimestamp == nil || time.UnixMilli(*r.DeletionTimestamp).After(horizon) {
			keep[name] = true
		}
	}
	objs, err := t.store.List(ctx, "")
	if err != nil {
		return res, fmt.Errorf("delta: vacuum: %w", err)
	}
	for _, o := range objs {
		if keep[o.Name] || hiddenPath(o.Name) || o.ModTime.After(horizon) {
			continue
		}
		res.Deleted = append(res.Deleted, o.Name)
	}
	slices.Sort(res.Deleted)
	if opts.DryRun {
		return res, nil
	}
	for _, name := range res.Deleted {
		if err := t.store.Delete(ctx, name); err != nil {
			return res, fmt.Errorf("delta: vacuum: %w", err)
		}
	}
	return res, nil
}

// hiddenPath reports names vacuum must not touch: the log and anything
// under a segment starting with "." or "_" (except partition directories
// such as "_p=1").
func hiddenPath(name string) bool {
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") || (strings.HasPrefix(seg, "_") && !strings.Contains(seg, "=")) {
			return true
		}
	}
	return false
}
