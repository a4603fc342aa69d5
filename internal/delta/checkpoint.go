package delta

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
)

// checkpointSchema is the schema of the classic checkpoints this package
// writes: one column per action kind, one action per row.
func checkpointSchema() *StructType {
	str := func(n string) StructField { return StructField{Name: n, Type: TypeString, Nullable: true} }
	long := func(n string) StructField { return StructField{Name: n, Type: TypeLong, Nullable: true} }
	boolean := func(n string) StructField { return StructField{Name: n, Type: TypeBoolean, Nullable: true} }
	strMapF := func(n string) StructField {
		return StructField{Name: n, Type: &MapType{KeyType: TypeString, ValueType: TypeString, ValueContainsNull: true}, Nullable: true}
	}
	strList := func(n string) StructField {
		return StructField{Name: n, Type: &ArrayType{ElementType: TypeString, ContainsNull: true}, Nullable: true}
	}
	group := func(n string, fs ...StructField) StructField {
		return StructField{Name: n, Type: &StructType{Fields: fs}, Nullable: true}
	}
	return &StructType{Fields: []StructField{
		group("txn", str("appId"), long("version"), long("lastUpdated")),
		group("add", str("path"), strMapF("partitionValues"), long("size"), long("modificationTime"),
			boolean("dataChange"), strMapF("tags"), str("stats")),
		group("remove", str("path"), long("deletionTimestamp"), boolean("dataChange"), boolean("extendedFileMetadata"),
			strMapF("partitionValues"), long("size")),
		group("metaData", str("id"), str("name"), str("description"),
			group("format", str("provider"), strMapF("options")), str("schemaString"), strList("partitionColumns"),
			strMapF("configuration"), long("createdTime")),
		group("protocol", StructField{Name: "minReaderVersion", Type: TypeInteger, Nullable: true},
			StructField{Name: "minWriterVersion", Type: TypeInteger, Nullable: true}, strList("readerFeatures"),
			strList("writerFeatures")),
	}}
}

// Checkpoint writes a classic single-file Parquet checkpoint of version
// and points _last_checkpoint at it. Checkpoints are written
// automatically every CheckpointInterval commits.
func (t *Table) Checkpoint(ctx context.Context, version int64) error {
	s, err := t.SnapshotAt(ctx, version)
	if err != nil {
		return err
	}
	if err := checkWrite(s.protocol, &s.metadata, nil); err != nil {
		return err
	}
	rows := t.checkpointRows(s)
	data, _, err := encodeParquet(checkpointSchema().Fields, rows)
	if err != nil {
		return fmt.Errorf("delta: checkpoint %d: %w", version, err)
	}
	if err := t.store.Put(ctx, checkpointName(version), bytes.NewReader(data), int64(len(data))); err != nil {
		return fmt.Errorf("delta: checkpoint %d: %w", version, err)
	}
	if lc, _ := readLastCheckpointFile(ctx, t.store); lc != nil && lc.Version >= version {
		return nil
	}
	lc, err := json.Marshal(lastCheckpoint{Version: version, Size: int64(len(rows)), SizeInBytes: int64(len(data)),
		NumOfAddFiles: int64(s.NumFiles())})
	if err != nil {
		return err
	}
	if err := t.store.Put(ctx, lastCheckpointName, bytes.NewReader(lc), int64(len(lc))); err != nil {
		return fmt.Errorf("delta: checkpoint %d: _last_checkpoint: %w", version, err)
	}
	return nil
}

// checkpointRows converts the snapshot's state to checkpoint rows.
func (t *Table) checkpointRows(s *Snapshot) []Row {
	p := s.protocol
	rows := []Row{{"protocol": map[string]any{"minReaderVersion": int32(p.MinReaderVersion),
		"minWriterVersion": int32(p.MinWriterVersion), "readerFeatures": strSlice(p.ReaderFeatures),
		"writerFeatures": strSlice(p.WriterFeatures)}}}
	m := s.metadata
	var created any
	if m.CreatedTime != nil {
		created = *m.CreatedTime
	}
	rows = append(rows, Row{"metaData": map[string]any{"id": m.ID, "name": nilIfEmpty(m.Name),
		"description": nilIfEmpty(m.Description), "format": map[string]any{"provider": m.Format.Provider,
			"options": anyMap(m.Format.Options)}, "schemaString": m.SchemaString,
		"partitionColumns": strSlice(m.PartitionColumns), "configuration": anyMap(m.Configuration), "createdTime": created}})
	for _, tx := range s.Txns() {
		var lu any
		if tx.LastUpdated != nil {
			lu = *tx.LastUpdated
		}
		rows = append(rows, Row{"txn": map[string]any{"appId": tx.AppID, "version": tx.Version, "lastUpdated": lu}})
	}
	for _, f := range s.Files() {
		rows = append(rows, Row{"add": map[string]any{"path": f.Path, "partitionValues": ptrMap(f.PartitionValues),
			"size": f.Size, "modificationTime": f.ModificationTime, "dataChange": false, "tags": anyMap(f.Tags),
			"stats": nilIfEmpty(f.Stats)}})
	}
	horizon := t.opts.Now().Add(-t.opts.TombstoneRetention).UnixMilli()
	for _, r := range s.Tombstones() {
		if r.DeletionTimestamp != nil && *r.DeletionTimestamp < horizon {
			continue
		}
		var ts, size any
		if r.DeletionTimestamp != nil {
			ts = *r.DeletionTimestamp
		}
		if r.Size != nil {
			size = *r.Size
		}
		rows = append(rows, Row{"remove": map[string]any{"path": r.Path, "deletionTimestamp": ts,
			"dataChange": r.DataChange, "extendedFileMetadata": r.ExtendedFileMetadata,
			"partitionValues": ptrMap(r.PartitionValues), "size": size}})
	}
	return rows
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func strSlice(s []string) any {
	if s == nil {
		return nil
	}
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func anyMap(m map[string]string) any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func ptrMap(m map[string]*string) any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if v == nil {
			out[k] = nil
		} else {
			out[k] = *v
		}
	}
	return out
}
