package text

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/text/transform"

	"github.com/zero711/brain/internal/document"
)

// JSON bounds: values nested deeper than maxJSONDepth are elided, a
// paragraph holds at most paraLines lines, an NDJSON line at most
// maxNDJSONLine bytes.
const (
	maxJSONDepth  = 64
	paraLines     = 200
	maxNDJSONLine = 16 << 20
)

// JSON returns the extractor for JSON. Values are flattened to
// "path.to.key: value" lines, one paragraph per top-level element; an
// array of flat objects becomes a document.Data table and Table blocks
// instead. Invalid JSON is ErrCorrupt.
func JSON() document.Extractor {
	return &extractor{name: "json", types: []string{
		"application/json", "application/geo+json", "application/vnd.cyclonedx+json", "model/gltf+json",
	}, run: extractJSON}
}

// NDJSON returns the extractor for newline-delimited JSON: each line is
// an element as in JSON; lines that don't parse are skipped with a
// warning.
func NDJSON() document.Extractor {
	return &extractor{name: "ndjson", types: []string{"application/x-ndjson"}, run: extractNDJSON}
}

// openJSON opens a JSON file as UTF-8 text, undoing a byte-order mark.
func openJSON(in document.Input) (io.Reader, func() error, error) {
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, nil, fmt.Errorf("open: %w", err)
	}
	br := bufio.NewReaderSize(f, 4096)
	head, _ := br.Peek(4)
	_, enc, bom := detectCharset(head)
	if bom == 0 {
		enc = nil
	}
	if _, err := br.Discard(bom); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("read: %w", err)
	}
	if enc != nil {
		return transform.NewReader(br, enc.NewDecoder()), f.Close, nil
	}
	return br, f.Close, nil
}

func extractJSON(ctx context.Context, in document.Input) (*document.Document, error) {
	r, closeFn, err := openJSON(in)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	doc := newDoc(in, "json")
	br := bufio.NewReaderSize(r, sniffLen)
	head, _ := br.Peek(sniffLen)
	j, err := flattenJSON(ctx, br, stem(in), isValueStream(head))
	if err != nil {
		if !errors.Is(err, errOutputFull) {
			return nil, err
		}
		doc.Warnings = append(doc.Warnings, outputWarning())
	}
	doc.Blocks, doc.Data = j.blocks, j.data
	if j.elided {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("json: values nested deeper than %d levels were left out", maxJSONDepth))
	}
	return finish(doc)
}

func extractNDJSON(ctx context.Context, in document.Input) (*document.Document, error) {
	r, closeFn, err := openJSON(in)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	doc := newDoc(in, "ndjson")
	j := &jsonFlattener{ctx: ctx, budget: newBudget()}
	seq := j.newSeq(stem(in))
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxNDJSONLine)
	lines, bad := 0, 0
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		lines++
		if err := j.ndjsonLine(seq, line); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if errors.Is(err, errOutputFull) {
				doc.Warnings = append(doc.Warnings, outputWarning())
				break
			}
			bad++
		}
	}
	if err := sc.Err(); err != nil {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("ndjson: stopped reading: %v", err))
	}
	if lines > 0 && bad == lines {
		return nil, fmt.Errorf("%w: ndjson: no line is valid JSON", document.ErrCorrupt)
	}
	if bad > 0 {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("ndjson: %d of %d lines are not valid JSON and were skipped", bad, lines))
	}
	seq.finish()
	doc.Blocks, doc.Data = j.blocks, j.data
	return finish(doc)
}

// flattenJSON reads JSON from r; name names its table. stream says r
// holds several top-level values, each an element.
func flattenJSON(ctx context.Context, r io.Reader, name string, stream bool) (*jsonFlattener, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	j := &jsonFlattener{ctx: ctx, dec: dec, budget: newBudget()}
	if stream {
		return j, j.stream(j.newSeq(name))
	}
	return j, j.document(name)
}

// isValueStream says the file's head holds a complete JSON value
// followed by another one: NDJSON or concatenated JSON.
func isValueStream(head []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(head))
	var v json.RawMessage
	if dec.Decode(&v) != nil {
		return false
	}
	rest := bytes.TrimSpace(head[dec.InputOffset():])
	return len(rest) > 0 && (rest[0] == '{' || rest[0] == '[')
}

// ndjsonLine adds one line's value to seq.
func (j *jsonFlattener) ndjsonLine(seq *jsonSeq, line []byte) error {
	j.dec = json.NewDecoder(bytes.NewReader(line))
	j.dec.UseNumber()
	tok, err := j.token()
	if err != nil {
		return err
	}
	if err := seq.element(tok); err != nil {
		return err
	}
	if _, err := j.dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: ndjson: more than one value on a line", document.ErrCorrupt)
	}
	return nil
}

// jsonFlattener reads JSON tokens into blocks and tables.
type jsonFlattener struct {
	ctx    context.Context
	dec    *json.Decoder
	budget *budget
	tokens int
	elided bool
	blocks []document.Block
	data   []document.Data
}

// token reads the next token, checking for cancellation.
func (j *jsonFlattener) token() (json.Token, error) {
	j.tokens++
	if j.tokens%4096 == 0 {
		if err := j.ctx.Err(); err != nil {
			return nil, err
		}
	}
	tok, err := j.dec.Token()
	if err == io.EOF {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("%w: json: %v", document.ErrCorrupt, err)
	}
	return tok, nil
}

// document reads every top-level value of the stream.
func (j *jsonFlattener) document(name string) error {
	tok, err := j.token()
	if err == io.EOF {
		return fmt.Errorf("%w: json: no value", document.ErrEmpty)
	}
	if err != nil {
		return err
	}
	if err := j.topValue(tok, name); err != nil {
		return err
	}
	if !j.dec.More() {
		if _, err := j.token(); err != io.EOF {
			return fmt.Errorf("%w: json: trailing data", document.ErrCorrupt)
		}
		return nil
	}
	// More values follow (beyond the head isValueStream looked at).
	return j.stream(j.newSeq(name))
}

// stream reads the remaining top-level values as elements of seq.
func (j *jsonFlattener) stream(seq *jsonSeq) error {
	for {
		tok, err := j.token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := seq.element(tok); err != nil {
			return err
		}
	}
	seq.finish()
	return nil
}

// topValue reads the first top-level value: an array is a sequence of
// elements, an object one group per key.
func (j *jsonFlattener) topValue(tok json.Token, name string) error {
	switch tok {
	case json.Delim('['):
		seq := j.newSeq(name)
		if err := j.array(seq); err != nil {
			return err
		}
		seq.finish()
		return nil
	case json.Delim('{'):
		return j.topObject()
	}
	var lines []string
	if err := j.value(tok, "", 0, &lines); err != nil {
		return err
	}
	j.paragraph(lines)
	return nil
}

// array reads an array's elements (its '[' read) into seq.
func (j *jsonFlattener) array(seq *jsonSeq) error {
	for j.dec.More() {
		tok, err := j.token()
		if err != nil {
			return eofCorrupt(err)
		}
		if err := seq.element(tok); err != nil {
			return err
		}
	}
	_, err := j.token()
	return eofCorrupt(err)
}

// topObject reads the top-level object (its '{' read): scalar members
// gather into paragraphs, an array member is a sequence under a
// heading, an object member a paragraph of its own.
func (j *jsonFlattener) topObject() error {
	var scalars []string
	for j.dec.More() {
		key, val, err := j.member()
		if err != nil {
			return err
		}
		switch val {
		case json.Delim('['):
			j.paragraph(scalars)
			scalars = nil
			j.blocks = append(j.blocks, document.Block{Kind: document.Heading, Level: 1, Text: key})
			seq := j.newSeq(key)
			if err := j.array(seq); err != nil {
				return err
			}
			seq.finish()
		case json.Delim('{'):
			j.paragraph(scalars)
			scalars = nil
			var lines []string
			if err := j.value(val, key, 1, &lines); err != nil {
				return err
			}
			j.paragraph(lines)
		default:
			if err := j.value(val, key, 1, &scalars); err != nil {
				return err
			}
		}
	}
	j.paragraph(scalars)
	_, err := j.token()
	return eofCorrupt(err)
}

// member reads an object member's key and its value's first token.
func (j *jsonFlattener) member() (string, json.Token, error) {
	kt, err := j.token()
	if err != nil {
		return "", nil, eofCorrupt(err)
	}
	key, ok := kt.(string)
	if !ok {
		return "", nil, fmt.Errorf("%w: json: object key is not a string", document.ErrCorrupt)
	}
	val, err := j.token()
	return key, val, eofCorrupt(err)
}

// value flattens the value starting with tok into "path: value" lines.
func (j *jsonFlattener) value(tok json.Token, path string, depth int, lines *[]string) error {
	d, isDelim := tok.(json.Delim)
	if !isDelim {
		return j.line(lines, path, scalarText(tok))
	}
	if depth > maxJSONDepth {
		j.elided = true
		if err := j.skip(); err != nil {
			return err
		}
		return j.line(lines, path, "…")
	}
	for i := 0; j.dec.More(); i++ {
		sub := path
		var next json.Token
		if d == '{' {
			key, val, err := j.member()
			if err != nil {
				return err
			}
			sub, next = joinPath(path, key), val
		} else {
			t, err := j.token()
			if err != nil {
				return eofCorrupt(err)
			}
			sub, next = fmt.Sprintf("%s[%d]", path, i), t
		}
		if err := j.value(next, sub, depth+1, lines); err != nil {
			return err
		}
	}
	_, err := j.token()
	return eofCorrupt(err)
}

// skip consumes the rest of a container whose opening token was read.
func (j *jsonFlattener) skip() error {
	for open := 1; open > 0; {
		tok, err := j.token()
		if err != nil {
			return eofCorrupt(err)
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			open++
		case json.Delim('}'), json.Delim(']'):
			open--
		}
	}
	return nil
}

// line appends "path: value" (or the bare value) within the budget.
func (j *jsonFlattener) line(lines *[]string, path, val string) error {
	l := val
	if path != "" {
		l = path + ": " + val
	}
	if !j.budget.take(len(l) + 1) {
		return errOutputFull
	}
	*lines = append(*lines, l)
	return nil
}

// paragraph emits lines as paragraphs of at most paraLines lines.
func (j *jsonFlattener) paragraph(lines []string) {
	for len(lines) > 0 {
		n := min(len(lines), paraLines)
		j.blocks = append(j.blocks, document.Block{Kind: document.Paragraph, Text: strings.Join(lines[:n], "\n")})
		lines = lines[n:]
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// scalarText renders a scalar token as written.
func scalarText(tok json.Token) string {
	switch v := tok.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "true"
		}
		return "false"
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}

// eofCorrupt turns an early end of input into ErrCorrupt.
func eofCorrupt(err error) error {
	if err == io.EOF {
		return fmt.Errorf("%w: json: unexpected end of input", document.ErrCorrupt)
	}
	return err
}
