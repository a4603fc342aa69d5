// Package entity finds typed entities (organisations, people, dates,
// amounts, identifiers, legal references, product codes) in German and
// English text, validates what can be validated (calendar dates, IBAN and
// VAT check digits, GTIN check digits), normalises their values and
// relates entities that occur in the same sentence or table row.
//
// Extraction is one forward scan over the text: at each token start a
// table indexed by the first byte says which recognisers may apply, so
// the cost does not grow with the number of entity types. Recognisers
// favour precision over recall.
package entity

import (
	"cmp"
	"slices"
	"unicode"
	"unicode/utf8"
)

// Entity types.
const (
	TypeOrg       = "ORG"
	TypePerson    = "PERSON"
	TypeDate      = "DATE"
	TypeMoney     = "MONEY"
	TypePercent   = "PERCENT"
	TypeVATID     = "VAT_ID"
	TypeIBAN      = "IBAN"
	TypeTaxNumber = "TAX_NUMBER"
	TypeEmail     = "EMAIL"
	TypePhone     = "PHONE"
	TypeLawRef    = "LAW_REF"
	TypeProduct   = "PRODUCT"
	TypeURL       = "URL"
)

// Entity is one mention found in a text.
type Entity struct {
	Type  string
	Text  string // as found: text[Start:End]
	Value string // normalised, e.g. "DE89370400440532013000", "1234.56 EUR", "2024-03-01", "§ 8 Abs. 1 KStG"
	Start int    // byte offset of the first byte
	End   int    // byte offset after the last byte
}

// Key is the identity of the entity across mentions: "Type:Value".
func (e Entity) Key() string { return e.Type + ":" + e.Value }

// Analyze extracts the entities of text and relates them.
func Analyze(text string) ([]Entity, []Relationship) {
	ents := Extract(text)
	return ents, Relate(text, ents)
}

// Extract returns the entities of text ordered by position, without
// overlaps (where two recognisers claim the same bytes the longer match
// wins).
func Extract(text string) []Entity {
	s := scanner{text: text}
	s.run()
	s.emails()
	return resolve(s.out)
}

// scanner walks a text once and collects candidate entities.
type scanner struct {
	text string
	out  []Entity
}

func (s *scanner) add(typ string, start, end int, value string) {
	if start < 0 || end > len(s.text) || start >= end || value == "" {
		return
	}
	s.out = append(s.out, Entity{Type: typ, Text: s.text[start:end], Value: value, Start: start, End: end})
}

// run visits every token start and tries the recognisers its first byte
// allows. A recogniser returns where the scan goes on (after what it
// found or skipped), or -1 when it found nothing.
func (s *scanner) run() {
	t := s.text
	for i := 0; i < len(t); {
		if !s.tokenStart(i) {
			i++
			continue
		}
		if end := s.at(i); end > i {
			i = end
			continue
		}
		i++
	}
}

// at tries the recognisers for a token starting at i.
func (s *scanner) at(i int) int {
	c := s.text[i]
	switch {
	case c >= '0' && c <= '9':
		return s.numeric(i)
	case c == '+':
		return s.phone(i, false)
	case c == 0xC2 && i+1 < len(s.text) && s.text[i+1] == 0xA7: // §
		return s.lawRef(i)
	case c == 0xE2 || c == '$' || c == 0xC2: // € or £
		return s.currencyFirst(i)
	case c >= 'A' && c <= 'Z':
		return s.upper(i)
	case c == 'e' || c == 'g' || c == 'm':
		return s.legalForm(i)
	case c == 'v' || c == 'r':
		return s.signalPerson(i)
	case c == 'h' || c == 'w':
		return s.url(i)
	}
	return -1
}

// upper tries the recognisers for a token starting with A-Z.
func (s *scanner) upper(i int) int {
	for _, try := range []func(int) int{
		s.ibanOrVAT, s.etim, s.currencyFirst, s.keyword, s.monthFirstDate,
		s.lawRef, s.person, s.legalForm,
	} {
		if end := try(i); end > i {
			return end
		}
	}
	return -1
}

// tokenStart reports whether a token may start at i: the rune before i
// is not a letter or digit.
func (s *scanner) tokenStart(i int) bool {
	if i == 0 {
		return true
	}
	if !utf8.RuneStart(s.text[i]) {
		return false
	}
	return !isWordRune(lastRune(s.text[:i]))
}

// boundaryAt reports whether a token may end at i: the rune at i is not
// a letter or digit.
func boundaryAt(text string, i int) bool {
	if i >= len(text) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return !isWordRune(r)
}

func lastRune(s string) rune {
	if s == "" {
		return ' '
	}
	if c := s[len(s)-1]; c < utf8.RuneSelf {
		return rune(c)
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isUpperASCII(c byte) bool { return c >= 'A' && c <= 'Z' }

// resolve orders candidates by position and drops any that overlaps one
// kept before it; of candidates starting at the same byte the longest
// is kept.
func resolve(ents []Entity) []Entity {
	slices.SortStableFunc(ents, func(a, b Entity) int {
		if c := cmp.Compare(a.Start, b.Start); c != 0 {
			return c
		}
		return cmp.Compare(b.End-b.Start, a.End-a.Start)
	})
	out := ents[:0]
	end := 0
	for _, e := range ents {
		if e.Start < end {
			continue
		}
		out = append(out, e)
		end = e.End
	}
	return out
}
