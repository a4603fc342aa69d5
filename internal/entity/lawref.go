package entity

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// lawRefRE matches a reference to a provision: § 8 Abs. 1 KStG,
// §§ 1, 2 UStG, § 15a Abs. 1 Satz 2 Nr. 3 EStG, Art. 5 Abs. 3 GG. The
// law's abbreviation is checked afterwards (lawAbbrev).
var lawRefRE = regexp.MustCompile(`^(?:§§?|Art\.|Artikel)[ \x{a0}]?\d{1,4}(?: ?[a-z]\b)?` +
	`(?:(?: ?, ?| und | bis | ?[-–] ?| bzw\. | oder )\d{1,4}(?: ?[a-z]\b)?)*` +
	`(?:[ \x{a0}](?:Abs\.|Absatz|Satz|S\.|Nr\.|Nummer|Buchst\.|Buchstabe|lit\.|UAbs\.|Unterabs\.|Unterabsatz|Halbsatz|Hs\.|Alt\.) ?(?:\d{1,4}[a-z]?|[a-z]\b\)?)` +
	`(?:(?: ?, ?| und | bis | ?[-–] ?| bzw\. | oder )(?:\d{1,4}[a-z]?|[a-z]\b\)?))*)*` +
	`(?: ff?\.)?` +
	`(?: [A-ZÄÖÜ][A-Za-zÄÖÜäöüß]{0,11}(?:/[A-Z])?)?`)

// lawRef recognises a § or Art. reference at i.
func (s *scanner) lawRef(i int) int {
	t := s.text
	if t[i] == 'A' && !strings.HasPrefix(t[i:], "Art") {
		return -1
	}
	window := t[i:min(len(t), i+200)]
	m := lawRefRE.FindString(window)
	if m == "" {
		return -1
	}
	// Drop a trailing word that is not a law's abbreviation (a noun
	// starting the next clause).
	if sp := strings.LastIndexByte(m, ' '); sp > 0 {
		last := m[sp+1:]
		if r, _ := utf8.DecodeRuneInString(last); unicode.IsUpper(r) && !lawAbbrev(last) || !boundaryAt(t, i+len(m)) {
			m = strings.TrimRight(m[:sp], " ,")
		}
	}
	for _, w := range []string{" und", " bis", " oder", " bzw.", ","} {
		m = strings.TrimSuffix(m, w)
	}
	if !boundaryAt(t, i+len(m)) && m[len(m)-1] != '.' && m[len(m)-1] != ')' {
		return -1
	}
	if !strings.ContainsAny(m, "0123456789") {
		return -1
	}
	s.add(TypeLawRef, i, i+len(m), canonicalLawRef(m))
	return i + len(m)
}

// lawAbbrev reports whether w looks like a law's abbreviation: short,
// with two or more capitals (KStG, BGB, GG, AO, DSGVO, UStDV, VOB/A).
func lawAbbrev(w string) bool {
	if len(w) > 12 {
		return false
	}
	upper := 0
	for _, r := range w {
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return upper >= 2
}

var (
	lawSpaceRE  = regexp.MustCompile(`[\s\x{a0}]+`)
	lawPrefixRE = regexp.MustCompile(`^(§§|§|Art\.|Artikel) ?`)
	lawLetterRE = regexp.MustCompile(`(\d) ([a-z])\b`)
	lawCommaRE  = regexp.MustCompile(` ?, ?`)
	lawDashRE   = regexp.MustCompile(` ?[-–] ?`)
)

// lawWords maps spelled-out parts to their canonical abbreviation.
var lawWords = strings.NewReplacer(
	"Absatz ", "Abs. ", "Nummer ", "Nr. ", "Buchstabe ", "Buchst. ", "S. ", "Satz ",
	"Unterabsatz ", "UAbs. ", "Unterabs. ", "UAbs. ", "Hs. ", "Halbsatz ",
)

// canonicalLawRef normalises spacing and spelling: "§8 Absatz 1 KStG"
// becomes "§ 8 Abs. 1 KStG", "§§ 1,2 UStG" becomes "§§ 1, 2 UStG".
func canonicalLawRef(m string) string {
	m = lawSpaceRE.ReplaceAllString(m, " ")
	m = lawPrefixRE.ReplaceAllStringFunc(m, func(p string) string {
		p = strings.TrimSpace(p)
		if p == "Artikel" {
			p = "Art."
		}
		return p + " "
	})
	m = lawLetterRE.ReplaceAllString(m, "$1$2")
	m = lawCommaRE.ReplaceAllString(m, ", ")
	m = lawDashRE.ReplaceAllString(m, "-")
	return lawWords.Replace(m)
}
