package delta

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Protocol is the protocol action: the reader and writer versions (and,
// from versions 3 and 7, the named features) a client needs.
type Protocol struct {
	MinReaderVersion int      `json:"minReaderVersion"`
	MinWriterVersion int      `json:"minWriterVersion"`
	ReaderFeatures   []string `json:"readerFeatures,omitempty"`
	WriterFeatures   []string `json:"writerFeatures,omitempty"`
}

// Format names the data file format of a table (always parquet).
type Format struct {
	Provider string            `json:"provider"`
	Options  map[string]string `json:"options"`
}

// Metadata is the metaData action: schema, partitioning and properties.
type Metadata struct {
	ID               string            `json:"id"`
	Name             string            `json:"name,omitempty"`
	Description      string            `json:"description,omitempty"`
	Format           Format            `json:"format"`
	SchemaString     string            `json:"schemaString"`
	PartitionColumns []string          `json:"partitionColumns"`
	Configuration    map[string]string `json:"configuration"`
	CreatedTime      *int64            `json:"createdTime,omitempty"`
}

// Add is the add action: a data file that becomes part of the table.
// Path is as written in the log, a URL-encoded path relative to the table
// root; FileInfo.Name is the decoded object name.
type Add struct {
	Path             string             `json:"path"`
	PartitionValues  map[string]*string `json:"partitionValues"`
	Size             int64              `json:"size"`
	ModificationTime int64              `json:"modificationTime"`
	DataChange       bool               `json:"dataChange"`
	// Stats is the JSON statistics string (numRecords, minValues,
	// maxValues, nullCount); empty when the writer recorded none.
	Stats          string            `json:"stats,omitempty"`
	Tags           map[string]string `json:"tags,omitempty"`
	DeletionVector json.RawMessage   `json:"deletionVector,omitempty"`
}

// Remove is the remove action: a data file that stops being part of the
// table (a tombstone until vacuum).
type Remove struct {
	Path                 string             `json:"path"`
	DeletionTimestamp    *int64             `json:"deletionTimestamp,omitempty"`
	DataChange           bool               `json:"dataChange"`
	ExtendedFileMetadata bool               `json:"extendedFileMetadata,omitempty"`
	PartitionValues      map[string]*string `json:"partitionValues,omitempty"`
	Size                 *int64             `json:"size,omitempty"`
	Stats                string             `json:"stats,omitempty"`
	Tags                 map[string]string  `json:"tags,omitempty"`
	DeletionVector       json.RawMessage    `json:"deletionVector,omitempty"`
}

// Txn is the txn (SetTransaction) action: the latest version an
// application committed, used to make its writes idempotent.
type Txn struct {
	AppID       string `json:"appId"`
	Version     int64  `json:"version"`
	LastUpdated *int64 `json:"lastUpdated,omitempty"`
}

// Sidecar is a v2 checkpoint's reference to a file of add/remove actions.
type Sidecar struct {
	Path             string `json:"path"`
	SizeInBytes      int64  `json:"sizeInBytes"`
	ModificationTime int64  `json:"modificationTime"`
}

// Action is one line of a commit: exactly one of its fields is set.
type Action struct {
	Protocol   *Protocol      `json:"protocol,omitempty"`
	Metadata   *Metadata      `json:"metaData,omitempty"`
	Add        *Add           `json:"add,omitempty"`
	Remove     *Remove        `json:"remove,omitempty"`
	Txn        *Txn           `json:"txn,omitempty"`
	CommitInfo map[string]any `json:"commitInfo,omitempty"`
	// Sidecar and CheckpointMetadata only occur in v2 checkpoints.
	Sidecar            *Sidecar        `json:"sidecar,omitempty"`
	CheckpointMetadata json.RawMessage `json:"checkpointMetadata,omitempty"`
}

// count returns how many fields of a are set.
func (a Action) count() int {
	n := 0
	for _, set := range []bool{a.Protocol != nil, a.Metadata != nil, a.Add != nil, a.Remove != nil,
		a.Txn != nil, a.CommitInfo != nil, a.Sidecar != nil, a.CheckpointMetadata != nil} {
		if set {
			n++
		}
	}
	return n
}

// ParseCommit parses the newline-delimited JSON actions of a commit file.
// Blank lines and actions this package does not know (cdc,
// domainMetadata, …) are skipped.
func ParseCommit(data []byte) ([]Action, error) {
	var out []Action
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), len(data)+1)
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var a Action
		if err := json.Unmarshal(b, &a); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if err := a.validate(); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if a.count() > 0 {
			out = append(out, a)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// validate rejects actions a replay cannot use.
func (a Action) validate() error {
	switch {
	case a.Add != nil && a.Add.Path == "":
		return errors.New("add without path")
	case a.Remove != nil && a.Remove.Path == "":
		return errors.New("remove without path")
	case a.Txn != nil && a.Txn.AppID == "":
		return errors.New("txn without appId")
	}
	return nil
}

// encodeCommit writes actions as newline-delimited JSON.
func encodeCommit(actions []Action) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, a := range actions {
		if err := enc.Encode(a); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}
