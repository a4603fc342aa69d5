package text

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/text/transform"

	"github.com/zero711/brain/internal/document"
)

// maxCSVRows bounds the rows read from one delimited file.
const maxCSVRows = 1_000_000

// maxCSVFields bounds the fields kept per row.
const maxCSVFields = 4096

// CSV returns the extractor for comma-, semicolon-, tab- and
// pipe-separated files. It sniffs the dialect and charset and produces
// the file as one document.Data table and as Table blocks of up to 50
// rows with the header repeated.
func CSV() document.Extractor {
	return &extractor{name: "csv", types: []string{"text/csv", "text/tab-separated-values"}, run: extractCSV}
}

func extractCSV(ctx context.Context, in document.Input) (*document.Document, error) {
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, sniffLen)
	head, err := br.Peek(sniffLen)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, fmt.Errorf("read: %w", err)
	}
	whole := len(head) < sniffLen
	cs, enc, bom := detectCharset(head)
	if _, err := br.Discard(bom); err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	sample, _ := decodeBytes(head)
	if !whole {
		if i := strings.LastIndexByte(sample, '\n'); i > 0 {
			sample = sample[:i+1]
		}
	}
	var r io.Reader = br
	if enc != nil {
		r = transform.NewReader(br, enc.NewDecoder())
	}
	preferTab := in.ContentType == "text/tab-separated-values" || ext(in) == ".tsv" || ext(in) == ".tab"
	d := sniffDialect(sample, preferTab)
	preamble := preambleRows(sample, d)
	if preamble > 0 {
		d.Header = sniffHeader(sampleRecords(sample, d.Comma)[preamble:])
	}
	doc := newDoc(in, "csv")
	doc.Metadata["charset"] = cs
	doc.Metadata["delimiter"] = delimiterName(d.Comma)
	doc.Metadata["header"] = strconv.FormatBool(d.Header)
	if err := readCSV(ctx, r, d, preamble, stem(in), doc); err != nil {
		return nil, err
	}
	return finish(doc)
}

// preambleRows counts the title lines above the table: up to three
// leading records with at most one field filled.
func preambleRows(sample string, d dialect) int {
	recs := sampleRecords(sample, d.Comma)
	width := 0
	for _, r := range recs {
		width = max(width, filled(r))
	}
	n := 0
	for n < 3 && n+1 < len(recs) && width >= 2 && filled(recs[n]) <= 1 {
		n++
	}
	return n
}

// filled counts a record's non-empty fields.
func filled(rec []string) int {
	n := 0
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			n++
		}
	}
	return n
}

// delimiterName names a delimiter for the metadata.
func delimiterName(c rune) string {
	switch c {
	case '\t':
		return "tab"
	case ';':
		return "semicolon"
	case '|':
		return "pipe"
	}
	return "comma"
}

// readCSV reads all records into doc's Data and Table blocks.
func readCSV(ctx context.Context, r io.Reader, d dialect, preamble int, name string, doc *document.Document) error {
	cr := csv.NewReader(r)
	cr.Comma = d.Comma
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	out := newBudget()
	var header []string
	var rows [][]string
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(rows) == 0 && header == nil {
				return fmt.Errorf("%w: csv: %v", document.ErrCorrupt, err)
			}
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("csv: stopped at a malformed record: %v", err))
			break
		}
		rec = cleanRecord(rec, d.Quote)
		if rec == nil {
			continue
		}
		if preamble > 0 {
			preamble--
			doc.Blocks = append(doc.Blocks, document.Block{Kind: document.Paragraph, Text: strings.Join(rec, " ")})
			continue
		}
		if d.Header && header == nil {
			header = rec
			continue
		}
		if len(rows) >= maxCSVRows {
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("csv: more than %d rows: the rest was dropped", maxCSVRows))
			break
		}
		if !out.take(recordSize(rec)) {
			doc.Warnings = append(doc.Warnings, outputWarning())
			break
		}
		rows = append(rows, rec)
	}
	if header == nil && rows == nil {
		return fmt.Errorf("%w: csv: no records", document.ErrEmpty)
	}
	doc.Data = []document.Data{{Name: name, Columns: columnNames(header, rows), Rows: rows}}
	doc.Blocks = append(doc.Blocks, tableBlocks(header, rows)...)
	doc.Metadata["rows"] = strconv.Itoa(len(rows))
	return nil
}

// cleanRecord bounds a record's fields, strips single quotes when the
// dialect uses them, and returns nil for a blank line.
func cleanRecord(rec []string, quote rune) []string {
	if len(rec) > maxCSVFields {
		rec = rec[:maxCSVFields]
	}
	blank := true
	for i, f := range rec {
		if quote == '\'' && len(f) >= 2 && f[0] == '\'' && f[len(f)-1] == '\'' {
			rec[i] = f[1 : len(f)-1]
		}
		if strings.TrimSpace(rec[i]) != "" {
			blank = false
		}
	}
	if blank {
		return nil
	}
	return rec
}

func recordSize(rec []string) int {
	n := len(rec)
	for _, f := range rec {
		n += len(f)
	}
	return n
}

// columnNames are the header's names, made unique and non-empty, and
// extended to the widest row.
func columnNames(header []string, rows [][]string) []string {
	width := len(header)
	for _, r := range rows {
		width = max(width, len(r))
	}
	cols := make([]string, width)
	seen := map[string]int{}
	for i := range cols {
		name := ""
		if i < len(header) {
			name = strings.TrimSpace(header[i])
		}
		if name == "" {
			name = "column_" + strconv.Itoa(i+1)
		}
		seen[name]++
		if k := seen[name]; k > 1 {
			name += "_" + strconv.Itoa(k)
		}
		cols[i] = name
	}
	return cols
}

// tableBlocks splits rows into Table blocks of rowsPerTable rows, each
// starting with the header when there is one.
func tableBlocks(header []string, rows [][]string) []document.Block {
	if len(rows) == 0 && header != nil {
		return []document.Block{{Kind: document.Table, Rows: [][]string{header}, Header: true}}
	}
	var blocks []document.Block
	for start := 0; start < len(rows); start += rowsPerTable {
		chunk := rows[start:min(start+rowsPerTable, len(rows))]
		b := document.Block{Kind: document.Table}
		if header != nil {
			b.Header = true
			b.Rows = append(make([][]string, 0, len(chunk)+1), header)
		}
		b.Rows = append(b.Rows, chunk...)
		blocks = append(blocks, b)
	}
	return blocks
}
