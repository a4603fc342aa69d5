// Package sqlite opens the embedded metadata store: a SQLite file in the
// data directory, through the pure-Go modernc driver, migrated on open.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/zero711/brain/internal/store/sqldb"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Dialect is SQLite's sqldb.Dialect. Write transactions start IMMEDIATE
// (see Open), so audit appends are already serial.
var dialect = sqldb.Dialect{
	Name: "sqlite",
	IsUniqueViolation: func(err error) bool {
		return code(err) == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code(err) == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	},
	IsForeignKeyViolation: func(err error) bool { return code(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY },
}

func code(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

// Open opens (creating if needed) the database file at path, migrates it
// to the newest schema and returns the store.
func Open(ctx context.Context, path string) (*sqldb.DB, error) {
	db, err := openDB(path)
	if err != nil {
		return nil, err
	}
	if _, err := Migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return sqldb.New(db, dialect), nil
}

func openDB(path string) (*sql.DB, error) {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// Keep connections: each new one re-runs the pragmas and re-reads the
	// schema, which cost a seventh of the CPU under concurrent reads.
	db.SetMaxIdleConns(16)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// Migrate brings db to the newest schema and returns the versions applied.
func Migrate(ctx context.Context, db *sql.DB) ([]int64, error) {
	return sqldb.Migrate(ctx, goose.DialectSQLite3, db, migrations)
}

// MigrateFile opens the database at path, migrates it and closes it.
func MigrateFile(ctx context.Context, path string) ([]int64, error) {
	db, err := openDB(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return Migrate(ctx, db)
}
