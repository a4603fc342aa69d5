//go:build cgo

package duckdb

import (
	"context"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	duck "github.com/duckdb/duckdb-go/v2"

	"github.com/zero711/brain"
)

// Available reports whether this binary can run SQL: true when it was built
// with cgo and so links DuckDB.
func Available() bool { return true }

// UnavailableReason says why Available is false; it is empty here.
func UnavailableReason() string { return "" }

// Engine runs read-only SQL over one customer's lakehouse. It is safe for
// concurrent use; each query runs on a connection of its own.
type Engine struct {
	opts      Options // with defaults; Root and TempDir resolved
	connector *duck.Connector

	// closing is cancelled by Close, interrupting running queries.
	closing context.Context
	cancel  context.CancelFunc
	mu      sync.Mutex
	closed  bool
	running sync.WaitGroup
}

// errTimeout is the cause of a query context that ran out of time.
var errTimeout = errors.New("duckdb: query timed out")

// Open opens an engine over opts.Root: a fresh in-memory DuckDB database,
// locked down as the package documentation describes. It returns
// brain.EINVALID for bad options.
func Open(ctx context.Context, opts Options) (*Engine, error) {
	opts, err := resolveOptions(opts.withDefaults())
	if err != nil {
		return nil, fmt.Errorf("duckdb: open: %w", err)
	}
	connector, err := duck.NewConnector("", nil)
	if err != nil {
		return nil, fmt.Errorf("duckdb: open: %w", err)
	}
	if err := lockDown(ctx, connector, opts); err != nil {
		return nil, errors.Join(fmt.Errorf("duckdb: open: %w", err), connector.Close())
	}
	e := &Engine{opts: opts, connector: connector}
	e.closing, e.cancel = context.WithCancel(context.Background())
	return e, nil
}

// resolveOptions checks the directories and resolves their symbolic links,
// so that the paths DuckDB compares are the real ones.
func resolveOptions(o Options) (Options, error) {
	if o.Root == "" || !filepath.IsAbs(o.Root) {
		return o, brain.Errorf(brain.EINVALID, "sql: the lakehouse root must be an absolute path")
	}
	root, err := filepath.EvalSymlinks(o.Root)
	if err != nil {
		return o, fmt.Errorf("resolve root: %w", err)
	}
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		return o, brain.Errorf(brain.EINVALID, "sql: the lakehouse root is not a directory")
	}
	o.Root = root
	if o.TempDir == "" {
		return o, nil
	}
	if !filepath.IsAbs(o.TempDir) {
		return o, brain.Errorf(brain.EINVALID, "sql: the temporary directory must be an absolute path")
	}
	if err := os.MkdirAll(o.TempDir, 0o700); err != nil {
		return o, fmt.Errorf("create temp dir: %w", err)
	}
	if o.TempDir, err = filepath.EvalSymlinks(o.TempDir); err != nil {
		return o, fmt.Errorf("resolve temp dir: %w", err)
	}
	return o, nil
}

// lockDown configures the database and locks the configuration. The order
// matters: allowed_directories must be set while external access is still
// on, and the lock comes last.
func lockDown(ctx context.Context, connector *duck.Connector, o Options) error {
	c, err := connector.Connect(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	settings := []string{
		"SET allowed_directories = [" + quoteLiteral(o.Root+string(filepath.Separator)) + "]",
		"SET temp_directory = " + quoteLiteral(o.TempDir),
		"SET memory_limit = " + quoteLiteral(o.MemoryLimit),
		"SET threads = " + strconv.Itoa(o.Threads),
		"SET parquet_metadata_cache = true",
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
		"SET enable_external_access = false",
		"SET lock_configuration = true",
	}
	for _, s := range settings {
		if _, err := c.(driver.ExecerContext).ExecContext(ctx, s, nil); err != nil {
			if de := (*duck.Error)(nil); errors.As(err, &de) && de.Type != duck.ErrorTypeInternal {
				return errors.Join(brain.Errorf(brain.EINVALID, "sql: %s", de.Msg), err)
			}
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// Close interrupts running queries, waits for them and closes the database.
func (e *Engine) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	e.mu.Unlock()
	e.cancel()
	e.running.Wait()
	if err := e.connector.Close(); err != nil {
		return fmt.Errorf("duckdb: close: %w", err)
	}
	return nil
}

// enter registers a query; it fails once the engine is closed.
func (e *Engine) enter() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return brain.Errorf(brain.EUNAVAILABLE, "sql: the engine is closed")
	}
	e.running.Add(1)
	return nil
}

// Query runs one read-only statement over tables, which maps each table name
// to the absolute paths of the Parquet files of its current snapshot (all
// under Root). It returns brain.EINVALID for a malformed query, a timeout or a
// bad table name, brain.EFORBIDDEN for anything that is not a read or reaches
// outside the lakehouse, brain.ETOOLARGE for a query over the memory limit,
// and brain.EUNAVAILABLE once the engine is closed.
func (e *Engine) Query(ctx context.Context, query string, tables map[string][]string) (*Result, error) {
	if err := e.enter(); err != nil {
		return nil, fmt.Errorf("duckdb: query: %w", err)
	}
	defer e.running.Done()
	st, err := parseStatement(query)
	if err != nil {
		return nil, fmt.Errorf("duckdb: query: %w", err)
	}
	views, err := resolveViews(e.opts.Root, tables)
	if err != nil {
		return nil, fmt.Errorf("duckdb: query: %w", err)
	}
	qctx, cancel := context.WithTimeoutCause(ctx, e.opts.Timeout, errTimeout)
	defer cancel()
	defer context.AfterFunc(e.closing, cancel)()

	dc, err := e.connector.Connect(qctx)
	if err != nil {
		return nil, fmt.Errorf("duckdb: query: connect: %w", err)
	}
	defer dc.Close()
	res, err := e.run(qctx, dc.(*duck.Conn), st, views)
	if err != nil {
		return nil, fmt.Errorf("duckdb: query: %w", e.queryError(ctx, qctx, err))
	}
	return res, nil
}

// run creates the views, checks st and runs it on c.
func (e *Engine) run(ctx context.Context, c *duck.Conn, st statement, views []view) (*Result, error) {
	for _, v := range views {
		if _, err := c.ExecContext(ctx, v.createSQL(), nil); err != nil {
			return nil, fmt.Errorf("create view %s: %w", v.name, err)
		}
	}
	if st.body != "" {
		if err := checkBody(ctx, c, st.body); err != nil {
			return nil, err
		}
	}
	stmt, err := prepare(c, st)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	if st.kind == kindSelect {
		if limited := e.limited(ctx, c, st); limited != nil {
			defer limited.Close()
			res, err := e.fetch(ctx, limited)
			if err != nil {
				return nil, err
			}
			renameColumns(res, stmt)
			return res, nil
		}
	}
	return e.fetch(ctx, stmt)
}

// checkBody has DuckDB parse body (without binding or running it) and walks
// the tree.
func checkBody(ctx context.Context, c *duck.Conn, body string) error {
	rows, err := c.QueryContext(ctx, "SELECT json_serialize_sql($1::VARCHAR)::VARCHAR",
		[]driver.NamedValue{{Ordinal: 1, Value: body}})
	if err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	defer rows.Close()
	dest := make([]driver.Value, 1)
	if err := rows.Next(dest); err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	s, _ := dest[0].(string)
	return checkTree(s)
}

// prepare prepares st and checks its type. duck.Conn.Prepare refuses more
// than one statement without running any (PrepareContext would run all but
// the last).
func prepare(c *duck.Conn, st statement) (*duck.Stmt, error) {
	ds, err := c.Prepare(st.text)
	if err != nil {
		if de := (*duck.Error)(nil); !errors.As(err, &de) {
			// Empty, or more than one statement.
			return nil, errors.Join(brain.Errorf(brain.EINVALID, "sql: the query must be exactly one statement"), err)
		}
		return nil, err
	}
	stmt := ds.(*duck.Stmt)
	t, err := stmt.StatementType()
	if err != nil {
		return nil, errors.Join(err, stmt.Close())
	}
	if stmt.NumInput() > 0 {
		return nil, errors.Join(brain.Errorf(brain.EINVALID, "sql: parameters ($1, ?) are not supported"), stmt.Close())
	}
	want := duck.STATEMENT_TYPE_SELECT
	if st.kind == kindExplain {
		want = duck.STATEMENT_TYPE_EXPLAIN
	}
	if t != want {
		return nil, errors.Join(errNotReadOnly(), stmt.Close())
	}
	return stmt, nil
}

// limited prepares st wrapped in an outer LIMIT, so that DuckDB stops after
// MaxRows+1 rows instead of materialising the whole result. The wrapper goes
// through the same checks as st. It returns nil when the wrapped form does not
// prepare (a trailing comment, say); the caller then runs st as it is.
func (e *Engine) limited(ctx context.Context, c *duck.Conn, st statement) *duck.Stmt {
	text := fmt.Sprintf("SELECT * FROM (\n%s\n) LIMIT %d", st.text, e.opts.MaxRows+1)
	if checkBody(ctx, c, text) != nil {
		return nil
	}
	stmt, err := prepare(c, statement{kind: kindSelect, text: text, body: text})
	if err != nil {
		return nil
	}
	return stmt
}

// renameColumns gives res the column names of stmt, the query as written:
// the wrapper would rename duplicates.
func renameColumns(res *Result, stmt *duck.Stmt) {
	if n, err := stmt.ColumnCount(); err != nil || n != len(res.Columns) {
		return
	}
	for i := range res.Columns {
		if name, err := stmt.ColumnName(i); err == nil {
			res.Columns[i].Name = name
		}
	}
}

// fetch runs stmt and reads at most MaxRows rows.
func (e *Engine) fetch(ctx context.Context, stmt *duck.Stmt) (*Result, error) {
	rows, err := stmt.QueryContext(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := rows.Columns()
	res := &Result{Columns: make([]Column, len(names)), Rows: [][]any{}}
	typed, _ := rows.(driver.RowsColumnTypeDatabaseTypeName)
	for i, name := range names {
		res.Columns[i].Name = name
		if typed != nil {
			res.Columns[i].Type = typed.ColumnTypeDatabaseTypeName(i)
		}
	}
	dest := make([]driver.Value, len(names))
	for {
		err := rows.Next(dest)
		if err == io.EOF {
			return res, nil
		}
		if err != nil {
			return nil, err
		}
		if len(res.Rows) == e.opts.MaxRows {
			res.Truncated = true
			return res, nil
		}
		if len(res.Rows)%1024 == 0 && ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		row := make([]any, len(dest))
		for i, v := range dest {
			row[i] = normalize(v, res.Columns[i].Type)
		}
		res.Rows = append(res.Rows, row)
	}
}

// normalize turns the driver values that do not encode well to JSON into
// ones that do.
func normalize(v any, typ string) any {
	switch x := v.(type) {
	case duck.Decimal:
		return x.Float64()
	case []byte:
		if typ == "UUID" && len(x) == 16 {
			h := hex.EncodeToString(x)
			return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
		}
	case []any:
		for i := range x {
			x[i] = normalize(x[i], "")
		}
	case map[string]any:
		for k := range x {
			x[k] = normalize(x[k], "")
		}
	}
	return v
}

// queryError maps an error from running a query to the codes Query
// documents, keeping DuckDB's error in the chain. ctx is the caller's
// context, qctx the query's.
func (e *Engine) queryError(ctx, qctx context.Context, err error) error {
	var be *brain.Error
	if errors.As(err, &be) {
		return err
	}
	switch {
	case ctx.Err() != nil:
		return errors.Join(ctx.Err(), err)
	case context.Cause(qctx) == errTimeout:
		return errors.Join(brain.Errorf(brain.EINVALID, "sql: the query ran longer than %s and was stopped; narrow it down", e.opts.Timeout), err)
	case e.closing.Err() != nil:
		return errors.Join(brain.Errorf(brain.EUNAVAILABLE, "sql: the engine was closed"), err)
	}
	var de *duck.Error
	if !errors.As(err, &de) {
		return err
	}
	switch de.Type {
	case duck.ErrorTypePermission:
		return errors.Join(brain.Errorf(brain.EFORBIDDEN, "sql: %s", de.Msg), err)
	case duck.ErrorTypeOutOfMemory:
		return errors.Join(brain.Errorf(brain.ETOOLARGE, "sql: the query needs more than the memory limit of %s", e.opts.MemoryLimit), err)
	case duck.ErrorTypeInternal, duck.ErrorTypeFatal, duck.ErrorTypeIO, duck.ErrorTypeConnection, duck.ErrorTypeInterrupt:
		return err // internal: the user sees "internal error"
	}
	return errors.Join(brain.Errorf(brain.EINVALID, "sql: %s", de.Msg), err)
}
