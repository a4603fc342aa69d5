// Package audit verifies the hash chain of the audit log. Entries are
// appended by the store (see store.Audit); this package checks that none was
// changed, removed, inserted or reordered since.
package audit

import (
	"context"
	"fmt"

	"github.com/zero711/brain"
)

// Walker walks the audit log in sequence order; store.Store is one.
type Walker interface {
	WalkAudit(ctx context.Context, fn func(*brain.AuditEntry) error) error
}

// BrokenError says where the chain breaks and why.
type BrokenError struct {
	Seq    int64
	Reason string
}

// Error implements error.
func (e *BrokenError) Error() string {
	return fmt.Sprintf("audit chain broken at entry %d: %s", e.Seq, e.Reason)
}

// Verify walks the whole log and returns the number of entries checked, or
// a *BrokenError at the first entry that does not chain.
func Verify(ctx context.Context, w Walker) (int64, error) {
	var n int64
	prev := ""
	err := w.WalkAudit(ctx, func(e *brain.AuditEntry) error {
		n++
		switch {
		case e.Seq != n:
			return &BrokenError{Seq: e.Seq, Reason: fmt.Sprintf("expected sequence number %d (an entry is missing or inserted)", n)}
		case e.PrevHash != prev:
			return &BrokenError{Seq: e.Seq, Reason: "previous-hash link does not match the entry before it"}
		case e.ComputeHash() != e.Hash:
			return &BrokenError{Seq: e.Seq, Reason: "content does not match its hash (the entry was modified)"}
		}
		prev = e.Hash
		return nil
	})
	if err != nil {
		return n - 1, fmt.Errorf("audit: verify: %w", err)
	}
	return n, nil
}
