// Package postgres opens the production metadata store on PostgreSQL
// (DATABASE_URL) through pgx, migrated on open. Several nodes may open it
// at once: migrations and audit appends take advisory locks.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/zero711/brain/internal/store/sqldb"
)

//go:embed migrations/*.sql
var migrations embed.FS

// auditLockKey is the advisory lock that serialises audit appends.
const auditLockKey = 0x0711_a0d1

var dialect = sqldb.Dialect{
	Name:                  "postgres",
	Numbered:              true,
	IsUniqueViolation:     func(err error) bool { return pgCode(err) == "23505" },
	IsForeignKeyViolation: func(err error) bool { return pgCode(err) == "23503" },
	LockAudit: func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, auditLockKey)
		return err
	},
}

func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Open connects to the database at url (a postgres:// URL or DSN),
// migrates it and returns the store.
func Open(ctx context.Context, url string) (*sqldb.DB, error) {
	db, err := openDB(ctx, url)
	if err != nil {
		return nil, err
	}
	if _, err := Migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return sqldb.New(db, dialect), nil
}

func openDB(ctx context.Context, url string) (*sql.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	return db, nil
}

// Migrate brings db to the newest schema and returns the versions applied.
func Migrate(ctx context.Context, db *sql.DB) ([]int64, error) {
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
	if err != nil {
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	return sqldb.Migrate(ctx, goose.DialectPostgres, db, migrations, goose.WithSessionLocker(locker))
}

// MigrateURL connects to url, migrates the database and disconnects.
func MigrateURL(ctx context.Context, url string) ([]int64, error) {
	db, err := openDB(ctx, url)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return Migrate(ctx, db)
}
