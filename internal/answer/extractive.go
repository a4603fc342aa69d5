package answer

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Scoring constants of Extractive.
const (
	partialMatch   = 0.5  // a question term inside a compound ("Kaution" in "Mietkaution")
	minPartialLen  = 4    // shortest question term matched inside a compound
	rankBonus      = 0.08 // added for the first source, less for later ones
	scoreBonus     = 0.04 // added in proportion to the retrieval score
	shortWords     = 5    // sentences with fewer words are penalised
	longWords      = 50   // and those with more
	shortPenalty   = 0.6
	minLongFactor  = 0.5
	relativeCutoff = 0.35 // sentences scoring below this share of the best are not quoted
	redundantShare = 0.7  // share of a sentence's terms found in a chosen one that makes it a repeat
	contextShare   = 0.25 // weight of a question term found only in the source's title or section
)

// candidate is one sentence of a source.
type candidate struct {
	text   string
	source int // index into sources
	pos    int // sentence position in its source
	words  int
	keys   map[string]bool
	nums   []string // number keys, facts a repeat must not add
	score  float64
}

// Extractive answers question by quoting the most relevant sentences of
// sources, each followed by its citation, in the question's language.
// It cites nothing and says so when no sentence shares a content term
// with the question.
func Extractive(question string, sources []Source, opts Options) Answer {
	opts = opts.withDefaults()
	lang := answerLanguage(question, sources)
	msg := messagesFor(lang)
	ans := Answer{Language: lang, Mode: ModeExtractive}
	if len(sources) == 0 {
		ans.Text = msg.noSources
		return ans
	}
	cands := candidates(sources)
	scoreCandidates(question, cands, sources)
	chosen := choose(cands, opts)
	if len(chosen) == 0 {
		ans.Text = msg.nothing
		return ans
	}
	var sb strings.Builder
	sb.WriteString(msg.lead)
	sb.WriteByte('\n')
	seen := make(map[int]bool)
	for _, c := range chosen {
		n := sourceNumber(sources[c.source], c.source)
		sb.WriteString("- " + msg.quoteOpen + c.text + msg.quoteClose + " [")
		sb.WriteString(strconv.Itoa(n))
		sb.WriteString("]\n")
		ans.Quotes = append(ans.Quotes, Quote{Source: n, Sentence: c.text})
		if !seen[n] {
			seen[n] = true
			ans.Citations = append(ans.Citations, n)
		}
	}
	sb.WriteByte('\n')
	sb.WriteString(msg.note)
	ans.Text = sb.String()
	return ans
}

// candidates splits every source into sentences with their terms.
func candidates(sources []Source) []*candidate {
	var out []*candidate
	for i, s := range sources {
		for pos, sent := range splitSentences(stripContextLine(s.Text, s.Section)) {
			c := &candidate{text: sent, source: i, pos: pos, keys: make(map[string]bool)}
			c.words = strings.Count(sent, " ") + 1
			for _, t := range terms(sent) {
				c.keys[t.key] = true
				if t.weight == weightNumber {
					c.nums = append(c.nums, t.key)
				}
			}
			out = append(out, c)
		}
	}
	return out
}

// scoreCandidates sets each candidate's score: the IDF-weighted share of
// the question's terms it contains (those only in its source's title or
// section count a little), scaled for length, plus small bonuses for its
// source's rank and retrieval score. A candidate without any question
// term scores 0.
func scoreCandidates(question string, cands []*candidate, sources []Source) {
	qterms := uniqueTerms(terms(question))
	if len(qterms) == 0 || len(cands) == 0 {
		return
	}
	n := float64(len(cands))
	idf := make([]float64, len(qterms))
	total := 0.0
	for i, q := range qterms {
		df := 0
		for _, c := range cands {
			if c.keys[q.key] {
				df++
			}
		}
		idf[i] = math.Log(1 + n/math.Max(float64(df), 0.5))
		total += idf[i] * q.weight
	}
	maxScore := 0.0
	for _, s := range sources {
		maxScore = math.Max(maxScore, s.Score)
	}
	context := make([]map[string]bool, len(sources))
	for i, s := range sources {
		context[i] = make(map[string]bool)
		for _, t := range terms(s.Title + " " + s.Section) {
			context[i][t.key] = true
		}
	}
	for _, c := range cands {
		matched, inContext := 0.0, 0.0
		for i, q := range qterms {
			m := matchStrength(q, c.keys)
			matched += idf[i] * q.weight * m
			if m == 0 && context[c.source][q.key] {
				inContext += idf[i] * q.weight
			}
		}
		if matched == 0 {
			continue
		}
		c.score = (matched + contextShare*inContext) / total * lengthFactor(c.words)
		c.score += rankBonus / float64(c.source+1)
		if maxScore > 0 && sources[c.source].Score > 0 {
			c.score += scoreBonus * sources[c.source].Score / maxScore
		}
	}
}

// uniqueTerms keeps the first occurrence of each key, with the highest
// weight any occurrence had.
func uniqueTerms(ts []term) []term {
	idx := make(map[string]int)
	var out []term
	for _, t := range ts {
		if i, ok := idx[t.key]; ok {
			out[i].weight = math.Max(out[i].weight, t.weight)
			continue
		}
		idx[t.key] = len(out)
		out = append(out, t)
	}
	return out
}

// matchStrength is 1 when the sentence has the question term, partialMatch
// when a word of it starts or ends with the term (German compounds), else 0.
// Numbers and codes with digits match only exactly ("X200" is not "X2000").
func matchStrength(q term, keys map[string]bool) float64 {
	if keys[q.key] {
		return 1
	}
	if len(q.key) < minPartialLen || strings.ContainsAny(q.key, "0123456789") {
		return 0
	}
	for k := range keys {
		if len(k) > len(q.key) && (strings.HasPrefix(k, q.key) || strings.HasSuffix(k, q.key)) {
			return partialMatch
		}
	}
	return 0
}

// lengthFactor penalises fragments and run-on sentences.
func lengthFactor(words int) float64 {
	switch {
	case words < shortWords:
		return shortPenalty
	case words > longWords:
		return math.Max(minLongFactor, float64(longWords)/float64(words))
	}
	return 1
}

// choose returns the best non-redundant candidates within the limits,
// best first. Ties go to the earlier source and sentence.
func choose(cands []*candidate, opts Options) []*candidate {
	sorted := make([]*candidate, 0, len(cands))
	for _, c := range cands {
		if c.score > 0 {
			sorted = append(sorted, c)
		}
	}
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.score != b.score {
			return a.score > b.score
		}
		if a.source != b.source {
			return a.source < b.source
		}
		return a.pos < b.pos
	})
	var chosen []*candidate
	chars := 0
	for _, c := range sorted {
		if len(chosen) == opts.MaxSentences || c.score < relativeCutoff*sorted[0].score {
			break
		}
		if redundant(c, chosen) {
			continue
		}
		size := utf8.RuneCountInString(c.text)
		if chars+size > opts.MaxChars {
			if len(chosen) > 0 {
				continue
			}
			c.text = truncateWords(c.text, opts.MaxChars)
			size = opts.MaxChars
		}
		chars += size
		chosen = append(chosen, c)
	}
	return chosen
}

// redundant reports whether c mostly repeats a chosen sentence: most of
// the terms of the shorter of the two are in the other, and c states no
// number the other lacks.
func redundant(c *candidate, chosen []*candidate) bool {
	for _, o := range chosen {
		if strings.EqualFold(c.text, o.text) {
			return true
		}
		if slices.ContainsFunc(c.nums, func(n string) bool { return !o.keys[n] }) {
			continue
		}
		small, large := c.keys, o.keys
		if len(small) > len(large) {
			small, large = large, small
		}
		if len(small) == 0 {
			continue
		}
		shared := 0
		for k := range small {
			if large[k] {
				shared++
			}
		}
		if float64(shared) >= redundantShare*float64(len(small)) {
			return true
		}
	}
	return false
}

// truncateWords cuts s to at most limit runes at a word, marking the cut
// with "…".
func truncateWords(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	runes := []rune(s)
	cut := string(runes[:max(limit-1, 0)])
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + "…"
}
