// Package sqldb implements store.Store over database/sql. The SQL is
// written once, in the portable subset of SQLite and PostgreSQL; a Dialect
// supplies what differs (placeholders, error codes, locking). The sqlite and
// postgres packages open a database, migrate it and hand it to New.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/store"
)

// Dialect is what differs between the SQL backends.
type Dialect struct {
	// Name is the backend's name, reported by Kind.
	Name string
	// Numbered says placeholders are $1, $2… rather than ?.
	Numbered bool
	// IsUniqueViolation reports a unique-constraint error.
	IsUniqueViolation func(error) bool
	// IsForeignKeyViolation reports a foreign-key error.
	IsForeignKeyViolation func(error) bool
	// LockAudit serialises audit appends across processes within tx; nil
	// when the backend's write transactions are already serial.
	LockAudit func(ctx context.Context, tx *sql.Tx) error
}

// DB is a store.Store on a *sql.DB.
type DB struct {
	db      *sql.DB
	dialect Dialect
}

var _ store.Store = (*DB)(nil)

// New returns a store on db, which must already be migrated.
func New(db *sql.DB, d Dialect) *DB {
	return &DB{db: db, dialect: d}
}

// SQL returns the underlying database, for tests and maintenance commands.
func (s *DB) SQL() *sql.DB { return s.db }

// Kind implements store.Store.
func (s *DB) Kind() string { return s.dialect.Name }

// Close implements store.Store.
func (s *DB) Close() error { return s.db.Close() }

// Ping implements store.Store.
func (s *DB) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("%s: ping: %w", s.dialect.Name, errors.Join(brain.Errorf(brain.EUNAVAILABLE, "database unavailable"), err))
	}
	return nil
}

// q rewrites a query written with ? placeholders for the dialect.
func (s *DB) q(query string) string {
	if !s.dialect.Numbered {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tx runs fn in a transaction, committing when it returns nil.
func (s *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// mapErr turns constraint errors into brain errors.
func (s *DB) mapErr(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return brain.Errorf(brain.ENOTFOUND, "%s not found", what)
	case s.dialect.IsUniqueViolation != nil && s.dialect.IsUniqueViolation(err):
		return brain.Errorf(brain.ECONFLICT, "%s already exists", what)
	case s.dialect.IsForeignKeyViolation != nil && s.dialect.IsForeignKeyViolation(err):
		return brain.Errorf(brain.ENOTFOUND, "%s refers to a record that does not exist", what)
	}
	return err
}

// now normalises a time the way every backend stores it: UTC, microseconds.
func norm(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func normPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	n := norm(*t)
	return &n
}

// nullTime scans a nullable timestamp.
type nullTime struct{ t **time.Time }

func (n nullTime) Scan(v any) error {
	var nt sql.NullTime
	if err := nt.Scan(v); err != nil {
		return err
	}
	if nt.Valid {
		t := norm(nt.Time)
		*n.t = &t
	} else {
		*n.t = nil
	}
	return nil
}

// utcTime scans a timestamp and normalises it.
type utcTime struct{ t *time.Time }

func (u utcTime) Scan(v any) error {
	var nt sql.NullTime
	if err := nt.Scan(v); err != nil {
		return err
	}
	*u.t = norm(nt.Time)
	return nil
}
