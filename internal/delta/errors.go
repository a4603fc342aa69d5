package delta

import (
	"errors"
	"fmt"
	"slices"
)

// Sentinel errors; test with errors.Is.
var (
	// ErrNoTable reports a location without a Delta log.
	ErrNoTable = errors.New("delta: not a delta table")
	// ErrTableExists reports Create on a table that already has a log.
	ErrTableExists = errors.New("delta: table already exists")
	// ErrVersionNotFound reports a version that the log does not hold
	// (not yet written, or its commits were cleaned up).
	ErrVersionNotFound = errors.New("delta: version not found")
	// ErrConflict reports a commit that a concurrent commit invalidated;
	// the concrete error is a *ConflictError.
	ErrConflict = errors.New("delta: concurrent modification")
	// ErrAlreadyApplied reports a write whose (appId, version) transaction
	// the table already records: the write happened before, nothing was
	// committed again.
	ErrAlreadyApplied = errors.New("delta: transaction already applied")
	// ErrInvalid reports invalid input: rows that do not fit the schema,
	// malformed actions, bad options.
	ErrInvalid = errors.New("delta: invalid")
)

// UnsupportedFeatureError reports a table whose protocol requires a
// feature this package does not implement. Feature names the table
// feature ("deletionVectors", "columnMapping", …) or, for an unknown
// protocol version, "readerVersion N" / "writerVersion N".
type UnsupportedFeatureError struct {
	Feature string
	// Write is true when only writing is refused (reading works).
	Write bool
}

// Error names the refused operation and feature.
func (e *UnsupportedFeatureError) Error() string {
	op := "read"
	if e.Write {
		op = "write"
	}
	return fmt.Sprintf("delta: cannot %s table: unsupported feature %q", op, e.Feature)
}

// ConflictError reports that the commit at Version, written concurrently,
// conflicts with the commit being attempted.
type ConflictError struct {
	Version int64
	Reason  string
}

// Error names the conflicting version and the reason.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("delta: conflict with concurrent commit %d: %s", e.Version, e.Reason)
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// readerFeatures are the reader table features this package implements.
func readerFeatures() []string {
	return []string{"timestampNtz", "v2Checkpoint", "vacuumProtocolCheck"}
}

// writerFeatures are the writer table features this package implements.
func writerFeatures() []string {
	return []string{"appendOnly", "invariants", "timestampNtz"}
}

// checkRead returns an *UnsupportedFeatureError unless the protocol and
// metadata can be read by this package.
func checkRead(p Protocol, md *Metadata) error {
	switch p.MinReaderVersion {
	case 0, 1:
	case 2:
		return &UnsupportedFeatureError{Feature: "columnMapping"}
	case 3:
		for _, f := range p.ReaderFeatures {
			if !slices.Contains(readerFeatures(), f) {
				return &UnsupportedFeatureError{Feature: f}
			}
		}
	default:
		return &UnsupportedFeatureError{Feature: fmt.Sprintf("readerVersion %d", p.MinReaderVersion)}
	}
	if md != nil {
		if m := md.Configuration["delta.columnMapping.mode"]; m != "" && m != "none" {
			return &UnsupportedFeatureError{Feature: "columnMapping"}
		}
	}
	return nil
}

// checkWrite returns an *UnsupportedFeatureError unless this package can
// write to a table with this protocol and metadata.
func checkWrite(p Protocol, md *Metadata, schema *StructType) error {
	if err := checkRead(p, md); err != nil {
		return err
	}
	refuse := func(f string) error { return &UnsupportedFeatureError{Feature: f, Write: true} }
	switch p.MinWriterVersion {
	case 0, 1, 2:
	case 3:
		return refuse("checkConstraints")
	case 4:
		return refuse("generatedColumns")
	case 5:
		return refuse("columnMapping")
	case 6:
		return refuse("identityColumns")
	case 7:
		for _, f := range p.WriterFeatures {
			if !slices.Contains(writerFeatures(), f) {
				return refuse(f)
			}
		}
	default:
		return refuse(fmt.Sprintf("writerVersion %d", p.MinWriterVersion))
	}
	if schema != nil && hasInvariants(schema) {
		return refuse("invariants")
	}
	return nil
}

// hasInvariants reports whether a field carries delta.invariants, which a
// writer would have to enforce.
func hasInvariants(t DataType) bool {
	return hasType(t, func(t DataType) bool {
		st, ok := t.(*StructType)
		if !ok {
			return false
		}
		for _, f := range st.Fields {
			if _, ok := f.Metadata["delta.invariants"]; ok {
				return true
			}
		}
		return false
	})
}
