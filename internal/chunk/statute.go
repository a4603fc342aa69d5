package chunk

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// statuteTitle is a line of a paragraph that starts a § or an article:
// "§ 8 Einkommen", "§ 4a", "Art. 5 Meinungsfreiheit", "Artikel 3".
type statuteTitle struct {
	start int    // offset of the title line
	title string // the title, on one line
	body  int    // offset of the text after the title
}

// maxTitleRunes bounds a title line; longer lines are running text.
const maxTitleRunes = 200

// statuteTitles finds the lines of a paragraph's text that start a § or
// an article: lines that begin with "§ N", "Art. N" or "Artikel N" and a
// title that reads like one (capitalised, no final stop, not "Abs. 2" or
// "EStG"), and that follow the end of a sentence, a blank line or another
// title. Extractors of PDF and Word files often produce such headings as
// plain paragraphs.
func statuteTitles(s string) []statuteTitle {
	var out []statuteTitle
	prevTitle := false
	for ls := 0; ls < len(s); {
		le := strings.IndexByte(s[ls:], '\n')
		if le < 0 {
			le = len(s)
		} else {
			le += ls
		}
		ok := false
		if ls == 0 || prevTitle || lineFollowsBreak(s, ls) {
			if t, ok2 := titleLine(s, ls, le); ok2 {
				out = append(out, t)
				ok = true
				le = max(le, t.body)
			}
		}
		prevTitle = ok
		ls = le + 1
	}
	return out
}

// lineFollowsBreak reports whether the line at ls follows a blank line or
// a line that ends a sentence.
func lineFollowsBreak(s string, ls int) bool {
	j := ls - 1 // the newline
	k := j
	for k > 0 && (s[k-1] == ' ' || s[k-1] == '\t' || s[k-1] == '\r') {
		k--
	}
	if k == 0 || s[k-1] == '\n' {
		return true
	}
	switch s[k-1] {
	case '.', ':', ';', '!', '?':
		return true
	}
	return false
}

// titleLine parses the line s[ls:le] as a § or article title.
func titleLine(s string, ls, le int) (statuteTitle, bool) {
	start := skipSpace(s[:le], ls)
	line := strings.TrimRight(s[start:le], " \t\r")
	n := statuteNumber(line)
	if n == 0 {
		return statuteTitle{}, false
	}
	body := le
	// "§ 8 Einkommen (1) Einkommen ist …" on one line: the title ends
	// before the first Absatz.
	if i := strings.Index(line, " (1) "); i >= n {
		line = line[:i]
		body = start + i + 1
	}
	if utf8.RuneCountInString(line) > maxTitleRunes || !plausibleTitle(line[n:]) {
		return statuteTitle{}, false
	}
	title := oneLine(line)
	if strings.TrimSpace(line[n:]) == "" {
		// "Artikel 6\nAusnahmebestimmung\n…": the title on the next line.
		if next, end, ok := titleContinuation(s, le); ok {
			title += " " + next
			body = end
		}
	}
	return statuteTitle{start: start, title: title, body: body}, true
}

// titleContinuation returns the line after the one ending at le when it
// is a short title ("Zweck", "Ausnahmebestimmung") rather than text, and
// the offset where it ends.
func titleContinuation(s string, le int) (string, int, bool) {
	if le >= len(s) {
		return "", 0, false
	}
	ns := le + 1
	ne := strings.IndexByte(s[ns:], '\n')
	if ne < 0 {
		ne = len(s)
	} else {
		ne += ns
	}
	next := oneLine(s[ns:ne])
	if next == "" || utf8.RuneCountInString(next) > 80 || len(strings.Fields(next)) > 8 ||
		absatzMarker(next+" X") > 0 || statuteNumber(next) > 0 || !plausibleTitle(next) {
		return "", 0, false
	}
	return next, ne, true
}

// statuteNumber returns the length of "§ 12a", "§§ 3", "Art. 5",
// "Art 5" or "Artikel 5" at the start of line, or 0.
func statuteNumber(line string) int {
	i := 0
	switch {
	case strings.HasPrefix(line, "§§"):
		i = len("§§")
	case strings.HasPrefix(line, "§"):
		i = len("§")
	case strings.HasPrefix(line, "Artikel "):
		i = len("Artikel ")
	case strings.HasPrefix(line, "Art. "), strings.HasPrefix(line, "Art "):
		i = 4
	default:
		return 0
	}
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	d := i
	for i < len(line) && i-d < 4 && isDigit(line[i]) {
		i++
	}
	if i == d {
		return 0
	}
	for j := 0; j < 2 && i < len(line) && 'a' <= line[i] && line[i] <= 'z'; j++ {
		i++
	}
	if i < len(line) && line[i] != ' ' && line[i] != '\t' {
		return 0
	}
	return i
}

// plausibleTitle reports whether rest (what follows "§ 8") reads like a
// title rather than running text that happens to start a line with a
// reference ("§ 5 gilt entsprechend", "§ 4 Abs. 2", "§ 8 KStG").
func plausibleTitle(rest string) bool {
	rest = strings.TrimSpace(rest)
	rest = strings.TrimSpace(strings.TrimLeft(rest, "-–:"))
	if rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	if !unicode.IsUpper(r) && r != '(' {
		return false
	}
	switch rest[len(rest)-1] {
	case '.', ',', ';', ':', '-':
		return false
	}
	fields := strings.Fields(rest)
	if len(fields) > 25 {
		return false
	}
	first := fields[0]
	if strings.HasSuffix(first, ".") || lawAcronym(first) {
		return false
	}
	switch first {
	case "Abs", "Absatz", "Absätze", "Satz", "Sätze", "Nr", "Nummer", "Buchstabe", "Halbsatz", "Unterabsatz", "Alternative":
		return false
	}
	return true
}

// lawAcronym reports whether w looks like the abbreviation of a law
// ("EStG", "HGB", "AO"), which after "§ 8" makes a citation, not a title.
func lawAcronym(w string) bool {
	if len(w) > 8 {
		return false
	}
	upper := 0
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return upper >= 2
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
