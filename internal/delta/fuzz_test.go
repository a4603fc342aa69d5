package delta

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadLog feeds untrusted bytes to every log parser: commit JSON (and
// its replay into a snapshot), _last_checkpoint and Parquet checkpoints.
// None may panic.
func FuzzReadLog(f *testing.F) {
	seeds := [][]byte{
		[]byte(`{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}` + "\n" +
			`{"metaData":{"id":"x","format":{"provider":"parquet"},"schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}","partitionColumns":[],"configuration":{}}}` + "\n" +
			`{"add":{"path":"a%20b.parquet","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true,"stats":"{\"numRecords\":1}"}}` + "\n" +
			`{"remove":{"path":"c.parquet","deletionTimestamp":1,"dataChange":true}}` + "\n" +
			`{"txn":{"appId":"app","version":3}}`),
		[]byte(`{"version":10,"size":13,"parts":2}`),
		[]byte(`{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"]}}`),
		[]byte("PAR1\x00\x00PAR1"),
	}
	// Real commits and checkpoints of the shared tables, when present.
	for _, pattern := range []string{"*/_delta_log/*.json", "*/delta/_delta_log/*.json", "*/_delta_log/*.parquet", "*/delta/_delta_log/_last_checkpoint"} {
		if root := findCorpus(); root != "" {
			matches, _ := filepath.Glob(filepath.Join(root, pattern))
			for i, m := range matches {
				if i >= 8 {
					break
				}
				if data, err := os.ReadFile(m); err == nil {
					seeds = append(seeds, data)
				}
			}
		}
	}
	// A checkpoint written by this package.
	if cp := ownCheckpoint(f); cp != nil {
		seeds = append(seeds, cp)
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		if actions, err := ParseCommit(data); err == nil {
			r := newReplay(nil)
			if r.apply(0, actions) == nil {
				if s, err := r.finish(); err == nil {
					for _, fi := range s.Files() {
						fi.ParsedStats()
					}
				}
			}
		}
		if lc, err := parseLastCheckpoint(data); err == nil {
			lc.files()
		}
		parseLogName(string(data))
		_, _ = ParseSchema(string(data))
		if actions, err := parseCheckpointParquet(ctx, data); err == nil {
			r := newReplay(nil)
			_ = r.apply(0, actions)
		}
	})
}

// findCorpus returns the shared delta tables directory, or "".
func findCorpus() string {
	dir, err := filepath.Abs(".")
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, corpusPath)
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func ownCheckpoint(f *testing.F) []byte {
	s := newSetup(f, Options{CheckpointInterval: 2})
	s.create(f, allTypesSchema(), CreateOptions{PartitionColumns: []string{"pk"}})
	for i := range 2 {
		if _, err := s.tbl.Append(s.ctx, []Row{allTypesRow(i)}, WriteOptions{AppID: "a", TxnVersion: int64(i)}); err != nil {
			f.Fatal(err)
		}
	}
	data, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(checkpointName(2))))
	if err != nil {
		f.Fatal(err)
	}
	return data
}
