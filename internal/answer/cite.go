package answer

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxCitationLen is the longest bracket content read as a citation;
// longer brackets are prose, not citations.
const maxCitationLen = 64

// CitedSources returns the numbers of sources that text cites, in order
// of first citation and without repeats. It reads "[1]", "[2][3]",
// "[1, 2]", "[1; 2]" and ranges "[1–3]" / "[1-3]"; brackets holding
// anything else and numbers that are no source's N are ignored.
func CitedSources(text string, sources []Source) []int {
	valid := make(map[int]bool, len(sources))
	for i, s := range sources {
		valid[sourceNumber(s, i)] = true
	}
	var out []int
	seen := make(map[int]bool)
	add := func(n int) {
		if valid[n] && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for {
		open := strings.IndexByte(text, '[')
		if open < 0 {
			return out
		}
		text = text[open+1:]
		end := strings.IndexAny(text, "[]")
		if end < 0 {
			return out
		}
		if text[end] == ']' && end <= maxCitationLen {
			for _, n := range parseCitation(text[:end], valid) {
				add(n)
			}
		}
		text = text[end:]
	}
}

// parseCitation reads the inside of one bracket: numbers and ranges
// separated by commas or semicolons. It returns nil for anything else.
// Ranges expand only to numbers in valid.
func parseCitation(s string, valid map[int]bool) []int {
	var out []int
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		part = strings.TrimSpace(part)
		lo, hi, isRange := cutDash(part)
		if !isRange {
			n, ok := citationNumber(part)
			if !ok {
				return nil
			}
			out = append(out, n)
			continue
		}
		a, ok1 := citationNumber(lo)
		b, ok2 := citationNumber(hi)
		if !ok1 || !ok2 || a > b {
			return nil
		}
		out = append(out, numbersBetween(a, b, valid)...)
	}
	return out
}

// cutDash splits "1–3" at a hyphen, en or em dash.
func cutDash(s string) (lo, hi string, ok bool) {
	for i, r := range s {
		if r == '-' || r == '–' || r == '—' {
			return s[:i], s[i+utf8.RuneLen(r):], true
		}
	}
	return s, "", false
}

func citationNumber(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 6 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if !isASCIIDigit(s[i]) {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0
}

// numbersBetween lists the valid numbers from a to b in order.
func numbersBetween(a, b int, valid map[int]bool) []int {
	var out []int
	if b-a <= len(valid) {
		for n := a; n <= b; n++ {
			if valid[n] {
				out = append(out, n)
			}
		}
		return out
	}
	for n := range valid {
		if a <= n && n <= b {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}
