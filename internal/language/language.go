// Package language detects whether a text is German or English from
// function-word and character statistics. It needs no model files and is
// meant for routing (analyzers, stemmers, prompts), not for linguistics.
package language

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Language codes Detect returns.
const (
	German  = "de"
	English = "en"
)

// maxSample bounds how much of a text Detect reads.
const maxSample = 20 << 10

// minConfidence is the confidence below which Detect answers "".
const minConfidence = 0.2

// stopwords maps lower-case function words to the language they signal
// and a weight. Words common to both languages (in, so, was, an, man,
// will, also) are left out on purpose.
var stopwords = map[string]struct {
	lang   string
	weight float64
}{
	// German
	"der": {German, 1}, "die": {German, 1}, "das": {German, 1}, "und": {German, 1},
	"ist": {German, 1}, "nicht": {German, 1}, "mit": {German, 1}, "von": {German, 1},
	"zu": {German, 1}, "den": {German, 1}, "für": {German, 1}, "auf": {German, 1},
	"dem": {German, 1}, "des": {German, 1}, "ein": {German, 1}, "eine": {German, 1},
	"einer": {German, 1}, "eines": {German, 1}, "einem": {German, 1}, "einen": {German, 1},
	"sich": {German, 1}, "sind": {German, 1}, "wird": {German, 1}, "werden": {German, 1},
	"auch": {German, 1}, "oder": {German, 1}, "nach": {German, 1}, "bei": {German, 1},
	"aus": {German, 1}, "wie": {German, 1}, "wenn": {German, 1}, "dass": {German, 1},
	"daß": {German, 1}, "im": {German, 0.7}, "zum": {German, 1}, "zur": {German, 1},
	"über": {German, 1}, "durch": {German, 1}, "nur": {German, 1}, "noch": {German, 1},
	"kann": {German, 1}, "können": {German, 1}, "muss": {German, 1}, "müssen": {German, 1},
	"hat": {German, 0.8}, "haben": {German, 1}, "wurde": {German, 1}, "wurden": {German, 1},
	"sein": {German, 0.8}, "ich": {German, 1}, "wir": {German, 1}, "sie": {German, 0.8},
	"er": {German, 0.6}, "es": {German, 0.5}, "welche": {German, 1},
	"welcher": {German, 1}, "welches": {German, 1}, "wer": {German, 1},
	"wo": {German, 0.8}, "warum": {German, 1}, "wann": {German, 1}, "hoch": {German, 0.8},
	"gibt": {German, 1}, "soweit": {German, 1}, "sowie": {German, 1}, "gegen": {German, 1},
	"vom": {German, 1}, "unter": {German, 0.8}, "zwischen": {German, 1}, "ohne": {German, 1},
	"ab": {German, 0.5}, "diese": {German, 1}, "dieser": {German, 1}, "dieses": {German, 1},
	"jedoch": {German, 1}, "bis": {German, 0.8}, "kein": {German, 1}, "keine": {German, 1},
	"mehr": {German, 0.8}, "sowohl": {German, 1}, "gilt": {German, 1}, "ihr": {German, 0.8},
	"ihre": {German, 1}, "seine": {German, 1}, "seiner": {German, 1}, "beim": {German, 1},
	"bitte": {German, 1}, "mein": {German, 1}, "meine": {German, 1}, "unsere": {German, 1},
	// English
	"the": {English, 1}, "and": {English, 1}, "of": {English, 1}, "to": {English, 0.8},
	"is": {English, 1}, "that": {English, 1}, "for": {English, 1}, "with": {English, 1},
	"on": {English, 0.8}, "are": {English, 1}, "as": {English, 0.7}, "by": {English, 1},
	"this": {English, 1}, "be": {English, 0.8}, "at": {English, 0.8}, "from": {English, 1},
	"or": {English, 0.8}, "it": {English, 0.8}, "its": {English, 1}, "which": {English, 1},
	"were": {English, 1}, "has": {English, 1}, "have": {English, 1}, "had": {English, 1},
	"not": {English, 1}, "but": {English, 1}, "they": {English, 1}, "their": {English, 1},
	"been": {English, 1}, "would": {English, 1}, "there": {English, 1}, "can": {English, 0.8},
	"what": {English, 1}, "who": {English, 1}, "when": {English, 1}, "where": {English, 1},
	"why": {English, 1}, "how": {English, 1}, "does": {English, 1}, "did": {English, 1},
	"do": {English, 0.8}, "a": {English, 0.6}, "he": {English, 0.8},
	"she": {English, 1}, "we": {English, 0.8}, "you": {English, 1}, "your": {English, 1},
	"our": {English, 1}, "these": {English, 1}, "those": {English, 1}, "than": {English, 1},
	"into": {English, 1}, "about": {English, 1}, "after": {English, 0.8}, "should": {English, 1},
	"shall": {English, 1}, "must": {English, 0.6}, "may": {English, 0.6}, "if": {English, 0.8},
	"other": {English, 1}, "such": {English, 1}, "between": {English, 1},
	"under": {English, 0.8}, "any": {English, 1}, "all": {English, 0.6}, "his": {English, 1},
	"her": {English, 0.8}, "rate": {English, 0.5},
}

// Detect reports whether text is German ("de") or English ("en") with a
// confidence in [0,1]. It answers "" when neither language shows enough
// evidence (another language, code, numbers only, empty text). Only the
// first 20 kB are read. Mixed texts get the language that dominates.
func Detect(text string) (lang string, confidence float64) {
	text = sample(text)
	var s stats
	s.scan(text)
	return s.decide()
}

// sample cuts text to maxSample bytes on a rune boundary.
func sample(text string) string {
	if len(text) <= maxSample {
		return text
	}
	end := maxSample
	for end > 0 && !utf8.RuneStart(text[end]) {
		end--
	}
	return text[:end]
}

// stats gathers the evidence for each language.
type stats struct {
	words  int     // letter words seen
	de, en float64 // weighted evidence
	hits   int     // words that were stopwords of either language
}

func (s *stats) scan(text string) {
	var buf [32]rune
	n := 0
	flush := func() {
		if n > 0 {
			s.word(buf[:min(n, len(buf))])
		}
		n = 0
	}
	for _, r := range text {
		if unicode.IsLetter(r) {
			if n < len(buf) {
				buf[n] = unicode.ToLower(r)
			}
			n++
			continue
		}
		if r == '\'' || r == '’' {
			// don't, it's: the apostrophe is an English signal
			if n > 0 {
				s.en += 0.3
			}
		}
		flush()
	}
	flush()
}

// word scores one lower-cased word (runes beyond the buffer are cut).
func (s *stats) word(w []rune) {
	s.words++
	var b [128]byte
	key := b[:0]
	for _, r := range w {
		key = utf8.AppendRune(key, r)
		switch r {
		case 'ä', 'ö', 'ü':
			s.de += 0.6
		case 'ß':
			s.de += 0.8
		}
	}
	if sw, ok := stopwords[string(key)]; ok && true {
		s.hits++
		if sw.lang == German {
			s.de += sw.weight
		} else {
			s.en += sw.weight
		}
		return
	}
	s.morphology(string(key))
}

// morphology adds small evidence from typical word shapes.
func (s *stats) morphology(w string) {
	if len(w) < 5 {
		return
	}
	switch {
	case strings.HasSuffix(w, "ung"), strings.HasSuffix(w, "keit"), strings.HasSuffix(w, "heit"), strings.HasSuffix(w, "lich"),
		strings.HasSuffix(w, "isch"), strings.HasSuffix(w, "schaft"), strings.HasSuffix(w, "ungen"):
		s.de += 0.3
	case strings.HasSuffix(w, "ing"), strings.HasSuffix(w, "ly"), strings.HasSuffix(w, "ness"), strings.HasSuffix(w, "ship"),
		strings.HasSuffix(w, "tions"), strings.HasSuffix(w, "ity"):
		s.en += 0.3
	}
	if strings.Contains(w, "sch") || strings.Contains(w, "tz") || strings.Contains(w, "cht") {
		s.de += 0.15
	}
	if strings.Contains(w, "th") || strings.Contains(w, "wh") {
		s.en += 0.15
	}
}

// decide turns the evidence into a language and a confidence: the margin
// between the two languages, damped when there is little evidence or when
// the evidence is thin for the length of the text (another language).
func (s *stats) decide() (string, float64) {
	total := s.de + s.en
	if total == 0 || s.words == 0 {
		return "", 0
	}
	best, lang := s.de, German
	if s.en > s.de {
		best, lang = s.en, English
	}
	margin := (best - (total - best)) / total
	amount := 1 - math.Exp(-best/2.5)
	// German and English prose has a stopword in every third or fourth
	// word; far fewer means another language or a list of names.
	density := math.Min(1, best/float64(s.words)/0.12)
	conf := margin * amount * density
	conf = math.Round(conf*1000) / 1000
	if conf < minConfidence {
		return "", conf
	}
	return lang, conf
}
