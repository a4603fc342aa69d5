package entity

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// RelCoOccurs is the type of a relationship between two entities named
// in the same sentence or table row.
const RelCoOccurs = "co_occurs"

// Bounds that keep Relate linear on hostile input.
const (
	maxUnitEntities = 20   // entities related per sentence or row
	maxEvidence     = 300  // bytes of evidence kept
	maxRelations    = 5000 // relationships per text
)

// Relationship links two entities by their keys ("Type:Value"). From is
// the key that sorts first, so a pair has one spelling.
type Relationship struct {
	From, To string
	Type     string
	Evidence string // the sentence or row, clipped
}

// Relate pairs the entities that occur in the same sentence, or in the
// same row where the text renders a table as "a | b | c" lines. ents must
// come from Extract(text). There is one relationship per pair and unit;
// callers count repeats as weight.
func Relate(text string, ents []Entity) []Relationship {
	var out []Relationship
	e := 0
	for _, u := range units(text, ents) {
		for e < len(ents) && ents[e].Start < u.start {
			e++
		}
		var keys []string
		seen := map[string]bool{}
		for k := e; k < len(ents) && ents[k].Start < u.end && len(keys) < maxUnitEntities; k++ {
			if key := ents[k].Key(); !seen[key] {
				seen[key] = true
				keys = append(keys, key)
			}
		}
		if len(keys) < 2 {
			continue
		}
		ev := clip(strings.TrimSpace(text[u.start:u.end]), maxEvidence)
		for a := 0; a < len(keys); a++ {
			for b := a + 1; b < len(keys); b++ {
				from, to := keys[a], keys[b]
				if to < from {
					from, to = to, from
				}
				out = append(out, Relationship{From: from, To: to, Type: RelCoOccurs, Evidence: ev})
				if len(out) >= maxRelations {
					return out
				}
			}
		}
	}
	return out
}

// span is a sentence or row of a text.
type span struct{ start, end int }

// units splits text into table rows (lines with " | ") and sentences of
// the other lines; a blank line ends a sentence, and no boundary falls
// inside an entity.
func units(text string, ents []Entity) []span {
	var out []span
	para := -1 // start of the current run of prose lines
	for off := 0; off <= len(text); {
		nl := strings.IndexByte(text[off:], '\n')
		end := len(text)
		if nl >= 0 {
			end = off + nl
		}
		line := text[off:end]
		switch {
		case strings.Contains(line, " | "):
			if para >= 0 {
				out = sentences(text, para, off, ents, out)
				para = -1
			}
			out = append(out, span{off, end})
		case strings.TrimSpace(line) == "":
			if para >= 0 {
				out = sentences(text, para, off, ents, out)
				para = -1
			}
		default:
			if para < 0 {
				para = off
			}
		}
		if nl < 0 {
			break
		}
		off = end + 1
	}
	if para >= 0 {
		out = sentences(text, para, len(text), ents, out)
	}
	return out
}

// abbreviations end with a dot that does not end a sentence.
var abbreviations = map[string]bool{
	"abs": true, "nr": true, "dr": true, "prof": true, "art": true, "z.b": true, "bzw": true, "ca": true,
	"co": true, "vgl": true, "s": true, "str": true, "inc": true, "ltd": true, "mr": true, "mrs": true,
	"ms": true, "st": true, "u.a": true, "d.h": true, "i.v.m": true, "e.v": true, "mio": true, "mrd": true,
	"tsd": true, "ggf": true, "evtl": true, "inkl": true, "zzgl": true, "gem": true, "buchst": true,
	"vs": true, "etc": true, "no": true, "bzgl": true, "gebr": true, "dipl.-ing": true, "e.g": true, "i.e": true,
}

// sentences appends the sentences of text[start:end].
func sentences(text string, start, end int, ents []Entity, out []span) []span {
	s := start
	e := 0
	for i := start; i < end; i++ {
		c := text[i]
		if c != '.' && c != '!' && c != '?' && c != ';' {
			continue
		}
		j := i + 1
		if j < end && !isSpaceByte(text[j]) {
			continue
		}
		for e < len(ents) && ents[e].End <= i {
			e++
		}
		if e < len(ents) && ents[e].Start <= i {
			continue // inside an entity: 1. Februar, Dr., GmbH & Co. KG
		}
		if c == '.' && !sentenceDot(text, start, i) {
			continue
		}
		out = append(out, span{s, j})
		s = j
	}
	if strings.TrimSpace(text[s:end]) != "" {
		out = append(out, span{s, end})
	}
	return out
}

// sentenceDot reports whether the dot at i ends a sentence: it does not
// follow an abbreviation, a single letter or an ordinal number.
func sentenceDot(text string, start, i int) bool {
	ws := i
	for ws > start && !isSpaceByte(text[ws-1]) && text[ws-1] != '(' {
		ws--
	}
	w := strings.ToLower(text[ws:i])
	if r, _ := utf8.DecodeRuneInString(w); abbreviations[w] || utf8.RuneCountInString(w) == 1 && unicode.IsLetter(r) {
		return false
	}
	if w != "" && len(w) <= 2 && strings.IndexFunc(w, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
		return false // 1. Februar, 3. Absatz
	}
	return true
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// clip cuts s to at most n bytes on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	end := n
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + "…"
}
