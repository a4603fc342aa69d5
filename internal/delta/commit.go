package delta

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/zero711/brain/internal/blob"
)

// CommitOptions describe a commit.
type CommitOptions struct {
	// Base is the snapshot the actions were computed from. Commits that
	// happened after it are checked for conflicts. nil means the latest
	// snapshot at the time of the call.
	Base *Snapshot
	// Operation names the operation in commitInfo (default "WRITE").
	Operation string
	// OperationParameters are recorded in commitInfo.
	OperationParameters map[string]any
	// CommitInfo adds fields to the commitInfo action.
	CommitInfo map[string]any
}

// Commit atomically commits actions (any mix of add, remove, txn,
// metaData and protocol; a commitInfo is added) as the next version and
// returns it. Losing the race for a version to a concurrent writer is
// retried with backoff as long as the winners do not conflict: a
// concurrent remove of a file these actions remove, a concurrent metaData
// or protocol change, or a concurrent txn of the same application give a
// *ConflictError (ErrConflict). A txn action whose version the table
// already holds for its appId gives ErrAlreadyApplied.
func (t *Table) Commit(ctx context.Context, actions []Action, opts CommitOptions) (int64, error) {
	base := opts.Base
	if base == nil {
		var err error
		if base, err = t.Snapshot(ctx); err != nil {
			return -1, err
		}
	}
	return t.commit(ctx, base, actions, opts)
}

func (t *Table) commit(ctx context.Context, base *Snapshot, actions []Action, opts CommitOptions) (int64, error) {
	if err := t.validateCommit(base, actions); err != nil {
		return -1, err
	}
	op := opts.Operation
	if op == "" {
		op = "WRITE"
	}
	blind := isBlindAppend(actions)
	version := base.version + 1
	for attempt := 1; ; attempt++ {
		info := Action{CommitInfo: t.commitInfo(base.version, op, opts.OperationParameters, opts.CommitInfo, blind)}
		data, err := encodeCommit(append(actions[:len(actions):len(actions)], info))
		if err != nil {
			return -1, fmt.Errorf("delta: commit %d: %w", version, err)
		}
		if t.opts.beforeCommit != nil {
			t.opts.beforeCommit(version)
		}
		err = t.store.PutIfAbsent(ctx, commitName(version), bytes.NewReader(data), int64(len(data)))
		if err == nil {
			t.committed(ctx, base, version, append(actions[:len(actions):len(actions)], info))
			return version, nil
		}
		if !errors.Is(err, blob.ErrExists) {
			return -1, fmt.Errorf("delta: commit %d: %w", version, err)
		}
		if attempt >= t.opts.MaxCommitAttempts {
			return -1, &ConflictError{Version: version, Reason: fmt.Sprintf("lost the race %d times", attempt)}
		}
		next, err := checkWinners(ctx, t.store, version, actions)
		if err != nil {
			return -1, err
		}
		version = next
		if err := sleep(ctx, backoff(attempt)); err != nil {
			return -1, err
		}
	}
}

// validateCommit checks that actions may be committed on top of base.
func (t *Table) validateCommit(base *Snapshot, actions []Action) error {
	if len(actions) == 0 {
		return fmt.Errorf("%w: empty commit", ErrInvalid)
	}
	proto, md, schema := base.protocol, &base.metadata, base.schema
	appendOnly := base.metadata.Configuration["delta.appendOnly"] == "true"
	for i, a := range actions {
		if n := a.count(); n != 1 || a.CommitInfo != nil || a.Sidecar != nil || a.CheckpointMetadata != nil {
			return fmt.Errorf("%w: action %d must set exactly one of protocol, metaData, add, remove, txn", ErrInvalid, i)
		}
		if err := a.validate(); err != nil {
			return fmt.Errorf("%w: action %d: %v", ErrInvalid, i, err)
		}
		switch {
		case a.Protocol != nil:
			proto = *a.Protocol
		case a.Metadata != nil:
			md = a.Metadata
			s, err := ParseSchema(md.SchemaString)
			if err != nil {
				return fmt.Errorf("%w: %v", ErrInvalid, err)
			}
			schema = s
		case a.Remove != nil && a.Remove.DataChange && appendOnly:
			return fmt.Errorf("%w: table is append-only (delta.appendOnly)", ErrInvalid)
		case a.Txn != nil:
			if v, ok := base.TxnVersion(a.Txn.AppID); ok && v >= a.Txn.Version {
				return fmt.Errorf("delta: txn %s version %d (table has %d): %w", a.Txn.AppID, a.Txn.Version, v, ErrAlreadyApplied)
			}
		}
	}
	if err := checkWrite(base.protocol, &base.metadata, base.schema); err != nil {
		return err
	}
	return checkWrite(proto, md, schema)
}

// isBlindAppend reports whether actions only add data (and txns).
func isBlindAppend(actions []Action) bool {
	for _, a := range actions {
		if a.Remove != nil || a.Metadata != nil || a.Protocol != nil || (a.Add != nil && !a.Add.DataChange) {
			return false
		}
	}
	return true
}

// checkWinners reads the commits from version on that beat ours and
// returns the next free version, or the conflict they cause.
func checkWinners(ctx context.Context, store blob.Store, version int64, ours []Action) (int64, error) {
	for v := version; ; v++ {
		theirs, err := readCommit(ctx, store, v)
		if errors.Is(err, ErrVersionNotFound) {
			return v, nil
		}
		if err != nil {
			return -1, err
		}
		if err := conflict(v, ours, theirs); err != nil {
			return -1, err
		}
	}
}

// conflict decides whether the winning commit v (theirs) invalidates ours
// under write-serializable isolation: blind appends never conflict with
// each other; removing a file someone else removed, changing metadata
// concurrently with any data change, and two commits of one application
// transaction do.
func conflict(v int64, ours, theirs []Action) error {
	removes := map[string]bool{}
	txns := map[string]int64{}
	changesMeta := false
	for _, a := range ours {
		switch {
		case a.Remove != nil:
			if name, err := decodePath(a.Remove.Path); err == nil {
				removes[name] = true
			}
		case a.Txn != nil:
			txns[a.Txn.AppID] = a.Txn.Version
		case a.Metadata != nil, a.Protocol != nil:
			changesMeta = true
		}
	}
	for _, a := range theirs {
		switch {
		case a.Metadata != nil, a.Protocol != nil:
			return &ConflictError{Version: v, Reason: "metadata or protocol changed"}
		case a.Remove != nil:
			if name, err := decodePath(a.Remove.Path); err == nil && removes[name] {
				return &ConflictError{Version: v, Reason: fmt.Sprintf("file %s was removed concurrently", name)}
			}
		case a.Add != nil && changesMeta:
			return &ConflictError{Version: v, Reason: "files were added while the metadata changes"}
		case a.Txn != nil:
			if mine, ok := txns[a.Txn.AppID]; ok {
				if a.Txn.Version >= mine {
					return fmt.Errorf("delta: txn %s version %d committed as %d: %w", a.Txn.AppID, mine, v, ErrAlreadyApplied)
				}
				return &ConflictError{Version: v, Reason: fmt.Sprintf("concurrent transaction of application %s", a.Txn.AppID)}
			}
		}
	}
	return nil
}

// backoff is the pause after losing attempt n: exponential from 1ms,
// capped at 100ms, with jitter.
func backoff(n int) time.Duration {
	d := time.Millisecond << min(n-1, 7)
	d = min(d, 100*time.Millisecond)
	return d/2 + rand.N(d)
}

func sleep(ctx context.Context, d time.Duration) error {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}

// committed updates the cached snapshot after version was committed and
// writes a checkpoint when one is due.
func (t *Table) committed(ctx context.Context, base *Snapshot, version int64, actions []Action) {
	s := base
	if base.version == version-1 {
		r := replayFrom(base)
		if err := r.apply(version, actions); err == nil {
			if s2, err := r.finish(); err == nil {
				t.remember(s2)
				s = s2
			}
		}
	}
	interval := t.checkpointInterval(s)
	if version%interval != 0 {
		return
	}
	if err := t.Checkpoint(ctx, version); err != nil {
		t.log.Warn("delta: checkpoint failed", "version", version, "err", err)
	}
}
