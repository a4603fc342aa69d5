package delta

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/zero711/brain/internal/blob"
)

const (
	logDir             = "_delta_log/"
	lastCheckpointName = logDir + "_last_checkpoint"
	sidecarDir         = logDir + "_sidecars/"
	// maxLogObject bounds the size of a commit or _last_checkpoint read
	// into memory.
	maxLogObject = 256 << 20
)

func commitName(v int64) string { return fmt.Sprintf("%s%020d.json", logDir, v) }

func checkpointName(v int64) string { return fmt.Sprintf("%s%020d.checkpoint.parquet", logDir, v) }

// logFileKind classifies the names in _delta_log.
type logFileKind int

const (
	logOther logFileKind = iota
	logCommit
	logCheckpoint   // classic single file
	logCheckpointMP // one part of a multi-part checkpoint
	logCheckpointV2 // N.checkpoint.<uuid>.parquet|json
)

// logFile is a parsed _delta_log object name.
type logFile struct {
	name    string
	kind    logFileKind
	version int64
	part    int // multi-part: 1-based part number
	parts   int // multi-part: number of parts
}

// parseLogName classifies name (relative to the table root). Anything not
// directly in _delta_log with the exact protocol patterns is logOther, so
// .crc files, _delta_log/.tmp/… and other strays are ignored.
func parseLogName(name string) logFile {
	f := logFile{name: name}
	base, ok := strings.CutPrefix(name, logDir)
	if !ok || strings.Contains(base, "/") || len(base) < 21 {
		return f
	}
	v, err := strconv.ParseInt(base[:20], 10, 64)
	if err != nil || v < 0 || base[20] != '.' {
		return f
	}
	f.version = v
	rest := base[21:]
	switch {
	case rest == "json":
		f.kind = logCommit
	case rest == "checkpoint.parquet":
		f.kind = logCheckpoint
	default:
		f.kind = classifyCheckpoint(rest, &f)
	}
	return f
}

func classifyCheckpoint(rest string, f *logFile) logFileKind {
	mid, ok := strings.CutPrefix(rest, "checkpoint.")
	if !ok {
		return logOther
	}
	if body, ok := strings.CutSuffix(mid, ".parquet"); ok {
		p, n, ok := strings.Cut(body, ".")
		pi, err1 := strconv.Atoi(p)
		ni, err2 := strconv.Atoi(n)
		if ok && err1 == nil && err2 == nil && len(p) == 10 && len(n) == 10 && pi >= 1 && pi <= ni {
			f.part, f.parts = pi, ni
			return logCheckpointMP
		}
		if len(body) == 36 && strings.Count(body, "-") == 4 {
			return logCheckpointV2
		}
		return logOther
	}
	if body, ok := strings.CutSuffix(mid, ".json"); ok && len(body) == 36 && strings.Count(body, "-") == 4 {
		return logCheckpointV2
	}
	return logOther
}

// lastCheckpoint is the content of _delta_log/_last_checkpoint.
type lastCheckpoint struct {
	Version       int64            `json:"version"`
	Size          int64            `json:"size"`
	Parts         *int             `json:"parts,omitempty"`
	SizeInBytes   int64            `json:"sizeInBytes,omitempty"`
	NumOfAddFiles int64            `json:"numOfAddFiles,omitempty"`
	V2Checkpoint  *v2CheckpointRef `json:"v2Checkpoint,omitempty"`
}

type v2CheckpointRef struct {
	Path string `json:"path"`
}

// parseLastCheckpoint parses _last_checkpoint.
func parseLastCheckpoint(data []byte) (lastCheckpoint, error) {
	var lc lastCheckpoint
	if err := json.Unmarshal(bytes.TrimSpace(data), &lc); err != nil {
		return lc, fmt.Errorf("delta: _last_checkpoint: %w", err)
	}
	if lc.Version < 0 || (lc.Parts != nil && (*lc.Parts < 1 || *lc.Parts > 100000)) {
		return lc, fmt.Errorf("delta: _last_checkpoint: invalid version or parts")
	}
	return lc, nil
}

// checkpointFiles names the objects of the checkpoint at lc.
func (lc lastCheckpoint) files() []logFile {
	switch {
	case lc.V2Checkpoint != nil && lc.V2Checkpoint.Path != "":
		return []logFile{{name: logDir + lc.V2Checkpoint.Path, kind: logCheckpointV2, version: lc.Version}}
	case lc.Parts != nil && *lc.Parts > 1:
		out := make([]logFile, *lc.Parts)
		for i := range out {
			out[i] = logFile{name: fmt.Sprintf("%s%020d.checkpoint.%010d.%010d.parquet", logDir, lc.Version, i+1, *lc.Parts),
				kind: logCheckpointMP, version: lc.Version, part: i + 1, parts: *lc.Parts}
		}
		return out
	}
	return []logFile{{name: checkpointName(lc.Version), kind: logCheckpoint, version: lc.Version}}
}

// readObject reads a whole (small) object.
func readObject(ctx context.Context, s blob.Store, name string) ([]byte, error) {
	r, err := s.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if r.Size() > maxLogObject {
		return nil, fmt.Errorf("delta: %s: %d bytes is too large", name, r.Size())
	}
	return io.ReadAll(io.LimitReader(r, maxLogObject))
}

// readCommit reads and parses the commit of version v.
func readCommit(ctx context.Context, s blob.Store, v int64) ([]Action, error) {
	data, err := readObject(ctx, s, commitName(v))
	if err != nil {
		if errors.Is(err, blob.ErrNotFound) {
			return nil, fmt.Errorf("delta: commit %d: %w", v, ErrVersionNotFound)
		}
		return nil, fmt.Errorf("delta: commit %d: %w", v, err)
	}
	actions, err := ParseCommit(data)
	if err != nil {
		return nil, fmt.Errorf("delta: commit %d: %w", v, err)
	}
	return actions, nil
}

// logListing is what a listing of _delta_log found.
type logListing struct {
	commits     map[int64]bool
	checkpoints map[int64][]logFile
	maxCommit   int64
}

func listLog(ctx context.Context, s blob.Store) (logListing, error) {
	l := logListing{commits: map[int64]bool{}, checkpoints: map[int64][]logFile{}, maxCommit: -1}
	objs, err := s.List(ctx, logDir)
	if err != nil {
		return l, fmt.Errorf("delta: list log: %w", err)
	}
	for _, o := range objs {
		f := parseLogName(o.Name)
		switch f.kind {
		case logCommit:
			l.commits[f.version] = true
			l.maxCommit = max(l.maxCommit, f.version)
		case logCheckpoint, logCheckpointMP, logCheckpointV2:
			l.checkpoints[f.version] = append(l.checkpoints[f.version], f)
		}
	}
	return l, nil
}

// complete picks a complete checkpoint among the files of one version:
// the classic file, all parts of one multi-part set, or a v2 file.
func completeCheckpoint(files []logFile) []logFile {
	sets := map[int][]logFile{}
	for _, f := range files {
		switch f.kind {
		case logCheckpoint:
			return []logFile{f}
		case logCheckpointMP:
			sets[f.parts] = append(sets[f.parts], f)
		}
	}
	for n, set := range sets {
		seen := map[int]bool{}
		for _, f := range set {
			seen[f.part] = true
		}
		if len(seen) == n {
			out := make([]logFile, n)
			for _, f := range set {
				out[f.part-1] = f
			}
			return out
		}
	}
	for _, f := range files {
		if f.kind == logCheckpointV2 {
			return []logFile{f}
		}
	}
	return nil
}

// newestCheckpoint returns the newest complete checkpoint at or below
// target (target < 0: any).
func (l logListing) newestCheckpoint(target int64) (int64, []logFile) {
	best := int64(-1)
	var files []logFile
	for v, fs := range l.checkpoints {
		if v <= best || (target >= 0 && v > target) {
			continue
		}
		if c := completeCheckpoint(fs); c != nil {
			best, files = v, c
		}
	}
	return best, files
}
