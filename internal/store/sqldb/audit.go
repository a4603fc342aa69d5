package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/store"
)

const auditColumns = `seq, time, customer_id, actor, action, target, request_id, outcome, detail, prev_hash, hash`

// AppendAudit implements store.Store.
func (s *DB) AppendAudit(ctx context.Context, e *brain.AuditEntry) error {
	e.Time = norm(e.Time)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if s.dialect.LockAudit != nil {
			if err := s.dialect.LockAudit(ctx, tx); err != nil {
				return fmt.Errorf("lock: %w", err)
			}
		}
		var seq int64
		var prev string
		err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &prev)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("head: %w", err)
		}
		e.Seq, e.PrevHash = seq+1, prev
		e.Hash = e.ComputeHash()
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO audit_log (`+auditColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			e.Seq, e.Time, e.CustomerID, e.Actor, e.Action, e.Target, e.RequestID, e.Outcome, e.Detail, e.PrevHash, e.Hash)
		return err
	})
	if err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	return nil
}

// ListAudit implements store.Store.
func (s *DB) ListAudit(ctx context.Context, customerID string, page store.Page) ([]*brain.AuditEntry, error) {
	before := int64(math.MaxInt64)
	if page.After != "" {
		n, err := strconv.ParseInt(page.After, 10, 64)
		if err != nil {
			return nil, brain.Errorf(brain.EINVALID, "audit cursor must be a sequence number")
		}
		before = n
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+auditColumns+` FROM audit_log
		WHERE (? = '' OR customer_id = ?) AND seq < ? ORDER BY seq DESC LIMIT ?`),
		customerID, customerID, before, page.Clamp())
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	out, err := collect(rows, scanAudit)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	return out, nil
}

// WalkAudit implements store.Store. It reads in batches so that a long
// chain never sits in memory at once.
func (s *DB) WalkAudit(ctx context.Context, fn func(*brain.AuditEntry) error) error {
	var after int64
	for {
		rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+auditColumns+` FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 1000`), after)
		if err != nil {
			return fmt.Errorf("walk audit: %w", err)
		}
		batch, err := collect(rows, scanAudit)
		if err != nil {
			return fmt.Errorf("walk audit: %w", err)
		}
		for _, e := range batch {
			if err := fn(e); err != nil {
				return err
			}
			after = e.Seq
		}
		if len(batch) < 1000 {
			return nil
		}
	}
}

func scanAudit(r scanner) (*brain.AuditEntry, error) {
	var e brain.AuditEntry
	err := r.Scan(&e.Seq, utcTime{&e.Time}, &e.CustomerID, &e.Actor, &e.Action, &e.Target, &e.RequestID,
		&e.Outcome, &e.Detail, &e.PrevHash, &e.Hash)
	if err != nil {
		return nil, err
	}
	return &e, nil
}
