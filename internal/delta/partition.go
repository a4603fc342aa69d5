package delta

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// This file handles partition values (strings in the log, typed in rows)
// and the escaping of partition directories and add paths.

// parsePartitionValue converts a partitionValues string to the Go value of
// dt; nil and (for non-string types) "" are null.
func parsePartitionValue(dt DataType, s *string) (any, error) {
	if s == nil {
		return nil, nil
	}
	if dt == TypeString {
		return *s, nil
	}
	if *s == "" {
		return nil, nil
	}
	switch dt {
	case TypeLong, TypeInteger, TypeShort, TypeByte:
		i, err := strconv.ParseInt(*s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: partition value %q: %v", ErrInvalid, *s, err)
		}
		return fitInt(dt.(PrimitiveType), i, *s)
	case TypeFloat, TypeDouble:
		f, err := strconv.ParseFloat(*s, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: partition value %q: %v", ErrInvalid, *s, err)
		}
		return normalize(dt, f)
	case TypeBoolean:
		b, err := strconv.ParseBool(strings.ToLower(*s))
		if err != nil {
			return nil, fmt.Errorf("%w: partition value %q: %v", ErrInvalid, *s, err)
		}
		return b, nil
	}
	return normalize(dt, *s)
}

// formatPartitionValue is the inverse of parsePartitionValue.
func formatPartitionValue(dt DataType, v any) *string {
	if v == nil {
		return nil
	}
	var s string
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil // as in Spark: an empty partition value is null
		}
		s = x
	case []byte:
		s = string(x)
	case time.Time:
		switch dt {
		case TypeDate:
			s = x.Format(dateLayout)
		case TypeTimestampNTZ:
			s = x.Format(ntzLayout)
		default:
			s = x.UTC().Format(tsLayoutISO)
		}
	case float32:
		s = strconv.FormatFloat(float64(x), 'g', -1, 32)
	case float64:
		s = strconv.FormatFloat(x, 'g', -1, 64)
	default:
		s = fmt.Sprint(x)
	}
	return &s
}

// escapePartition escapes a partition column name or value for a
// directory name the way Hive and Spark do.
func escapePartition(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || strings.IndexByte("\"#%'*/:=?\\{[]^", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// encodePath URL-encodes an object name for add.path.
func encodePath(name string) string {
	segs := strings.Split(name, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// decodePath turns an add/remove path into an object name: paths are
// URL-encoded relative URIs, decoded exactly once.
func decodePath(p string) (string, error) {
	if strings.Contains(p, "://") || strings.HasPrefix(p, "file:") || strings.HasPrefix(p, "/") {
		return "", fmt.Errorf("delta: path %q: absolute paths are not supported", p)
	}
	name, err := url.PathUnescape(p)
	if err != nil {
		return "", fmt.Errorf("delta: path %q: %w", p, err)
	}
	return name, nil
}
