package lakehouse

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
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
		remote := root == ""
		if remote {
			// Tables on S3: SQL reads a local copy of the current data
			// files, kept beside the indexes.
			idx, err := l.storage.IndexDir(customerID)
			if err != nil {
				return err
			}
			root = filepath.Join(idx, "sql-cache")
			if err := os.MkdirAll(root, 0o750); err != nil {
				return err
			}
		}
		eng, err := c.sqlEngine(ctx, root)
		if err != nil {
			return err
		}
		tables, err := c.parquetFiles(ctx, root)
		if err != nil {
			return err
		}
		if remote {
			if err := c.syncSQLCache(ctx, root, tables); err != nil {
				return err
			}
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

// syncSQLCache copies the data files of tables (local paths below root,
// mirroring the object names) that are not cached yet from the table
// store, and removes cached files no snapshot uses any more. Data files
// never change once written, so a cached copy stays right.
func (c *customerLake) syncSQLCache(ctx context.Context, root string, tables map[string][]string) error {
	c.sqlMu.Lock()
	defer c.sqlMu.Unlock()
	want := map[string]bool{}
	for _, files := range tables {
		for _, p := range files {
			want[p] = true
			if _, err := os.Stat(p); err == nil {
				continue
			}
			rel, err := filepath.Rel(root, p)
			if err != nil || strings.HasPrefix(rel, "..") {
				return fmt.Errorf("sql cache: %s is outside %s", p, root)
			}
			if err := c.fetchObject(ctx, filepath.ToSlash(rel), p); err != nil {
				return fmt.Errorf("sql cache: %w", err)
			}
		}
	}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || want[p] {
			return err
		}
		return os.Remove(p)
	})
}

// fetchObject copies one object of the table store to a local file.
func (c *customerLake) fetchObject(ctx context.Context, name, dst string) error {
	rd, err := c.store.Open(ctx, name)
	if err != nil {
		return err
	}
	defer rd.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".part-*")
	if err != nil {
		return err
	}
	_, err = io.Copy(tmp, rd)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
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
