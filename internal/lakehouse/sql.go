package lakehouse

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/delta"
	"github.com/zero711/brain/internal/duckdb"
)

// SQLResult is the answer of a SQL query.
type SQLResult = duckdb.Result

// SQLAvailable reports whether SQL works in this build, and why not.
func SQLAvailable() (bool, string) { return duckdb.Available(), duckdb.UnavailableReason() }

// Query runs one read-only SQL statement over the current snapshots of the
// customer's tables, each visible as a view of its name. The engine can
// read nothing outside the customer's lakehouse directory.
func (l *Lakehouse) Query(ctx context.Context, customerID, sql string) (*SQLResult, error) {
	if ok, why := SQLAvailable(); !ok {
		return nil, brain.Errorf(brain.EUNAVAILABLE, "%s", why)
	}
	var out *SQLResult
	err := l.with(ctx, customerID, func(c *customerLake) error {
		root, err := l.storage.LocalRoot(customerID)
		if err != nil {
			return err
		}
		if root == "" {
			return brain.Errorf(brain.EUNAVAILABLE, "SQL needs the lakehouse on local disk; this node keeps it on S3")
		}
		eng, err := c.sqlEngine(ctx, root)
		if err != nil {
			return err
		}
		tables, err := c.parquetFiles(ctx, root)
		if err != nil {
			return err
		}
		out, err = eng.Query(ctx, sql, tables)
		return err
	})
	return out, wrap("sql", err)
}

func (c *customerLake) sqlEngine(ctx context.Context, root string) (*duckdb.Engine, error) {
	c.sqlMu.Lock()
	defer c.sqlMu.Unlock()
	if c.sqlEng != nil {
		return c.sqlEng, nil
	}
	tmp, err := c.lh.storage.SQLTempDir(c.id)
	if err != nil {
		return nil, err
	}
	eng, err := duckdb.Open(ctx, duckdb.Options{Root: root, TempDir: tmp, MaxRows: c.lh.opts.SQLMaxRows,
		Timeout: c.lh.opts.SQLTimeout, Threads: 2})
	if err != nil {
		return nil, err
	}
	c.sqlEng = eng
	return eng, nil
}

// parquetFiles maps each table with data to its current files' paths.
func (c *customerLake) parquetFiles(ctx context.Context, root string) (map[string][]string, error) {
	all, err := c.allTables(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for name, t := range all {
		snap, err := t.Snapshot(ctx)
		if errors.Is(err, delta.ErrNoTable) {
			continue
		}
		if err != nil {
			return nil, err
		}
		dir := name
		if !isCore(name) {
			dir = strings.TrimSuffix(userTablePrefix, "/") + "/" + name
		}
		for _, f := range snap.Files() {
			out[name] = append(out[name], filepath.Join(root, filepath.FromSlash(dir), filepath.FromSlash(f.Name)))
		}
	}
	return out, nil
}
