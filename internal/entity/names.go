package entity

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// legalForms are the company forms that end an organisation's name,
// longest spelling first where one is the prefix of another.
var legalForms = []string{
	"GmbH & Co. KGaA", "GmbH & Co. KG", "GmbH & Co KG", "GmbH & Co. OHG", "AG & Co. KGaA", "AG & Co. KG",
	"SE & Co. KGaA", "SE & Co. KG", "UG (haftungsbeschränkt) & Co. KG", "UG (haftungsbeschränkt)",
	"gGmbH", "GmbH", "KGaA", "KG", "AG", "OHG", "oHG", "GbR", "SE", "UG", "PartG mbB", "PartGmbB",
	"e.V.", "e. V.", "e.G.", "eG", "mbH", "Ltd.", "Ltd", "Inc.", "Inc", "LLC", "LLP", "PLC", "plc",
	"S.A.", "B.V.", "N.V.", "S.p.A.", "S.r.l.", "Corp.", "GesmbH",
}

// nameStop are capitalised words that start sentences or phrases rather
// than names; they are trimmed from the front of an organisation's name.
var nameStop = map[string]bool{
	"Die": true, "Der": true, "Das": true, "Den": true, "Dem": true, "Des": true, "Ein": true, "Eine": true,
	"Einer": true, "Eines": true, "Einem": true, "Einen": true, "The": true, "A": true, "An": true,
	"Von": true, "Mit": true, "Bei": true, "Für": true, "Im": true, "In": true, "Am": true, "Auf": true,
	"Aus": true, "Zur": true, "Zum": true, "Und": true, "Oder": true, "Firma": true, "Fa.": true, "Herr": true,
	"Frau": true, "Unsere": true, "Ihre": true, "Sehr": true, "Als": true, "Wir": true, "Sie": true,
	"Dass": true, "Gegen": true, "Zwischen": true, "Durch": true, "Laut": true, "Gemäß": true, "For": true,
	"With": true, "By": true, "From": true, "To": true, "Of": true, "And": true, "Our": true, "Your": true,
	"This": true, "That": true, "Dear": true, "Re": true, "Betreff": true, "Auftraggeber": true,
	"Auftragnehmer": true, "Käufer": true, "Verkäufer": true, "Kunde": true, "Lieferant": true,
	"Rechnung": true, "Vertrag": true, "Wie": true, "Nach": true, "Über": true, "Vor": true, "At": true,
	"On": true, "Dieser": true, "Diese": true, "Dieses": true, "Jede": true, "Jeder": true, "Alle": true,
	"Bis": true, "Ab": true, "Seit": true, "Is": true, "Was": true, "Im Namen": true, "Client": true,
	"Supplier": true, "Customer": true, "Contractor": true, "Buyer": true, "Seller": true,
}

// legalForm recognises a legal form at i and the capitalised words
// before it as the organisation's name: Müller & Söhne Bauunternehmung
// GmbH, Apple Inc.
func (s *scanner) legalForm(i int) int {
	t := s.text
	for _, f := range legalForms {
		if !strings.HasPrefix(t[i:], f) {
			continue
		}
		end := i + len(f)
		if !boundaryAt(t, end) || f[len(f)-1] != '.' && end < len(t) && t[end] == '.' && end+1 < len(t) && isAlnumASCII(t[end+1]) {
			continue
		}
		start := nameBefore(t, i, f == "Inc." || f == "Inc" || f == "Ltd." || f == "LLC")
		if start < 0 {
			return -1
		}
		name := strings.Join(strings.Fields(t[start:end]), " ")
		s.add(TypeOrg, start, end, name)
		return end
	}
	return -1
}

// nameBefore walks back from a legal form at i over up to six name
// words on the same line and returns where the name starts, or -1.
// comma allows "Apple, Inc.".
func nameBefore(t string, i int, comma bool) int {
	j := i
	var starts []int
	for len(starts) < 6 {
		k := j
		if k == 0 || t[k-1] != ' ' {
			break
		}
		k--
		ws := strings.LastIndexAny(t[:k], " \t\n\r|") + 1
		w := t[ws:k]
		if comma && len(starts) == 0 && len(w) > 1 && w[len(w)-1] == ',' {
			w = w[:len(w)-1]
		}
		if !nameWord(w) || isLegalForm(w) {
			break
		}
		starts = append(starts, ws)
		j = ws
	}
	// Trim leading stopwords and connectors.
	for n := len(starts) - 1; n >= 0; n-- {
		w := t[starts[n]:]
		if sp := strings.IndexByte(w, ' '); sp >= 0 {
			w = w[:sp]
		}
		if !nameStop[w] && w != "&" && w != "+" && w != "und" && w != "and" && w != "-" {
			return starts[n]
		}
	}
	return -1
}

// nameWord accepts a word of an organisation's name: capitalised, a
// number with letters (3M, 1&1), a connector, or a short abbreviation
// with a dot (Gebr.).
func nameWord(w string) bool {
	if w == "" || len(w) > 40 {
		return false
	}
	switch w {
	case "&", "+", "und", "and", "-":
		return true
	}
	last := w[len(w)-1]
	if strings.IndexByte(",;:()[]\"'!?", last) >= 0 {
		return false
	}
	if last == '.' && (len(w) > 6 || strings.IndexFunc(w[:len(w)-1], func(r rune) bool { return !unicode.IsLetter(r) }) >= 0) {
		return false // Gebr., Co. but not "X-100." ending a sentence
	}
	r, _ := utf8.DecodeRuneInString(w)
	if unicode.IsUpper(r) {
		return true
	}
	return unicode.IsDigit(r) && strings.IndexFunc(w, unicode.IsLetter) >= 0
}

// titles come before a person's name.
var titles = []string{
	"Herrn", "Herr", "Frau", "Dr.", "Prof.", "Mrs.", "Mrs", "Mr.", "Mr", "Ms.", "Ms", "Dipl.-Ing.",
	"Dipl.-Kfm.", "Dipl.-Kffr.", "Mag.", "Sir", "Dame",
}

// signals come before a person's name without a title.
var signals = []string{
	"Geschäftsführerin", "Geschäftsführer", "Geschäftsführung", "Vorstandsvorsitzende", "Vorstandsvorsitzender",
	"Vorstand", "Inhaberin", "Inhaber", "Prokuristin", "Prokurist", "Ansprechpartnerin", "Ansprechpartner",
	"vertreten durch", "vertr. durch", "represented by", "Managing Director", "Managing Directors",
	"CEO", "CFO", "COO", "CTO", "Chief Executive Officer", "Director", "Contact person", "Kontaktperson",
}

// roles are words after a signal that are not names (vertreten durch
// den Geschäftsführer …).
var roles = map[string]bool{
	"den": true, "die": true, "der": true, "the": true, "its": true, "our": true, "unseren": true, "unsere": true,
	"Rechtsanwalt": true, "Rechtsanwältin": true, "Notar": true, "Notarin": true, "Steuerberater": true,
	"Steuerberaterin": true, "Geschäftsführer": true, "Geschäftsführerin": true, "Vorstand": true,
	"Prokurist": true, "Prokuristin": true, "Bevollmächtigten": true, "alleinvertretungsberechtigten": true,
}

// person recognises a name after a title (Dr. Anna Schmidt, Herrn
// Müller) or after a signal (Geschäftsführer: Hans Meier).
func (s *scanner) person(i int) int {
	if end := s.titledPerson(i); end > i {
		return end
	}
	return s.signalPerson(i)
}

// titledPerson reads one or more titles at i and one to three name words.
func (s *scanner) titledPerson(i int) int {
	t := s.text
	j := i
	for n := 0; n < 4; n++ {
		tt := titleAt(t, j)
		if tt == "" {
			break
		}
		j = skipSpace(t, j+len(tt))
	}
	if j == i {
		return -1
	}
	ns, ne, name := nameWords(t, j, 1)
	if ns < 0 {
		return -1
	}
	s.add(TypePerson, i, ne, name)
	return ne
}

// titleAt returns the title at i followed by a space, or "".
func titleAt(t string, i int) string {
	for _, tt := range titles {
		if strings.HasPrefix(t[i:], tt) && spaceAt(t, i+len(tt)) > 0 {
			return tt
		}
	}
	return ""
}

// signalPerson reads a signal at i, optional punctuation, articles and
// roles, and a name of two or three words or a titled name.
func (s *scanner) signalPerson(i int) int {
	t := s.text
	sig := ""
	for _, w := range signals {
		if strings.HasPrefix(t[i:], w) && boundaryAt(t, i+len(w)) {
			sig = w
			break
		}
	}
	if sig == "" {
		return -1
	}
	j := i + len(sig)
	for j < len(t) && (t[j] == ':' || t[j] == ',') {
		j++
	}
	j = skipSpace(t, j)
	for n := 0; n < 3; n++ {
		w := wordAt(t, j)
		if !roles[w] {
			break
		}
		j = skipSpace(t, j+len(w))
	}
	if titleAt(t, j) != "" {
		if end := s.titledPerson(j); end > j {
			return end
		}
		return -1
	}
	ns, ne, name := nameWords(t, j, 2)
	if ns < 0 {
		return -1
	}
	s.add(TypePerson, ns, ne, name)
	return ne
}

// wordAt returns the run of letters, '-' and '.' at i.
func wordAt(t string, i int) string {
	j := i
	for j < len(t) {
		r, n := utf8.DecodeRuneInString(t[j:])
		if !unicode.IsLetter(r) && r != '-' && r != '.' {
			break
		}
		j += n
	}
	return t[i:j]
}

// nameWords reads at least minWords and at most three capitalised name
// words (with von/van/de/zu/der particles between them) from i and
// returns their span and the name with single spaces; ns is -1 when
// there are too few.
func nameWords(t string, i, minWords int) (ns, ne int, name string) {
	var words []string
	j, end, real := i, -1, 0
	for real < 3 && j < len(t) {
		w := letterWord(t, j)
		if w == "" {
			break
		}
		particle := particles[w]
		if !particle && !personWord(w) {
			break
		}
		words = append(words, w)
		if !particle {
			real++
			end = j + len(w)
		}
		sp := spaceAt(t, j+len(w))
		if sp == 0 {
			break
		}
		j += len(w) + sp
	}
	for len(words) > 0 && particles[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	if real < minWords || end < 0 || !boundaryAt(t, end) {
		return -1, -1, ""
	}
	// A legal form right after the name makes it a company.
	if f := wordAt(t, skipSpace(t, end)); signalWord(f) {
		return -1, -1, ""
	}
	return i, end, strings.Join(words, " ")
}

// particles join the words of a name.
var particles = map[string]bool{"von": true, "van": true, "de": true, "zu": true, "di": true}

// letterWord returns the word of letters, hyphens and apostrophes at i.
func letterWord(t string, i int) string {
	j := i
	for j < len(t) {
		r, n := utf8.DecodeRuneInString(t[j:])
		if !unicode.IsLetter(r) && !(r == '-' || r == '\'') || r == utf8.RuneError {
			break
		}
		j += n
	}
	return strings.TrimRight(t[i:j], "-'")
}

// personWord accepts a name word: capitalised, with lower-case letters,
// two to 30 bytes, not a stopword or a role.
func personWord(w string) bool {
	if len(w) < 2 || len(w) > 30 || nameStop[w] || roles[w] || signalWord(w) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) || strings.IndexFunc(w, unicode.IsLower) < 0 {
		return false
	}
	for _, suf := range nounSuffixes {
		if strings.HasSuffix(w, suf) {
			return false
		}
	}
	return true
}

// nounSuffixes end German and English nouns, not names; a capitalised
// word ending so after "Inhaber" is the start of a phrase.
var nounSuffixes = []string{
	"ung", "ungen", "keit", "heit", "schaft", "tion", "ität", "nis", "tum", "ment", "ismus", "gesetz",
	"recht", "steuer", "vertrag", "ordnung", "gericht", "stelle", "behörde", "gesellschaft", "amt",
	"ness", "ship", "ity", "ance", "ence", "ing", "ies",
}

// isLegalForm reports whether w is a one-word legal form: the name
// before it belongs to another organisation.
func isLegalForm(w string) bool {
	for _, f := range legalForms {
		if f == w {
			return true
		}
	}
	return false
}

func signalWord(w string) bool {
	for _, s := range signals {
		if s == w {
			return true
		}
	}
	for _, f := range legalForms {
		if f == w {
			return true
		}
	}
	return false
}
