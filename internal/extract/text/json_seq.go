package text

import (
	"encoding/json"

	"github.com/zero711/brain/internal/document"
)

// jsonSeq gathers the elements of an array (or the lines of NDJSON):
// as long as every element is a flat object they are rows of a table;
// the first other element turns them all into paragraphs.
type jsonSeq struct {
	j       *jsonFlattener
	name    string
	flat    bool
	rows    []jsonRow
	cols    []string
	colIdx  map[string]int
	scalars []string // consecutive one-line elements, gathered into one paragraph
}

// jsonRow is one flat object: its keys and values in order.
type jsonRow struct {
	keys, vals []string
}

func (j *jsonFlattener) newSeq(name string) *jsonSeq {
	return &jsonSeq{j: j, name: name, flat: true, colIdx: map[string]int{}}
}

// element reads one element starting with tok.
func (s *jsonSeq) element(tok json.Token) error {
	if tok != json.Delim('{') {
		var lines []string
		if err := s.j.value(tok, "", 1, &lines); err != nil {
			return err
		}
		s.addLines(lines)
		return nil
	}
	var row jsonRow
	var lines []string
	flat := true
	for s.j.dec.More() {
		key, val, err := s.j.member()
		if err != nil {
			return err
		}
		if _, nested := val.(json.Delim); !nested && flat {
			v := scalarText(val)
			if !s.j.budget.take(len(key) + len(v)) {
				return errOutputFull
			}
			row.keys, row.vals = append(row.keys, key), append(row.vals, v)
			continue
		}
		if flat {
			flat, lines = false, row.lines()
		}
		if err := s.j.value(val, key, 2, &lines); err != nil {
			return err
		}
	}
	if _, err := s.j.token(); err != nil {
		return eofCorrupt(err)
	}
	if flat && len(row.keys) > 0 {
		s.addRow(row)
		return nil
	}
	s.addLines(lines)
	return nil
}

// lines renders a row as "key: value" lines.
func (r jsonRow) lines() []string {
	out := make([]string, len(r.keys))
	for i, k := range r.keys {
		out[i] = k + ": " + r.vals[i]
	}
	return out
}

// addRow adds a flat object.
func (s *jsonSeq) addRow(r jsonRow) {
	if !s.flat {
		s.addLines(r.lines())
		return
	}
	for _, k := range r.keys {
		if _, ok := s.colIdx[k]; !ok {
			s.colIdx[k] = len(s.cols)
			s.cols = append(s.cols, k)
		}
	}
	s.rows = append(s.rows, r)
}

// addLines adds an element that is not a flat object, turning the rows
// gathered so far into paragraphs.
func (s *jsonSeq) addLines(lines []string) {
	if s.flat {
		s.flat = false
		for _, r := range s.rows {
			s.j.paragraph(r.lines())
		}
		s.rows = nil
	}
	if len(lines) == 1 {
		s.scalars = append(s.scalars, lines[0])
		if len(s.scalars) >= paraLines {
			s.flushScalars()
		}
		return
	}
	s.flushScalars()
	s.j.paragraph(lines)
}

func (s *jsonSeq) flushScalars() {
	s.j.paragraph(s.scalars)
	s.scalars = nil
}

// finish emits the table when every element was a flat object.
func (s *jsonSeq) finish() {
	s.flushScalars()
	if !s.flat || len(s.rows) == 0 {
		return
	}
	rows := make([][]string, len(s.rows))
	for i, r := range s.rows {
		row := make([]string, len(s.cols))
		for k, key := range r.keys {
			row[s.colIdx[key]] = r.vals[k]
		}
		rows[i] = row
	}
	s.j.data = append(s.j.data, document.Data{Name: s.name, Columns: s.cols, Rows: rows})
	s.j.blocks = append(s.j.blocks, tableBlocks(s.cols, rows)...)
	s.rows = nil
}
