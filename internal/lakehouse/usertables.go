package lakehouse

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/blob"
	"github.com/zero711/brain/internal/delta"
)

// User tables hold structured sources (a CSV file, a spreadsheet sheet) as
// typed tables the customer can query with SQL. They live under "tables/".
const userTablePrefix = "tables/"

var tableName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// ValidateTableName checks a user table's name: lowercase letters, digits
// and underscores, starting with a letter, not a core table's name.
func ValidateTableName(name string) error {
	if !tableName.MatchString(name) {
		return brain.Errorf(brain.EINVALID, "table name %q must match [a-z][a-z0-9_]{0,62}", clip(name))
	}
	if isCore(name) {
		return brain.Errorf(brain.EINVALID, "table name %q is reserved", name)
	}
	return nil
}

// userTable returns the handle of a user table (which may not exist yet).
func (c *customerLake) userTable(name string) (*delta.Table, error) {
	if err := ValidateTableName(name); err != nil {
		return nil, err
	}
	sub, err := blob.Sub(c.store, strings.TrimSuffix(userTablePrefix, "/")+"/"+name)
	if err != nil {
		return nil, err
	}
	return delta.New(sub, delta.Options{CheckpointInterval: c.lh.opts.CheckpointInterval, Logger: c.lh.log, Now: c.lh.opts.Now}), nil
}

// allTables returns the core tables and every existing user table.
func (c *customerLake) allTables(ctx context.Context) (map[string]*delta.Table, error) {
	out := map[string]*delta.Table{}
	for name, t := range c.tables {
		out[name] = t
	}
	objs, err := c.store.List(ctx, userTablePrefix)
	if err != nil {
		return nil, err
	}
	for _, o := range objs {
		rest := strings.TrimPrefix(o.Name, userTablePrefix)
		name, tail, ok := strings.Cut(rest, "/")
		if !ok || !strings.HasPrefix(tail, "_delta_log/") || out[name] != nil {
			continue
		}
		t, err := c.userTable(name)
		if err != nil {
			continue
		}
		out[name] = t
	}
	return out, nil
}

// CreateTable creates a typed user table; brain.ECONFLICT if it exists.
func (l *Lakehouse) CreateTable(ctx context.Context, customerID, name string, schema *delta.StructType) error {
	return wrap("create table", l.with(ctx, customerID, func(c *customerLake) error {
		t, err := c.userTable(name)
		if err != nil {
			return err
		}
		_, err = t.Create(ctx, schema, delta.CreateOptions{Name: name})
		if errors.Is(err, delta.ErrTableExists) {
			return brain.Errorf(brain.ECONFLICT, "table %q exists", name)
		}
		if errors.Is(err, delta.ErrInvalid) {
			return brain.Errorf(brain.EINVALID, "%v", err)
		}
		return err
	}))
}

// AppendRows appends rows to a user table in one commit.
func (l *Lakehouse) AppendRows(ctx context.Context, customerID, name string, rows []map[string]any) (int64, error) {
	var v int64
	err := l.with(ctx, customerID, func(c *customerLake) error {
		t, err := c.userTable(name)
		if err != nil {
			return err
		}
		drows := make([]delta.Row, len(rows))
		copy(drows, rows)
		v, err = t.Append(ctx, drows, delta.WriteOptions{})
		switch {
		case errors.Is(err, delta.ErrNoTable):
			return notFound("table", name)
		case errors.Is(err, delta.ErrInvalid):
			return brain.Errorf(brain.EINVALID, "%v", err)
		}
		return err
	})
	return v, wrap(fmt.Sprintf("append to %s", name), err)
}
