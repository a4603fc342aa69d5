package chunk

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Where a long text may be cut, strongest first. A unit's cut records the
// kind of boundary it starts at; overlap is carried only across sentence
// and word cuts, so chunks of statutes start at whole Absätze and clauses.
const (
	cutBlock    = iota // start of a block
	cutAbsatz          // "(1)", "(2a)": an Absatz of a German statute
	cutClause          // "1.", "1.1", "a)", "aa)", "-" at the start of a line
	cutSentence        // after ". ", "! ", "? ", "; "
	cutWord            // between words, or inside a word longer than the budget
)

// boundaries returns the offsets in s where a segment of the given level
// starts (never 0). Every offset follows whitespace.
func boundaries(s string, level int) []int {
	switch level {
	case cutAbsatz:
		return absatzStarts(s)
	case cutClause:
		return clauseStarts(s)
	case cutSentence:
		return sentenceStarts(s)
	}
	return nil
}

// absatzStarts finds "(N)" markers at the start of a line or after the
// end of a sentence, followed by text that does not start in lower case
// (a wrapped reference "nach Absatz\n(2) des Gesetzes" is no Absatz).
func absatzStarts(s string) []int {
	var out []int
	for i := 1; i < len(s); i++ {
		if s[i] != '(' || !isSpaceByte(s[i-1]) {
			continue
		}
		if !atLineStart(s, i) && !afterSentence(s, i) {
			continue
		}
		if n := absatzMarker(s[i:]); n > 0 {
			out = append(out, i)
			i += n - 1
		}
	}
	return out
}

// absatzMarker returns the length of an Absatz marker "(12)" or "(1a)"
// with the whitespace after it at the start of s, or 0.
func absatzMarker(s string) int {
	if len(s) < 4 || s[0] != '(' {
		return 0
	}
	i := 1
	for i < len(s) && i <= 3 && isDigit(s[i]) {
		i++
	}
	if i == 1 {
		return 0
	}
	for j := 0; j < 2 && i < len(s) && 'a' <= s[i] && s[i] <= 'z'; j++ {
		i++
	}
	if i+1 >= len(s) || s[i] != ')' || !isSpaceByte(s[i+1]) {
		return 0
	}
	i++
	k := skipSpace(s, i)
	if k == len(s) || startsLower(s[k:]) {
		return 0
	}
	return i
}

// clauseStarts finds numbered or lettered clauses and bullets at the
// start of a line: "1. ", "1.1 ", "2) ", "a) ", "aa) ", "- ", "• ", and
// bare sentence numbers "1   Text" set off by two spaces or a tab.
func clauseStarts(s string) []int {
	var out []int
	for i := 1; i < len(s); i++ {
		if !isSpaceByte(s[i-1]) || isSpaceByte(s[i]) || !atLineStart(s, i) {
			continue
		}
		if clauseMarker(s[i:]) {
			out = append(out, i)
		}
	}
	return out
}

func clauseMarker(s string) bool {
	i := 0
	switch {
	case isDigit(s[0]):
		digits, dotted := 0, false
		for i < len(s) && (isDigit(s[i]) || s[i] == '.' && i+1 < len(s) && isDigit(s[i+1])) {
			if s[i] == '.' {
				dotted = true
			} else if !dotted {
				digits++
			}
			i++
		}
		if digits > 3 || i > 12 || i+1 >= len(s) {
			return false
		}
		switch {
		case s[i] == '.' || s[i] == ')':
			return isSpaceByte(s[i+1])
		case dotted:
			return s[i] == ' ' || s[i] == '\t'
		}
		// A bare number starts a clause only when set off clearly
		// (statutes number their sentences "1       Text"); a wrapped
		// line "1 bis 3 ermittelten" is no clause.
		return s[i] == '\t' || s[i] == ' ' && s[i+1] == ' '
	case 'a' <= s[0] && s[0] <= 'z':
		for i < len(s) && i < 3 && 'a' <= s[i] && s[i] <= 'z' {
			i++
		}
		return i <= 2 && i+1 < len(s) && s[i] == ')' && isSpaceByte(s[i+1])
	case s[0] == '-' || s[0] == '*':
		return len(s) > 1 && s[1] == ' '
	}
	for _, bullet := range []string{"•", "–", "·", "▪"} {
		if strings.HasPrefix(s, bullet) {
			return len(s) > len(bullet) && isSpaceByte(s[len(bullet)])
		}
	}
	return false
}

// sentenceStarts finds the starts of sentences after the first. A
// sentence ends at ".", "!", "?" or ";" (with closing quotes or brackets)
// followed by whitespace; a "." does not end one after an abbreviation
// ("z. B.", "Abs.", "e.g."), an initial, a German ordinal ("am 3. Mai")
// or when the next word starts in lower case. Numbers "1.234,56" and
// dates "01.02.2024" have no space after their dots and never end one.
func sentenceStarts(s string) []int {
	var out []int
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '.' && c != '!' && c != '?' && c != ';' {
			continue
		}
		j := skipClosers(s, i+1)
		if j == len(s) || !isSpaceByte(s[j]) {
			continue
		}
		k := skipSpace(s, j)
		if k == len(s) {
			break
		}
		if endsSentence(s, i, k) {
			out = append(out, k)
		}
		i = k - 1
	}
	return out
}

// endsSentence reports whether the punctuation at s[i] ends a sentence
// whose successor starts at s[k].
func endsSentence(s string, i, k int) bool {
	switch s[i] {
	case ';':
		return true
	case '!', '?':
		return !startsLower(s[k:])
	}
	if startsLower(s[k:]) {
		return false
	}
	w := wordBefore(s, i)
	if isAbbreviation(w) {
		return false
	}
	// "am 3. Mai" is an ordinal, "nach Abs. 3. Die …" the end of a
	// sentence.
	return !isOrdinal(w) || isReference(wordBefore(s, max(i-len(w)-1, 0)))
}

// isReference reports whether w is a word that numbers follow as
// references rather than ordinals ("Abs. 3", "Satz 2", "§ 8").
func isReference(w string) bool {
	w = strings.TrimSuffix(strings.ToLower(w), ".")
	switch w {
	case "§", "§§", "abs", "absatz", "absätze", "art", "artikel", "nr", "nummer", "s", "satz", "sätze",
		"ziff", "ziffer", "buchst", "buchstabe", "seite", "kap", "kapitel", "anlage", "tz", "rn",
		"teil", "abschnitt", "page", "section", "no", "chapter", "article":
		return true
	}
	return false
}

// skipClosers skips closing quotes, brackets and repeated end marks.
func skipClosers(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case '"', '\'', ')', ']', '.', '!', '?':
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '»', '«', '“', '”', '‘', '’', '…':
			i += size
			continue
		}
		return i
	}
	return i
}

// wordBefore returns the word that ends at s[i] (exclusive), without
// leading brackets and quotes.
func wordBefore(s string, i int) string {
	j := i
	for j > 0 && !isSpaceByte(s[j-1]) {
		j--
	}
	return strings.TrimLeft(s[j:i], "([\"'„“‚»«")
}

// isAbbreviation reports whether w (the word before a ".") is an
// abbreviation or an initial rather than the end of a sentence.
func isAbbreviation(w string) bool {
	if w == "" {
		return true // ". ." or a lone dot
	}
	if utf8.RuneCountInString(w) == 1 {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsLetter(r) // an initial, "z. B.", "S. 2"
	}
	if strings.Contains(w, ".") {
		return dottedAbbreviation(w) // "e.g", "z.B", "i.V.m"
	}
	if len(w) > 8 {
		return false
	}
	return abbreviation(strings.ToLower(w))
}

// dottedAbbreviation reports whether w is made of short letter groups
// joined by dots ("e.g", "u.a", "i.V.m"), unlike a date or a host name.
func dottedAbbreviation(w string) bool {
	for part := range strings.SplitSeq(w, ".") {
		n := 0
		for _, r := range part {
			if !unicode.IsLetter(r) {
				return false
			}
			n++
		}
		if n > 3 {
			return false
		}
	}
	return true
}

// abbreviation is the table of abbreviations (lower case, without the
// dot) common in German and English legal and business text.
func abbreviation(w string) bool {
	switch w {
	case "abs", "abschn", "abt", "abzgl", "al", "anh", "anl", "anm", "approx", "art", "aufl", "az",
		"bd", "bsp", "bspw", "buchst", "bzgl", "bzw", "ca", "cf", "chr", "co", "corp", "dept", "dgl",
		"dr", "ed", "eds", "entspr", "erg", "etc", "evtl", "fa", "ff", "fig", "gem", "ggf", "ggü",
		"gr", "hr", "hrsg", "inc", "inkl", "insb", "jh", "jr", "kap", "lfd", "lit", "ltd", "max",
		"min", "mio", "mr", "mrd", "mrs", "ms", "nr", "nrn", "no", "pkt", "pp", "prof", "rd", "rn",
		"rz", "sog", "spez", "sr", "st", "std", "str", "tel", "tsd", "tz", "usf", "usw", "uvm",
		"vgl", "vol", "vorl", "vs", "zb", "ziff", "zit", "zt", "zzgl",
		"jan", "feb", "mär", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "oct", "nov", "dez", "dec":
		return true
	}
	return false
}

// isOrdinal reports whether w is a number of one or two digits, which
// before a "." is a German ordinal ("am 3. Mai", "der 12. Senat").
func isOrdinal(w string) bool {
	if len(w) == 0 || len(w) > 2 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if !isDigit(w[i]) {
			return false
		}
	}
	return true
}

// atLineStart reports whether only spaces or tabs separate s[i] from the
// preceding newline.
func atLineStart(s string, i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch s[j] {
		case '\n':
			return true
		case ' ', '\t':
			continue
		}
		return false
	}
	return false
}

// afterSentence reports whether the text before the whitespace preceding
// s[i] ends with a sentence mark.
func afterSentence(s string, i int) bool {
	j := i
	for j > 0 && isSpaceByte(s[j-1]) {
		j--
	}
	if j == 0 {
		return false
	}
	switch s[j-1] {
	case '.', ':', ';', '!', '?':
		return true
	}
	return false
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

func skipSpace(s string, i int) int {
	for i < len(s) && isSpaceByte(s[i]) {
		i++
	}
	return i
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
