package entity

import (
	"strconv"
	"strings"
	"time"
)

// numeric tries the recognisers for a token starting with a digit:
// phone numbers after a phone keyword, dates, percentages and amounts.
// Where nothing matches it skips the whole number.
func (s *scanner) numeric(i int) int {
	t := s.text
	if t[i] == '0' && phoneKeywordBefore(t, i) {
		if end := s.phone(i, true); end > i {
			return end
		}
	}
	j := numberEnd(t, i)
	if end := s.numericDate(i, j); end > i {
		return end
	}
	if end := s.amountAfter(i, spacedGroups(t, i, j)); end > i {
		return end
	}
	return j
}

// spacedGroups extends the number text[i:j] over thousands groups
// separated by spaces, as laws print them: 10 000 Euro, 1 500 000 Euro.
func spacedGroups(t string, i, j int) int {
	if j-i > 3 || !allDigits(t[i:j]) {
		return j
	}
	for {
		sp := spaceAt(t, j)
		k := j + sp
		if sp == 0 || k+3 > len(t) || !allDigits(t[k:k+3]) || k+3 < len(t) && isDigit(t[k+3]) {
			return j
		}
		j = numberEnd(t, k)
		if j != k+3 && t[k+3] != ',' {
			return k - sp
		}
		if j != k+3 {
			return j
		}
	}
}

// numberEnd returns the end of the number starting at i: digits with
// single '.' or ',' between them.
func numberEnd(t string, i int) int {
	j := i
	for j < len(t) {
		switch {
		case isDigit(t[j]):
			j++
		case (t[j] == '.' || t[j] == ',') && j+1 < len(t) && isDigit(t[j+1]) && j > i:
			j++
		default:
			return j
		}
	}
	return j
}

// spaceAt returns the width of the space at i (ASCII space, no-break
// space or narrow no-break space), or 0.
func spaceAt(t string, i int) int {
	switch {
	case i >= len(t):
		return 0
	case t[i] == ' ':
		return 1
	case strings.HasPrefix(t[i:], "\u00a0"):
		return 2
	case strings.HasPrefix(t[i:], "\u202f"):
		return 3
	}
	return 0
}

// skipSpace skips at most one space at i.
func skipSpace(t string, i int) int { return i + spaceAt(t, i) }

// numericDate recognises 01.02.2024, 2024-02-01, 1. Februar 2024 and
// 1 Feb 2024 for the number text[i:j].
func (s *scanner) numericDate(i, j int) int {
	t := s.text
	tok := t[i:j]
	if parts := strings.Split(tok, "."); len(parts) == 3 && len(parts[0]) <= 2 && len(parts[1]) <= 2 && len(parts[2]) == 4 &&
		boundaryAt(t, j) {
		return s.date(i, j, parts[2], parts[1], parts[0])
	}
	if len(tok) == 4 && j+6 <= len(t) && t[j] == '-' && isDigit(t[j+1]) && isDigit(t[j+2]) && t[j+3] == '-' &&
		isDigit(t[j+4]) && isDigit(t[j+5]) && (boundaryAt(t, j+6) || t[j+6] == 'T') {
		return s.date(i, j+6, tok, t[j+1:j+3], t[j+4:j+6])
	}
	if len(tok) > 2 {
		return -1
	}
	k := j
	if k < len(t) && t[k] == '.' {
		k++
	}
	k = skipSpace(t, k)
	if k == j {
		return -1
	}
	month, k2 := monthAt(t, k)
	if month == 0 {
		return -1
	}
	k = skipSpace(t, k2)
	if k == k2 || k+4 > len(t) || !allDigits(t[k:k+4]) || !boundaryAt(t, k+4) {
		return -1
	}
	return s.date(i, k+4, t[k:k+4], strconv.Itoa(month), tok)
}

// monthFirstDate recognises February 1, 2024 and Feb. 1st, 2024.
func (s *scanner) monthFirstDate(i int) int {
	t := s.text
	month, k := monthAt(t, i)
	if month == 0 {
		return -1
	}
	k = skipSpace(t, k)
	d := k
	for d < len(t) && d-k < 2 && isDigit(t[d]) {
		d++
	}
	if d == k {
		return -1
	}
	day := t[k:d]
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if strings.HasPrefix(t[d:], suf) {
			d += len(suf)
			break
		}
	}
	if d < len(t) && t[d] == ',' {
		d++
	}
	y := skipSpace(t, d)
	if y == d || y+4 > len(t) || !allDigits(t[y:y+4]) || !boundaryAt(t, y+4) {
		return -1
	}
	return s.date(i, y+4, t[y:y+4], strconv.Itoa(month), day)
}

// date adds a DATE for text[start:end] when year, month and day make a
// calendar date.
func (s *scanner) date(start, end int, year, month, day string) int {
	y, err1 := strconv.Atoi(year)
	m, err2 := strconv.Atoi(month)
	d, err3 := strconv.Atoi(day)
	if err1 != nil || err2 != nil || err3 != nil || y < 1800 || y > 2199 || m < 1 || m > 12 || d < 1 {
		return -1
	}
	tm := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if tm.Day() != d || int(tm.Month()) != m {
		return -1
	}
	s.add(TypeDate, start, end, tm.Format("2006-01-02"))
	return end
}

// monthAt reads a month name (German or English, full or abbreviated,
// with an optional dot) at i and returns its number and end.
func monthAt(t string, i int) (int, int) {
	j := i
	for j < len(t) && j-i < 12 {
		c := t[j]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			j++
			continue
		}
		if strings.HasPrefix(t[j:], "ä") {
			j += 2
			continue
		}
		break
	}
	if j-i < 3 || !boundaryAt(t, j) {
		return 0, i
	}
	m := months[strings.ToLower(t[i:j])]
	if m == 0 {
		return 0, i
	}
	if j < len(t) && t[j] == '.' {
		j++
	}
	return m, j
}

// months maps lower-case month names to their numbers.
var months = map[string]int{
	"januar": 1, "jänner": 1, "january": 1, "jan": 1,
	"februar": 2, "february": 2, "feb": 2,
	"märz": 3, "maerz": 3, "march": 3, "mär": 3, "mar": 3, "mrz": 3,
	"april": 4, "apr": 4,
	"mai": 5, "may": 5,
	"juni": 6, "june": 6, "jun": 6,
	"juli": 7, "july": 7, "jul": 7,
	"august": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "october": 10, "okt": 10, "oct": 10,
	"november": 11, "nov": 11,
	"dezember": 12, "december": 12, "dez": 12, "dec": 12,
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// percentWords follow a number to make a percentage.
var percentWords = []string{"%", "Prozent", "prozent", "percent", "per cent", "vom Hundert", "v. H.", "v.H."}

// multipliers scale an amount: 1,5 Mio. €.
var multipliers = []struct {
	word   string
	factor float64
}{
	{"Millionen", 1e6}, {"Milliarden", 1e9}, {"million", 1e6}, {"billion", 1e9},
	{"Mio.", 1e6}, {"Mio", 1e6}, {"Mrd.", 1e9}, {"Mrd", 1e9}, {"Mill.", 1e6},
	{"Tsd.", 1e3}, {"Tsd", 1e3}, {"bn", 1e9},
}

// currencies name a currency before or after an amount; a factor scales
// it (TEUR is thousands of euros).
var currencies = []struct {
	word   string
	code   string
	factor float64
}{
	{"TEUR", "EUR", 1e3}, {"T€", "EUR", 1e3}, {"EUR", "EUR", 1}, {"Euro", "EUR", 1}, {"€", "EUR", 1},
	{"USD", "USD", 1}, {"US-Dollar", "USD", 1}, {"US$", "USD", 1}, {"$", "USD", 1}, {"Dollar", "USD", 1},
	{"GBP", "GBP", 1}, {"£", "GBP", 1}, {"CHF", "CHF", 1},
}

// amountAfter recognises a percentage or an amount whose number is
// text[i:j] and whose unit follows.
func (s *scanner) amountAfter(i, j int) int {
	t := s.text
	k := skipSpace(t, j)
	for _, w := range percentWords {
		if strings.HasPrefix(t[k:], w) && (w == "%" || w[len(w)-1] == '.' || boundaryAt(t, k+len(w))) {
			v, ok := parseNumber(t[i:j], true)
			if !ok {
				return -1
			}
			s.add(TypePercent, i, k+len(w), strconv.FormatFloat(v, 'f', -1, 64)+"%")
			return k + len(w)
		}
	}
	factor := 1.0
	for _, m := range multipliers {
		if strings.HasPrefix(t[k:], m.word) && (m.word[len(m.word)-1] == '.' || boundaryAt(t, k+len(m.word))) {
			factor = m.factor
			k = skipSpace(t, k+len(m.word))
			break
		}
	}
	code, f, end := currencyAt(t, k)
	if code == "" {
		return -1
	}
	v, ok := parseNumber(t[i:j], factor != 1)
	if !ok {
		return -1
	}
	s.add(TypeMoney, i, end, formatMoney(v*factor*f, code))
	return end
}

// currencyFirst recognises amounts written currency first: € 1.234,56,
// EUR 1,234.56, $1,234.56, TEUR 500, EUR 1,5 Mio.
func (s *scanner) currencyFirst(i int) int {
	t := s.text
	code, f, k := currencyAt(t, i)
	if code == "" {
		return -1
	}
	n := skipSpace(t, k)
	if n >= len(t) || !isDigit(t[n]) {
		return -1
	}
	j := numberEnd(t, n)
	if !boundaryAt(t, j) {
		return -1
	}
	end := j
	factor := 1.0
	if m := skipSpace(t, j); m > j {
		for _, mu := range multipliers {
			if strings.HasPrefix(t[m:], mu.word) && (mu.word[len(mu.word)-1] == '.' || boundaryAt(t, m+len(mu.word))) {
				factor, end = mu.factor, m+len(mu.word)
				break
			}
		}
	}
	v, ok := parseNumber(t[n:j], factor != 1)
	if !ok {
		return -1
	}
	s.add(TypeMoney, i, end, formatMoney(v*factor*f, code))
	return end
}

// currencyAt reads a currency word or sign at i.
func currencyAt(t string, i int) (code string, factor float64, end int) {
	for _, c := range currencies {
		if !strings.HasPrefix(t[i:], c.word) {
			continue
		}
		e := i + len(c.word)
		if isWordRune(lastRune(c.word)) && !boundaryAt(t, e) {
			continue
		}
		return c.code, c.factor, e
	}
	return "", 0, i
}

func formatMoney(v float64, code string) string {
	return strconv.FormatFloat(v, 'f', 2, 64) + " " + code
}

// parseNumber reads a number written with German or English separators.
// Where both '.' and ',' occur the last one is the decimal separator; a
// single separator followed by three digits is a thousands separator
// unless decimal is set (percentages, amounts with a multiplier).
// Thousands groups must have three digits, so version numbers like
// 1.2.3 are refused.
func parseNumber(tok string, decimal bool) (float64, bool) {
	if strings.ContainsAny(tok, " \u00a0\u202f") {
		tok = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(tok)
	}
	lastDot, lastComma := strings.LastIndexByte(tok, '.'), strings.LastIndexByte(tok, ',')
	dec := byte(0)
	switch {
	case lastDot >= 0 && lastComma >= 0:
		dec = tok[max(lastDot, lastComma)]
	case lastDot >= 0 || lastComma >= 0:
		p := max(lastDot, lastComma)
		sep := tok[p]
		if strings.Count(tok, string(sep)) == 1 && (decimal || len(tok)-p-1 != 3) {
			dec = sep
		}
	}
	var b strings.Builder
	intPart, frac := tok, ""
	if dec != 0 {
		p := strings.LastIndexByte(tok, dec)
		intPart, frac = tok[:p], tok[p+1:]
		if strings.IndexByte(intPart, dec) >= 0 {
			return 0, false
		}
	}
	groups := strings.FieldsFunc(intPart, func(r rune) bool { return r == '.' || r == ',' })
	for n, g := range groups {
		if n > 0 && len(g) != 3 || n == 0 && len(groups) > 1 && len(g) > 3 {
			return 0, false
		}
		b.WriteString(g)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	v, err := strconv.ParseFloat(b.String(), 64)
	return v, err == nil
}
