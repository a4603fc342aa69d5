package delta

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/zero711/brain/internal/blob"
)

// checkpointColumns are the checkpoint columns a replay needs.
func checkpointColumns() map[string]bool {
	return map[string]bool{"txn": true, "add": true, "remove": true, "metaData": true,
		"protocol": true, "sidecar": true, "checkpointMetadata": true}
}

// readCheckpoint reads the actions of a checkpoint (all its parts, and for
// v2 checkpoints their sidecar files).
func readCheckpoint(ctx context.Context, s blob.Store, files []logFile) ([]Action, error) {
	var out []Action
	for _, f := range files {
		var actions []Action
		var err error
		if strings.HasSuffix(f.name, ".json") {
			var data []byte
			if data, err = readObject(ctx, s, f.name); err == nil {
				actions, err = ParseCommit(data)
			}
		} else {
			actions, err = readActionsParquet(ctx, s, f.name)
		}
		if err != nil {
			return nil, fmt.Errorf("delta: checkpoint %s: %w", f.name, err)
		}
		for _, a := range actions {
			if a.Sidecar == nil {
				out = append(out, a)
				continue
			}
			side, err := readSidecar(ctx, s, a.Sidecar.Path)
			if err != nil {
				return nil, fmt.Errorf("delta: checkpoint %s: %w", f.name, err)
			}
			out = append(out, side...)
		}
	}
	return out, nil
}

func readSidecar(ctx context.Context, s blob.Store, p string) ([]Action, error) {
	name, err := decodePath(p)
	if err != nil {
		return nil, err
	}
	if !strings.Contains(name, "/") {
		name = sidecarDir + name
	}
	actions, err := readActionsParquet(ctx, s, name)
	if err != nil {
		return nil, fmt.Errorf("sidecar %s: %w", name, err)
	}
	return actions, nil
}

// readActionsParquet reads a Parquet file of actions (checkpoint part or
// sidecar). It is read whole: all of it is needed, and one request beats
// many ranged ones on object stores.
func readActionsParquet(ctx context.Context, s blob.Store, name string) ([]Action, error) {
	r, err := s.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if r.Size() > maxCheckpointBytes {
		return nil, fmt.Errorf("%d bytes is too large", r.Size())
	}
	data := make([]byte, r.Size())
	if _, err := r.ReadAt(data, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return parseCheckpointParquet(ctx, data)
}

// maxCheckpointBytes bounds one checkpoint file held in memory.
const maxCheckpointBytes = 4 << 30

// parseCheckpointParquet reads checkpoint actions from Parquet bytes,
// validating the page headers first (the bytes are untrusted).
func parseCheckpointParquet(ctx context.Context, data []byte) ([]Action, error) {
	file, err := openParquet(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	if err := checkPages(data, file); err != nil {
		return nil, fmt.Errorf("malformed parquet: %w", err)
	}
	rows, err := openRows(file, nil, checkpointColumns())
	if err != nil {
		return nil, err
	}
	defer rows.close()
	if len(rows.cursors) == 0 {
		return nil, nil // none of the action columns
	}
	var out []Action
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		row := map[string]any{}
		ok, err := rows.next(row)
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		a, err := rowAction(row)
		if err != nil {
			return nil, err
		}
		if a.count() > 0 {
			out = append(out, a)
		}
	}
}

// rowAction converts one checkpoint row to an action.
func rowAction(row map[string]any) (Action, error) {
	var a Action
	if m, ok := row["add"].(map[string]any); ok && m["path"] != nil {
		a.Add = &Add{Path: str(m["path"]), PartitionValues: strMapPtr(m["partitionValues"]), Size: i64(m["size"]),
			ModificationTime: i64(m["modificationTime"]), DataChange: m["dataChange"] == true, Stats: str(m["stats"]),
			Tags: strMap(m["tags"])}
		if a.Add.Stats == "" && m["stats_parsed"] != nil {
			b, err := json.Marshal(jsonable(m["stats_parsed"]))
			if err != nil {
				return a, fmt.Errorf("stats_parsed: %w", err)
			}
			a.Add.Stats = string(b)
		}
		if dv, ok := m["deletionVector"].(map[string]any); ok && dv != nil {
			a.Add.DeletionVector, _ = json.Marshal(jsonable(dv))
		}
		return a, a.validate()
	}
	if m, ok := row["remove"].(map[string]any); ok && m["path"] != nil {
		a.Remove = &Remove{Path: str(m["path"]), DataChange: m["dataChange"] == true,
			ExtendedFileMetadata: m["extendedFileMetadata"] == true, PartitionValues: strMapPtr(m["partitionValues"])}
		if ts, ok := m["deletionTimestamp"].(int64); ok {
			a.Remove.DeletionTimestamp = &ts
		}
		if sz, ok := m["size"].(int64); ok {
			a.Remove.Size = &sz
		}
		return a, a.validate()
	}
	if m, ok := row["txn"].(map[string]any); ok && m["appId"] != nil {
		a.Txn = &Txn{AppID: str(m["appId"]), Version: i64(m["version"])}
		if lu, ok := m["lastUpdated"].(int64); ok {
			a.Txn.LastUpdated = &lu
		}
		return a, a.validate()
	}
	for _, key := range []string{"metaData", "protocol", "sidecar", "checkpointMetadata"} {
		if m, ok := row[key].(map[string]any); ok {
			b, err := json.Marshal(map[string]any{key: jsonable(m)})
			if err != nil {
				return a, fmt.Errorf("%s: %w", key, err)
			}
			if err := json.Unmarshal(b, &a); err != nil {
				return a, fmt.Errorf("%s: %w", key, err)
			}
			return a, nil
		}
	}
	return a, nil
}

// jsonable converts read values so encoding/json can write them: maps
// with non-string keys get string keys, times become protocol strings.
func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonable(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = jsonable(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonable(e)
		}
		return out
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	return v
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func i64(v any) int64 {
	i, _ := toInt64(v)
	return i
}

func strMap(v any) map[string]string {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, e := range m {
		out[k] = str(e)
	}
	return out
}

func strMapPtr(v any) map[string]*string {
	m, ok := v.(map[string]any)
	if !ok {
		return map[string]*string{}
	}
	out := make(map[string]*string, len(m))
	for k, e := range m {
		if s, ok := e.(string); ok {
			out[k] = &s
		} else {
			out[k] = nil
		}
	}
	return out
}
