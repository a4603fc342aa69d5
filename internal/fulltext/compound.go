package fulltext

import "unicode/utf8"

// German compounds are split at query time only, and only when a query
// word's stem is not indexed: "Mietvertragskündigung" then searches for
// "mietvertrag" and "kundig" where documents say "Kündigung des
// Mietvertrags". The index's own vocabulary is the dictionary, so the split
// adapts to the corpus and costs nothing at indexing time.
const (
	minCompound = 8 // shortest word worth splitting, in bytes
	minPart     = 3 // shortest part
)

// linkingSuffixes are the German linking elements (Fugenelemente) a head
// may end in: "Mietvertrag-s-kündigung", "Hund-e-hütte".
var linkingSuffixes = []string{"", "s", "es", "n", "en", "e", "er"}

// splitCompound returns the stems of a head and a tail that word is made of,
// both indexed, preferring the longest tail (German compounds put the head
// word last). Called under the read lock.
func (x *Index) splitCompound(word string) (head, tail string, ok bool) {
	for i := minPart; i <= len(word)-minPart; i++ {
		if !utf8.RuneStart(word[i]) {
			continue
		}
		// Uncached: the candidate tails are mostly not words.
		tail = stemUncached(germanPipe, []byte(word[i:]))
		if _, ok := x.terms[tail]; !ok {
			continue
		}
		for _, link := range linkingSuffixes {
			h := word[:i]
			if len(h)-len(link) < minPart || h[len(h)-len(link):] != link {
				continue
			}
			head = stemUncached(germanPipe, []byte(h[:len(h)-len(link)]))
			if _, ok := x.terms[head]; ok && head != tail {
				return head, tail, true
			}
		}
	}
	return "", "", false
}

// expandCompounds adds the parts of unindexed German compounds to qt.
// Called under the read lock.
func (x *Index) expandCompounds(qt []queryTerm) []queryTerm {
	n := len(qt)
	for i := 0; i < n; i++ {
		q := qt[i]
		if q.word == "" || x.tokenKnown(qt[:n], q.token) {
			continue
		}
		head, tail, ok := x.splitCompound(q.word)
		if !ok {
			continue
		}
		for _, part := range [...]string{head, tail} {
			if !containsTerm(qt, part) {
				qt = append(qt, queryTerm{text: part, weight: q.weight, token: q.token})
			}
		}
	}
	return qt
}

// tokenKnown reports whether a term of the query word at position token is
// indexed.
func (x *Index) tokenKnown(qt []queryTerm, token int) bool {
	for _, q := range qt {
		if _, ok := x.terms[q.text]; ok && q.token == token {
			return true
		}
	}
	return false
}

// containsTerm reports whether qt holds the term t.
func containsTerm(qt []queryTerm, t string) bool {
	for _, q := range qt {
		if q.text == t {
			return true
		}
	}
	return false
}
