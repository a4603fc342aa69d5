package entity

import (
	"regexp"
	"strings"
)

// ibanLengths is the length of the IBAN of each country (ISO 13616
// registry).
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
	"BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
	"ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
	"HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
	"LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
	"MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
	"RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
	"TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}

// vatFormats is the format of the VAT identification number of each EU
// member state after its prefix (VIES).
var vatFormats = map[string]*regexp.Regexp{
	"AT": regexp.MustCompile(`^U\d{8}$`), "BE": regexp.MustCompile(`^[01]\d{9}$`),
	"BG": regexp.MustCompile(`^\d{9,10}$`), "CY": regexp.MustCompile(`^\d{8}[A-Z]$`),
	"CZ": regexp.MustCompile(`^\d{8,10}$`), "DE": regexp.MustCompile(`^\d{9}$`),
	"DK": regexp.MustCompile(`^\d{8}$`), "EE": regexp.MustCompile(`^\d{9}$`),
	"EL": regexp.MustCompile(`^\d{9}$`), "ES": regexp.MustCompile(`^[A-Z0-9]\d{7}[A-Z0-9]$`),
	"FI": regexp.MustCompile(`^\d{8}$`), "FR": regexp.MustCompile(`^[A-HJ-NP-Z0-9]{2}\d{9}$`),
	"HR": regexp.MustCompile(`^\d{11}$`), "HU": regexp.MustCompile(`^\d{8}$`),
	"IE": regexp.MustCompile(`^(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$`), "IT": regexp.MustCompile(`^\d{11}$`),
	"LT": regexp.MustCompile(`^(\d{9}|\d{12})$`), "LU": regexp.MustCompile(`^\d{8}$`),
	"LV": regexp.MustCompile(`^\d{11}$`), "MT": regexp.MustCompile(`^\d{8}$`),
	"NL": regexp.MustCompile(`^\d{9}B\d{2}$`), "PL": regexp.MustCompile(`^\d{10}$`),
	"PT": regexp.MustCompile(`^\d{9}$`), "RO": regexp.MustCompile(`^\d{2,10}$`),
	"SE": regexp.MustCompile(`^\d{10}01$`), "SI": regexp.MustCompile(`^\d{8}$`),
	"SK": regexp.MustCompile(`^\d{10}$`), "XI": regexp.MustCompile(`^(\d{9}|\d{12})$`),
}

// ibanOrVAT recognises an IBAN (printed compact or in groups of four,
// mod-97 valid, of its country's length) or an EU VAT id (DE ids with a
// valid check digit) at a token of two capital letters.
func (s *scanner) ibanOrVAT(i int) int {
	t := s.text
	if i+4 > len(t) || !isUpperASCII(t[i+1]) {
		return -1
	}
	cc := t[i : i+2]
	if n, ok := ibanLengths[cc]; ok && isDigit(t[i+2]) && isDigit(t[i+3]) {
		if compact, end := groups(t, i, n, true); len(compact) == n && validIBAN(compact) {
			s.add(TypeIBAN, i, end, compact)
			return end
		}
	}
	re, ok := vatFormats[cc]
	if !ok {
		return -1
	}
	k := skipSpace(t, i+2)
	if k >= len(t) || !isDigit(t[k]) && t[k] != 'U' && !(cc == "ES" || cc == "FR") {
		return -1
	}
	// The longest run of space-separated groups that is a valid id.
	best, bestEnd := "", -1
	for _, g := range vatCandidates(t, k) {
		if re.MatchString(g.compact) && (cc != "DE" || validGermanVAT(g.compact)) {
			best, bestEnd = cc+g.compact, g.end
		}
	}
	if bestEnd < 0 {
		return -1
	}
	s.add(TypeVATID, i, bestEnd, best)
	return bestEnd
}

// groups reads up to n alphanumeric characters from i, letting single
// spaces separate groups of four (as IBANs are printed), and returns the
// upper-cased compact form and its end. The end must be a token boundary.
func groups(t string, i, n int, upper bool) (string, int) {
	var b strings.Builder
	j := i
	for j < len(t) && b.Len() < n {
		c := t[j]
		switch {
		case isDigit(c) || isUpperASCII(c) || (!upper && c >= 'a' && c <= 'z'):
			b.WriteByte(c)
			j++
		case c == ' ' && b.Len()%4 == 0 && b.Len() > 0 && j+1 < len(t) && isAlnumASCII(t[j+1]):
			j++
		default:
			return b.String(), j
		}
	}
	if !boundaryAt(t, j) {
		return "", j
	}
	return b.String(), j
}

func isAlnumASCII(c byte) bool { return isDigit(c) || isUpperASCII(c) || c >= 'a' && c <= 'z' }

// validIBAN checks the mod-97 check digits of a compact IBAN.
func validIBAN(iban string) bool {
	r := iban[4:] + iban[:4]
	mod := 0
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case isDigit(c):
			mod = (mod*10 + int(c-'0')) % 97
		case isUpperASCII(c):
			mod = (mod*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return mod == 1
}

type vatCandidate struct {
	compact string
	end     int
}

// vatCandidates returns the compact forms of one, two, … space-separated
// groups of capitals and digits from k (DE 123 456 789).
func vatCandidates(t string, k int) []vatCandidate {
	var out []vatCandidate
	var b strings.Builder
	j := k
	for len(out) < 5 && b.Len() < 14 {
		start := j
		for j < len(t) && (isDigit(t[j]) || isUpperASCII(t[j]) || t[j] == '+' || t[j] == '*') && b.Len() < 14 {
			b.WriteByte(t[j])
			j++
		}
		if j == start || !boundaryAt(t, j) && !(j < len(t) && (t[j] == '+' || t[j] == '*')) {
			break
		}
		out = append(out, vatCandidate{b.String(), j})
		if j+1 >= len(t) || t[j] != ' ' || !isDigit(t[j+1]) {
			break
		}
		j++
	}
	return out
}

// validGermanVAT checks the ISO 7064 MOD 11,10 check digit of the nine
// digits of a German VAT id.
func validGermanVAT(d string) bool {
	if len(d) != 9 || d[0] == '0' {
		return false
	}
	product := 10
	for i := 0; i < 8; i++ {
		sum := (int(d[i]-'0') + product) % 10
		if sum == 0 {
			sum = 10
		}
		product = (2 * sum) % 11
	}
	check := 11 - product
	if check == 10 {
		check = 0
	}
	return check == int(d[8]-'0')
}

// validGTIN checks the check digit of an EAN-8, UPC-A (12), EAN-13 or
// GTIN-14.
func validGTIN(d string) bool {
	switch len(d) {
	case 8, 12, 13, 14:
	default:
		return false
	}
	if !allDigits(d) {
		return false
	}
	sum := 0
	for i := len(d) - 2; i >= 0; i-- {
		w := 1
		if (len(d)-2-i)%2 == 0 {
			w = 3
		}
		sum += int(d[i]-'0') * w
	}
	return (10-sum%10)%10 == int(d[len(d)-1]-'0')
}

// etim recognises ETIM class (EC000123) and feature (EF000123) codes.
func (s *scanner) etim(i int) int {
	t := s.text
	if i+8 > len(t) || t[i] != 'E' || t[i+1] != 'C' && t[i+1] != 'F' || !allDigits(t[i+2:i+8]) || !boundaryAt(t, i+8) {
		return -1
	}
	s.add(TypeProduct, i, i+8, t[i:i+8])
	return i + 8
}

// keywordKind says what a keyword introduces.
type keywordKind int

const (
	kwProduct keywordKind = iota + 1
	kwGTIN
	kwTaxNumber
)

// keywords introduce product numbers and tax numbers. Longer spellings
// come before their prefixes.
var keywords = []struct {
	word string
	kind keywordKind
}{
	{"Artikelnummer", kwProduct}, {"Artikel-Nr.", kwProduct}, {"Artikelnr.", kwProduct},
	{"Art.-Nr.", kwProduct}, {"Art.Nr.", kwProduct}, {"Art-Nr.", kwProduct}, {"Art. Nr.", kwProduct},
	{"Bestellnummer", kwProduct}, {"Bestell-Nr.", kwProduct}, {"Bestellnr.", kwProduct},
	{"Part Number", kwProduct}, {"Part No.", kwProduct}, {"Part No", kwProduct}, {"Part-No.", kwProduct},
	{"SKU", kwProduct}, {"Materialnummer", kwProduct}, {"Mat.-Nr.", kwProduct},
	{"EAN-Code", kwGTIN}, {"EAN/GTIN", kwGTIN}, {"EAN", kwGTIN}, {"GTIN", kwGTIN},
	{"Steuernummer", kwTaxNumber}, {"Steuer-Nummer", kwTaxNumber}, {"Steuer-Nr.", kwTaxNumber},
	{"Steuernr.", kwTaxNumber}, {"St.-Nr.", kwTaxNumber}, {"St.Nr.", kwTaxNumber}, {"StNr.", kwTaxNumber},
	{"StNr", kwTaxNumber},
}

// taxNumberRE matches the German tax number formats: 12/345/67890,
// 123/456/78901, 12345/67890 and the 13-digit federal form.
var taxNumberRE = regexp.MustCompile(`^(?:\d{2,3}/\d{3}/\d{4,5}|\d{5}/\d{5}|\d{3} \d{3} \d{5}|\d{10,13})`)

// productCodeRE matches an article number: letters, digits and inner
// separators, at least one digit.
var productCodeRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9]|[-./][A-Za-z0-9]){0,39}`)

// keyword recognises a keyword and the number it introduces.
func (s *scanner) keyword(i int) int {
	t := s.text
	for _, kw := range keywords {
		if !strings.HasPrefix(t[i:], kw.word) {
			continue
		}
		k := i + len(kw.word)
		if isWordRune(lastRune(kw.word)) && !boundaryAt(t, k) {
			continue
		}
		k = afterLabel(t, k)
		switch kw.kind {
		case kwTaxNumber:
			m := taxNumberRE.FindString(t[k:])
			if m == "" || !boundaryAt(t, k+len(m)) || k+len(m) < len(t) && t[k+len(m)] == '/' {
				return -1
			}
			s.add(TypeTaxNumber, k, k+len(m), strings.ReplaceAll(m, " ", ""))
			return k + len(m)
		case kwGTIN:
			e := k
			for e < len(t) && isDigit(t[e]) {
				e++
			}
			if !boundaryAt(t, e) || !validGTIN(t[k:e]) {
				return -1
			}
			s.add(TypeProduct, k, e, t[k:e])
			return e
		default:
			m := productCodeRE.FindString(t[k:])
			if m == "" || !strings.ContainsAny(m, "0123456789") || !boundaryAt(t, k+len(m)) {
				return -1
			}
			s.add(TypeProduct, k, k+len(m), m)
			return k + len(m)
		}
	}
	return -1
}

// afterLabel skips the punctuation and space between a label and its
// value: "Steuernummer: ", "SKU # ", "EAN-13: ".
func afterLabel(t string, k int) int {
	if strings.HasPrefix(t[k:], "-13") || strings.HasPrefix(t[k:], "-8") {
		k += len("-1")
		for k < len(t) && isDigit(t[k]) {
			k++
		}
	}
	for n := 0; k < len(t) && n < 4; n++ {
		switch t[k] {
		case ':', '#', ' ', '\t':
			k++
		default:
			return k
		}
	}
	return k
}

// phoneKeywords precede national phone numbers (0…).
var phoneKeywords = []string{"Tel", "tel", "Telefon", "telefon", "Fon", "Fax", "fax", "Mobil", "mobil", "Handy", "Phone", "phone", "Mobile"}

// phoneKeywordBefore reports whether a phone keyword ends shortly before
// i: "Tel.: 030 …", "Telefon (0…".
func phoneKeywordBefore(t string, i int) bool {
	lo := max(0, i-16)
	window := t[lo:i]
	for _, kw := range phoneKeywords {
		if p := strings.LastIndex(window, kw); p >= 0 {
			rest := window[p+len(kw):]
			if strings.Trim(rest, "efonax.:() /-\t") == "" {
				return true
			}
		}
	}
	return false
}

// phone recognises a German phone number: +49 …, 0049 …, or 0… after a
// phone keyword (national set), with 9 to 15 digits.
func (s *scanner) phone(i int, national bool) int {
	t := s.text
	var digits strings.Builder
	j := i
	switch {
	case strings.HasPrefix(t[i:], "+49"):
		j = i + 3
	case strings.HasPrefix(t[i:], "0049"):
		j = i + 4
	case national && t[i] == '0':
		j = i + 1
	default:
		return -1
	}
	last := j
	for j < len(t) && digits.Len() < 16 {
		c := t[j]
		switch {
		case isDigit(c):
			digits.WriteByte(c)
			j++
			last = j
		case strings.HasPrefix(t[j:], "(0)"):
			j += 3
		case c == ' ' || c == '-' || c == '/' || c == '(' || c == ')':
			j++
		default:
			goto done
		}
	}
done:
	if n := digits.Len(); n < 7 || n > 13 || !boundaryAt(t, last) {
		return -1
	}
	s.add(TypePhone, i, last, "+49"+strings.TrimLeft(digits.String(), "0"))
	return last
}

// url recognises http(s) and www. addresses.
func (s *scanner) url(i int) int {
	t := s.text
	if !strings.HasPrefix(t[i:], "http://") && !strings.HasPrefix(t[i:], "https://") && !strings.HasPrefix(t[i:], "www.") {
		return -1
	}
	j := i
	for j < len(t) && j-i < 2048 {
		c := t[j]
		if c <= ' ' || c == '<' || c == '>' || c == '"' || c == '\'' || c == '|' || c >= 0x80 && !strings.HasPrefix(t[j:], "ä") && !strings.HasPrefix(t[j:], "ö") && !strings.HasPrefix(t[j:], "ü") {
			break
		}
		j++
	}
	for j > i && strings.IndexByte(".,;:!?)]}", t[j-1]) >= 0 {
		j--
	}
	if j-i < len("www.x.de") || !strings.Contains(t[i:j], ".") {
		return -1
	}
	s.add(TypeURL, i, j, t[i:j])
	return j
}

// emails finds e-mail addresses around each '@'.
func (s *scanner) emails() {
	t := s.text
	for off := 0; off < len(t); {
		p := strings.IndexByte(t[off:], '@')
		if p < 0 {
			return
		}
		at := off + p
		off = at + 1
		start := at
		for start > 0 && start > at-64 && isEmailLocal(t[start-1]) {
			start--
		}
		for start < at && t[start] == '.' {
			start++
		}
		end := at + 1
		for end < len(t) && end-at < 255 && (isAlnumASCII(t[end]) || t[end] == '.' || t[end] == '-') {
			end++
		}
		for end > at+1 && (t[end-1] == '.' || t[end-1] == '-') {
			end--
		}
		if start == at || !validDomain(t[at+1:end]) || !boundaryAt(t, end) || start > 0 && isWordRune(lastRune(t[:start])) {
			continue
		}
		s.add(TypeEmail, start, end, strings.ToLower(t[start:end]))
		off = end
	}
}

func isEmailLocal(c byte) bool {
	return isAlnumASCII(c) || strings.IndexByte("._%+-", c) >= 0
}

// validDomain wants at least two labels and a top-level label of two or
// more letters.
func validDomain(d string) bool {
	dot := strings.LastIndexByte(d, '.')
	if dot <= 0 || len(d)-dot-1 < 2 || strings.Contains(d, "..") {
		return false
	}
	for i := dot + 1; i < len(d); i++ {
		if c := d[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
