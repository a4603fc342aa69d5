package answer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations are words (lower case, without the final dot) after which
// a dot does not end a sentence. Single letters ("z. B.", "S. 2") and
// dotted letter groups ("e.g.", "u.a.") are recognised without a list.
var abbreviations = map[string]bool{
	// German
	"abs": true, "nr": true, "dr": true, "prof": true, "bzw": true, "vgl": true,
	"ggf": true, "ca": true, "usw": true, "inkl": true, "zzgl": true, "exkl": true,
	"evtl": true, "str": true, "tel": true, "mio": true, "mrd": true, "ziff": true,
	"art": true, "kap": true, "bspw": true, "sog": true, "lt": true, "gem": true,
	"max": true, "min": true, "hr": true, "fr": true, "jh": true, "jhd": true,
	"abschn": true, "anm": true, "bd": true, "betr": true, "bzgl": true, "dgl": true,
	"einschl": true, "etc": true, "ff": true, "geb": true, "gegr": true, "hrsg": true,
	"insb": true, "lfd": true, "lit": true, "mwst": true, "nachf": true,
	"od": true, "pkt": true, "rd": true, "rz": true, "rn": true, "tsd": true,
	"u": true, "urt": true, "vs": true, "zb": true, "zit": true, "zt": true,
	"jan": true, "feb": true, "mär": true, "apr": true, "jun": true, "jul": true,
	"aug": true, "sep": true, "sept": true, "okt": true, "nov": true, "dez": true,
	// English
	"mr": true, "mrs": true, "ms": true, "no": true, "nos": true, "fig": true,
	"approx": true, "st": true, "inc": true, "ltd": true, "co": true, "corp": true,
	"dept": true, "est": true, "vol": true, "pp": true, "sec": true, "para": true,
	"oct": true, "dec": true, "mar": true,
}

// closers may follow a sentence's final punctuation and belong to it.
const closers = `.!?"'“”„»«’)]…`

// splitSentences cuts text into sentences. Line breaks end a sentence
// where the line before ends like one, where a list item or table row
// starts, or at a blank line; other line breaks are wrapped text.
func splitSentences(text string) []string {
	var out []string
	for _, unit := range lineUnits(text) {
		out = appendSentences(out, unit)
	}
	return out
}

// lineUnits joins wrapped lines and separates paragraphs, list items
// and table rows.
func lineUnits(text string) []string {
	var units []string
	var cur strings.Builder
	prev := ""
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			units = append(units, s)
		}
		cur.Reset()
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || startsBlock(line) || endsBlock(prev) {
			flush()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(line)
		prev = line
	}
	flush()
	return units
}

// startsBlock reports whether a line starts a list item or table row.
func startsBlock(line string) bool {
	switch {
	case strings.HasPrefix(line, "|"), strings.HasPrefix(line, "- "),
		strings.HasPrefix(line, "* "), strings.HasPrefix(line, "• "),
		strings.HasPrefix(line, "– "):
		return true
	}
	// "(1)", "1.", "a)" numbering
	i := 0
	if strings.HasPrefix(line, "(") {
		i = 1
	}
	j := i
	for j < len(line) && j-i < 3 && (isASCIIDigit(line[j]) || 'a' <= line[j] && line[j] <= 'z') {
		j++
	}
	return j > i && j < len(line) && (line[j] == ')' || line[j] == '.' && isASCIIDigit(line[i]))
}

// endsBlock reports whether a line ends a sentence, a lead-in or a row.
func endsBlock(line string) bool {
	if line == "" {
		return true
	}
	if strings.HasPrefix(line, "|") {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(line)
	return strings.ContainsRune(".!?:;", r) || strings.ContainsRune(closers, r) && r != ')'
}

// appendSentences splits one unit of text at sentence ends.
func appendSentences(out []string, unit string) []string {
	start := 0
	for i := 0; i < len(unit); {
		r, size := utf8.DecodeRuneInString(unit[i:])
		if r != '.' && r != '!' && r != '?' && r != '…' {
			i += size
			continue
		}
		end := i + size
		for end < len(unit) {
			c, n := utf8.DecodeRuneInString(unit[end:])
			if !strings.ContainsRune(closers, c) {
				break
			}
			end += n
		}
		if isSentenceEnd(unit, i, r, end) {
			out = appendSentence(out, unit[start:end])
			start = end
		}
		i = end
	}
	return appendSentence(out, unit[start:])
}

func appendSentence(out []string, s string) []string {
	s = strings.TrimSpace(s)
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
		return out
	}
	return append(out, s)
}

// isSentenceEnd decides whether the punctuation r at unit[i] (its
// closing quotes and brackets reaching to end) ends a sentence.
func isSentenceEnd(unit string, i int, r rune, end int) bool {
	if end >= len(unit) {
		return true
	}
	next, _ := utf8.DecodeRuneInString(unit[end:])
	if !unicode.IsSpace(next) {
		return false // 1.234,56, 01.02.2024, e.g.,
	}
	rest := strings.TrimLeftFunc(unit[end:], unicode.IsSpace)
	if rest == "" {
		return true
	}
	first, _ := utf8.DecodeRuneInString(rest)
	if unicode.IsLower(first) || unicode.IsDigit(first) || strings.ContainsRune(",;:)", first) {
		return false // "ca. zehn", "Nr. 5", "Abs. 1"
	}
	if r != '.' {
		return true
	}
	return !abbreviationBefore(unit[:i])
}

// abbreviationBefore reports whether the word that ends s is an
// abbreviation or an ordinal number, so that a dot after it is no
// sentence end.
func abbreviationBefore(s string) bool {
	j := len(s)
	for j > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:j])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' {
			break
		}
		j -= n
	}
	word := strings.Trim(s[j:], ".")
	if word == "" {
		return false
	}
	before := lastWord(strings.TrimRight(s[:j], " "))
	letters, digits := 0, 0
	for _, r := range word {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		}
	}
	switch {
	case digits > 0 && letters == 0:
		// "am 3. Oktober", "der 2. Abschnitt" are ordinals; "Nr. 12",
		// dates and years end sentences.
		return digits <= 3 && !strings.Contains(word, ".") && !referenceWords[strings.ToLower(before)]
	case digits > 0:
		return false
	case letters == 1:
		// "z. B.", "S. 2", initials; but "230 V." is a unit.
		return before == "" || !unicode.IsDigit([]rune(before)[len([]rune(before))-1])
	case strings.Contains(word, "."):
		return true // "e.g", "u.a", "z.B"
	}
	return abbreviations[strings.ToLower(word)]
}

// referenceWords are followed by cardinal numbers, not ordinals.
var referenceWords = map[string]bool{
	"nr.": true, "no.": true, "abs.": true, "s.": true, "art.": true, "ziff.": true,
	"kap.": true, "§": true, "§§": true, "rn.": true, "rz.": true, "tz.": true,
	"nummer": true, "seite": true, "page": true, "p.": true, "absatz": true, "artikel": true,
}

// lastWord returns the last space-separated word of s.
func lastWord(s string) string {
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return s[i+1:]
	}
	return s
}

func isASCIIDigit(b byte) bool { return '0' <= b && b <= '9' }

// stripContextLine drops the chunk's leading context line, the section
// path the chunker writes on the first line ("Teil 2 > § 8 Einkommen").
func stripContextLine(text, section string) string {
	first, rest, ok := strings.Cut(text, "\n")
	if !ok {
		return text
	}
	first = strings.TrimSpace(first)
	if first == "" {
		return rest
	}
	r, _ := utf8.DecodeLastRuneInString(first)
	if strings.ContainsRune(".!?:;,", r) {
		return text
	}
	if strings.Contains(first, " > ") || section != "" && sectionShows(first, section) {
		return rest
	}
	return text
}

// sectionShows reports whether every title the context line shows is
// part of section; the chunker may cut titles with "…".
func sectionShows(line, section string) bool {
	for _, part := range strings.Split(line, ">") {
		part = strings.TrimSpace(strings.ReplaceAll(part, "…", ""))
		if part != "" && !strings.Contains(section, part) {
			return false
		}
	}
	return true
}
