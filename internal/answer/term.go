package answer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// stopwords are German and English function words and question words,
// in folded form (lower case, umlauts as ae/oe/ue, ß as ss). They carry
// no content for matching a question to a sentence.
var stopwords = makeSet(
	// German
	"der die das den dem des ein eine einer eines einem einen und oder aber "+
		"ist sind war waren wird werden wurde wurden sein seine seiner seinem seinen ihr ihre ihren ihrem "+
		"hat haben hatte hatten kann koennen konnte muss muessen musste darf duerfen soll sollen sollte "+
		"mit von vom zu zum zur fuer auf an am im in ins aus bei beim nach ueber unter vor hinter "+
		"durch gegen ohne um bis ab seit als wie wenn dass dass ob so auch noch nur schon nicht kein keine "+
		"keinen keiner es er sie wir ich du man sich mich mir uns euch dies diese dieser dieses diesem diesen "+
		"jede jeder jedes jeden welche welcher welches welchen wer was wo wann warum wieso weshalb wieviel "+
		"wie viel viele hoch lange gibt gilt bitte mal denn doch ja nein etwa dazu daran damit dabei "+
		"hier dort da sowie bzw usw etc mein meine meinen unser unsere unseren euer eure",
	// English
	"the a an and or but is are was were be been being has have had do does did "+
		"can could shall should will would may might must of to in on at by for with from "+
		"about into over under after before than then as if so not no this that these those "+
		"it its he she they we i you me us them my our your their his her which who whom whose "+
		"what when where why how much many there here any some all each please also just "+
		"get gets got tell give",
)

func makeSet(lists ...string) map[string]bool {
	m := make(map[string]bool)
	for _, l := range lists {
		for _, w := range strings.Fields(l) {
			m[w] = true
		}
	}
	return m
}

// Weights of question terms beyond their rarity.
const (
	weightWord   = 1.0
	weightEntity = 1.5 // acronyms and product codes: EStG, GmbH, X200
	weightNumber = 2.0 // numbers and dates: matched exactly, never in part
)

// term is one content word of a text in matching form.
type term struct {
	key    string
	weight float64
}

// terms returns the content terms of s in order, repeats included.
func terms(s string) []term {
	var out []term
	for _, tok := range tokens(s) {
		folded := fold(tok)
		if stopwords[folded] {
			continue
		}
		hasDigit := strings.IndexFunc(tok, unicode.IsDigit) >= 0
		hasLetter := strings.IndexFunc(tok, unicode.IsLetter) >= 0
		switch {
		case hasDigit && !hasLetter:
			out = append(out, term{key: tok, weight: weightNumber})
		case hasDigit:
			out = append(out, term{key: folded, weight: weightEntity})
		case len(folded) < 2:
			continue
		case isEntity(tok):
			out = append(out, term{key: stem(folded), weight: weightEntity})
		default:
			out = append(out, term{key: stem(folded), weight: weightWord})
		}
	}
	return out
}

// tokens cuts s into words: runs of letters and digits, with dots and
// commas inside numbers ("1.234,56", "01.02.2024") kept.
func tokens(s string) []string {
	var out []string
	start := -1
	var prev rune
	for i, r := range s {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r)
		if !inWord && (r == '.' || r == ',') && start >= 0 && unicode.IsDigit(prev) {
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			inWord = unicode.IsDigit(next)
		}
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			out = append(out, s[start:i])
			start = -1
		}
		prev = r
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// isEntity reports whether a word looks like a name rather than a common
// word: capitals after the first letter (EStG, GmbH, iPhone).
func isEntity(tok string) bool {
	for i, r := range tok {
		if i > 0 && unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// fold lower-cases s and writes umlauts and ß as ae, oe, ue, ss.
func fold(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s) + 2)
	for _, r := range s {
		switch r = unicode.ToLower(r); r {
		case 'ä':
			sb.WriteString("ae")
		case 'ö':
			sb.WriteString("oe")
		case 'ü':
			sb.WriteString("ue")
		case 'ß':
			sb.WriteString("ss")
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// suffixes are stripped, first match only, to bring German and English
// plurals and inflections to one key ("Mieten", "Miete" → "miet";
// "warranties" → "warranty"). Each is replaced by the value.
var suffixes = []struct{ from, to string }{
	{"ungen", "ung"}, {"heiten", "heit"}, {"keiten", "keit"}, {"innen", "in"},
	{"ies", "y"}, {"ern", ""}, {"en", ""}, {"em", ""}, {"er", ""}, {"es", ""}, {"e", ""}, {"s", ""},
}

// minStem is the shortest stem suffix stripping may leave.
const minStem = 3

// stem returns the matching key of a folded word. Umlaut spellings are
// merged with their base vowel so that "Verträge" meets "Vertrag".
func stem(w string) string {
	for _, s := range suffixes {
		if strings.HasSuffix(w, s.from) && len(w)-len(s.from)+len(s.to) >= minStem && len(w) > len(s.from)+1 {
			w = w[:len(w)-len(s.from)] + s.to
			break
		}
	}
	return mergeUmlauts(w)
}

// mergeUmlauts writes the folded umlauts ae, oe, ue as a, o, u.
func mergeUmlauts(w string) string {
	if !strings.Contains(w, "e") {
		return w
	}
	b := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		b = append(b, w[i])
		if i+1 < len(w) && w[i+1] == 'e' && (w[i] == 'a' || w[i] == 'o' || w[i] == 'u') {
			i++
		}
	}
	return string(b)
}
