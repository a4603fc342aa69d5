package text

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// dialect is how a delimited text file is written.
type dialect struct {
	Comma  rune // field delimiter: ',', ';', '\t' or '|'
	Quote  rune // '"', or '\'' when fields are single-quoted
	Header bool // the first record names the columns
}

// sniffRecords is how many records the sniffer looks at.
const sniffRecords = 30

// delimiters are the candidates, most specific first: a tab or
// semicolon that splits every line the same way rarely does so by
// chance, a comma inside text more often.
var delimiters = [...]rune{'\t', ';', ',', '|'}

// sniffDialect guesses the dialect of a sample of the file: the
// delimiter that splits the first records into the same number (at
// least two) of fields most consistently, the quote character, and
// whether the first record is a header. preferTab favours the tab when
// it ties (a .tsv file).
func sniffDialect(sample string, preferTab bool) dialect {
	d := dialect{Comma: ',', Quote: '"'}
	best := -1.0
	var bestRecs [][]string
	for _, c := range delimiters {
		recs := sampleRecords(sample, c)
		score := consistency(recs)
		if score <= 0 {
			continue
		}
		if c == '\t' && preferTab {
			score += 0.05
		}
		if score > best {
			best, d.Comma, bestRecs = score, c, recs
		}
	}
	if bestRecs == nil {
		bestRecs = sampleRecords(sample, d.Comma)
	}
	d.Quote = sniffQuote(sample, d.Comma)
	d.Header = sniffHeader(bestRecs)
	return d
}

// sampleRecords parses up to sniffRecords records of sample.
func sampleRecords(sample string, comma rune) [][]string {
	r := csv.NewReader(strings.NewReader(sample))
	r.Comma = comma
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	var recs [][]string
	for len(recs) < sniffRecords {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			break
		}
		if rec = cleanRecord(rec, '"'); rec != nil {
			recs = append(recs, rec)
		}
	}
	return recs
}

// consistency is the share of records whose field count is the most
// common one, when that count is at least two; else 0.
func consistency(recs [][]string) float64 {
	if len(recs) == 0 {
		return 0
	}
	freq := map[int]int{}
	for _, r := range recs {
		freq[len(r)]++
	}
	mode, n := 0, 0
	for k, v := range freq {
		if v > n || v == n && k > mode {
			mode, n = k, v
		}
	}
	if mode < 2 {
		return 0
	}
	return float64(n) / float64(len(recs))
}

// sniffQuote says fields are single-quoted when a single quote opens
// fields more often than a double quote does.
func sniffQuote(sample string, comma rune) rune {
	var single, double int
	atStart := true
	for _, r := range sample {
		if atStart {
			switch r {
			case '\'':
				single++
			case '"':
				double++
			}
		}
		atStart = r == comma || r == '\n'
	}
	if single >= 2 && single > double {
		return '\''
	}
	return '"'
}

// sniffHeader says the first record names columns: it holds no number
// (when a later record does, that settles it; when none does, a header
// is still the likelier reading).
func sniffHeader(recs [][]string) bool {
	if len(recs) == 0 {
		return false
	}
	for _, cell := range recs[0] {
		if isNumeric(cell) {
			return false
		}
	}
	return true
}

// isNumeric says s is a number, allowing thousands separators, a
// decimal comma, a sign, a percent or currency sign.
func isNumeric(s string) bool {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "%"), "€")
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(s, "$"), "€"))
	if s == "" {
		return false
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return true
	}
	t := strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
	if _, err := strconv.ParseFloat(t, 64); err == nil {
		return true
	}
	_, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	return err == nil
}
