package delta

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// Limits for Parquet files read from the log, far above what writers
// produce (pages of about 1 MiB) and low enough that a corrupt header
// cannot make the reader allocate gigabytes.
const (
	maxPageBytes  = 256 << 20
	maxPageValues = 1 << 26
	maxPages      = 1 << 20
)

// checkPages validates every page header of the file held in data before
// the Parquet library reads it: each page must lie inside its column
// chunk and declare sane sizes. Checkpoints are checked this way because
// they are read whole anyway; the library trusts page headers when it
// allocates.
func checkPages(data []byte, f *parquet.File) error {
	var proto thrift.CompactProtocol
	pages := 0
	for _, rg := range f.Metadata().RowGroups {
		for _, cc := range rg.Columns {
			md := cc.MetaData
			start := md.DataPageOffset
			if md.DictionaryPageOffset > 0 && md.DictionaryPageOffset < start {
				start = md.DictionaryPageOffset
			}
			end := start + md.TotalCompressedSize
			if start < 0 || md.TotalCompressedSize < 0 || end > int64(len(data)) || end < start {
				return errors.New("column chunk outside the file")
			}
			switch md.Codec {
			case format.Uncompressed, format.Snappy, format.Gzip, format.Zstd:
			default:
				// The library's LZ4 decoder grows its buffer without bound on
				// corrupt input; Delta writers use snappy or zstd.
				return fmt.Errorf("compression %s is not supported in the log", md.Codec)
			}
			for off := start; off < end; pages++ {
				if pages > maxPages {
					return errors.New("too many pages")
				}
				rd := proto.NewReaderFromBytes(data[off:end])
				var h format.PageHeader
				if err := thrift.NewDecoder(rd).Decode(&h); err != nil {
					return fmt.Errorf("page header: %w", err)
				}
				off += int64(rd.BytesRead())
				if err := checkPageHeader(&h, end-off); err != nil {
					return err
				}
				body := data[off : off+int64(h.CompressedPageSize)]
				if md.Codec == format.Snappy {
					if err := checkSnappy(&h, body); err != nil {
						return err
					}
				}
				off += int64(h.CompressedPageSize)
			}
		}
	}
	return nil
}

func checkPageHeader(h *format.PageHeader, left int64) error {
	if h.CompressedPageSize < 0 || int64(h.CompressedPageSize) > left ||
		h.UncompressedPageSize < 0 || h.UncompressedPageSize > maxPageBytes {
		return errors.New("page size out of range")
	}
	n := int32(0)
	switch {
	case h.DataPageHeader.Valid:
		n = h.DataPageHeader.V.NumValues
	case h.DataPageHeaderV2.Valid:
		n = h.DataPageHeaderV2.V.NumValues
	case h.DictionaryPageHeader.Valid:
		n = h.DictionaryPageHeader.V.NumValues
	}
	if n < 0 || n > maxPageValues {
		return errors.New("page value count out of range")
	}
	return nil
}

// checkSnappy verifies that the decoded length a snappy block declares
// fits the page's uncompressed size (the decoder allocates it).
func checkSnappy(h *format.PageHeader, body []byte) error {
	if v2 := h.DataPageHeaderV2; v2.Valid {
		levels := int64(v2.V.RepetitionLevelsByteLength) + int64(v2.V.DefinitionLevelsByteLength)
		if v2.V.RepetitionLevelsByteLength < 0 || v2.V.DefinitionLevelsByteLength < 0 || levels > int64(len(body)) {
			return errors.New("page levels out of range")
		}
		if v2.V.IsCompressed.Valid && !v2.V.IsCompressed.V {
			return nil
		}
		body = body[levels:]
	}
	if len(body) == 0 {
		return nil
	}
	n, k := binary.Uvarint(body)
	if k <= 0 || n > uint64(h.UncompressedPageSize) {
		return errors.New("snappy block larger than its page")
	}
	return nil
}
