// Package duckdb runs read-only SQL over one customer's lakehouse tables with
// DuckDB, embedded through cgo.
//
// An Engine belongs to one customer. It owns a private in-memory DuckDB
// database that is locked down once, when it opens:
//
//	SET allowed_directories = ['<Root, symlinks resolved>/']
//	SET temp_directory = '<TempDir>'      -- or '' : no spilling
//	SET memory_limit, threads, parquet_metadata_cache
//	SET autoinstall_known_extensions = false
//	SET autoload_known_extensions = false
//	SET enable_external_access = false
//	SET lock_configuration = true
//
// With enable_external_access off, DuckDB (1.5) refuses every file, network
// and extension access except to paths under allowed_directories, which must
// therefore be set first; views over files in Root keep working. DuckDB
// refuses relative paths, ".." out of Root, globs matching files outside it
// and symbolic links inside Root that point elsewhere (the tests try each). It
// also grants access to temp_directory (set before the switch, as it cannot
// change after), which holds only this engine's spill files and which the
// statement check below keeps queries from naming. The lock makes SET and
// RESET of any option fail.
//
// Query exposes the current snapshot of each table as a temporary view
// (read_parquet over the files the caller took from the Delta log) on a
// connection of its own, so concurrent queries may see different snapshots.
// The views are created before the user's statement runs, over paths that
// Query has checked lie inside Root.
//
// The configuration is the wall; the statement check is a second one, and
// gives clear errors. A query must be one statement, and one of:
//
//   - a SELECT in DuckDB's sense (SELECT, WITH, VALUES, FROM-first,
//     DESCRIBE, SHOW, SUMMARIZE, PIVOT with an IN list);
//   - EXPLAIN [ANALYZE] of such a SELECT;
//   - PRAGMA table_info('t'), show('t'), show_tables,
//     show_tables_expanded or version.
//
// The SELECT is parsed by DuckDB (json_serialize_sql) and its tree walked:
// table functions must be on a short list (range, unnest, json_each, the
// catalog functions…), so read_csv, read_parquet, read_text, read_blob,
// glob, query, enable_profiling and the like are refused, as are file names
// used as tables and current_setting, which would show server paths. The
// prepared statement's type must then be SELECT (or EXPLAIN); INSERT, COPY,
// ATTACH, SET, CALL, LOAD and the rest never run. Multiple statements are
// refused before anything is prepared or run.
//
// Each query runs under a timeout (interrupting DuckDB) and returns at most
// MaxRows rows; a SELECT is wrapped in an outer LIMIT so DuckDB stops after
// MaxRows+1 rows instead of materialising the whole result.
//
// Builds without cgo get the same API: Available reports false and Open
// returns brain.EUNAVAILABLE, so the rest of the platform builds and runs
// without a C toolchain ("CGO_ENABLED=0 go build ./...").
package duckdb
