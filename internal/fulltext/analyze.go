package fulltext

import (
	"hash/maphash"
	"strings"
	"sync"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/german"
)

// Language codes the analysis knows.
const (
	German  = "de"
	English = "en"
)

// pipeline is the analysis applied to a document's tokens.
type pipeline uint8

const (
	plainPipe   pipeline = iota // any other language: folded tokens only
	germanPipe                  // German stop words and stemmer
	englishPipe                 // English stop words and Porter2 stemmer
)

// pipelineOf returns the pipeline of a language code such as "de", "de-AT",
// "deu", "en_GB" or "English"; unknown codes get plainPipe.
func pipelineOf(lang string) pipeline {
	lang = strings.ToLower(lang)
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	switch lang {
	case "de", "deu", "ger", "german", "deutsch":
		return germanPipe
	case "en", "eng", "english":
		return englishPipe
	}
	return plainPipe
}

// term returns the indexed form of the folded token b under pipeline p, and
// false for a stop word. It may rewrite b.
func (p pipeline) term(b []byte, plain bool) (string, bool) {
	switch p {
	case germanPipe:
		b = germanNormalize(b)
		if len(b) == 0 || germanStop.has(b) {
			return "", false
		}
	case englishPipe:
		if englishStop.has(b) {
			return "", false
		}
	}
	if plain && p != plainPipe && len(b) > 2 {
		return stems.stem(p, b), true
	}
	return string(b), true
}

// germanNormalize rewrites a folded German token in place the way Snowball's
// German2 variant reads it: "ae", "oe" and "ue" stand for umlauts (already
// folded to a, o, u) unless the pair follows a vowel or 'q' ("Steuer",
// "Quelle" keep theirs); apostrophes go ("geht's").
func germanNormalize(b []byte) []byte {
	out := b[:0]
	var p1, p2 byte // the two original bytes before b[i]
	for i := 0; i < len(b); i++ {
		c := b[i]
		skip := c == '\'' || c == 'e' && (p1 == 'a' || p1 == 'o' || p1 == 'u') && !isVowelOrQ(p2)
		p2, p1 = p1, c
		if !skip {
			out = append(out, c)
		}
	}
	return out
}

// isVowelOrQ reports whether c is a vowel or 'q'.
func isVowelOrQ(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'q':
		return true
	}
	return false
}

// stems memoises the stemmers, which allocate on every call while the
// vocabulary of a corpus is Zipfian. It is package-wide because stemming is a
// pure function and all indexes of a process share the same languages.
var stems = newStemMemo()

// stemMemo is a sharded, bounded cache of stems keyed by pipeline and word.
type stemMemo struct {
	seed   maphash.Seed
	shards [64]stemShard
}

// stemShard is one lock's share of a stemMemo.
type stemShard struct {
	mu sync.Mutex
	m  map[string]string
}

// maxStemsPerShard bounds a shard; a full shard is emptied (the words that
// matter come back at once, and no eviction bookkeeping is paid per hit).
const maxStemsPerShard = 2048

func newStemMemo() *stemMemo {
	m := &stemMemo{seed: maphash.MakeSeed()}
	for i := range m.shards {
		m.shards[i].m = make(map[string]string)
	}
	return m
}

// stem returns the stem of the folded word under pipeline p.
func (m *stemMemo) stem(p pipeline, word []byte) string {
	var arr [maxTermBytes + 8]byte
	key := append(append(arr[:0], byte(p)), word...)
	sh := &m.shards[maphash.Bytes(m.seed, key)%uint64(len(m.shards))]
	sh.mu.Lock()
	s, ok := sh.m[string(key)]
	sh.mu.Unlock()
	if ok {
		return s
	}
	s = stemUncached(p, word)
	sh.mu.Lock()
	if len(sh.m) >= maxStemsPerShard {
		clear(sh.m)
	}
	sh.m[string(key)] = s
	sh.mu.Unlock()
	return s
}

// stemUncached runs the stemmer of p on word.
func stemUncached(p pipeline, word []byte) string {
	env := snowballstem.NewEnv(string(word))
	if p == germanPipe {
		german.Stem(env)
	} else {
		english.Stem(env)
	}
	return env.Current()
}

// analyze appends the terms of text under pipeline p to dst.
func analyze(dst []string, text string, p pipeline) []string {
	buf := make([]byte, 0, 2*maxTermBytes)
	scan(text, func(tok string, plain bool) {
		buf = fold(buf[:0], tok)
		if len(buf) == 0 {
			return
		}
		if t, ok := p.term(buf, plain); ok {
			dst = append(dst, t)
		}
	})
	return dst
}

// DetectLanguage guesses whether text is German ("de") or English ("en") by
// counting the stop words only one of the two languages has, with words that
// hold an umlaut or 'ß' counting for German. It returns "" when the evidence
// is even or absent. Only the first 4 KiB are read.
func DetectLanguage(text string) string {
	if len(text) > 4096 {
		text = text[:4096]
	}
	de, en := 0, 0
	buf := make([]byte, 0, 2*maxTermBytes)
	scan(text, func(tok string, plain bool) {
		if !plain {
			return
		}
		if strings.ContainsAny(tok, "äöüÄÖÜß") {
			de++
		}
		buf = fold(buf[:0], tok)
		switch {
		case englishOnly.has(buf):
			en++
		case germanOnly.has(germanNormalize(buf)):
			de++
		}
	})
	switch {
	case de > en:
		return German
	case en > de:
		return English
	}
	return ""
}

// queryTerm is one term of an analysed query with its weight.
type queryTerm struct {
	text   string
	weight float32
	// word is the normalised German word text was stemmed from, set for
	// words long enough to be compounds of queries not in English: when no
	// term of the same token is indexed, the search tries to split word
	// into indexed parts.
	word  string
	token int // position of the query word the term comes from
}

// Queries are cut to keep a pasted document from costing more than a
// search should.
const (
	maxQueryBytes = 16 << 10
	maxQueryTerms = 256
)

// analyzeQuery returns the distinct terms of a query under every pipeline.
// Words that are stop words in the query's guessed language are dropped;
// when the language is unknown, a word that is a stop word in one language
// only keeps its other variant at half weight. A term reached from several
// words or pipelines keeps its largest weight.
func analyzeQuery(q string) []queryTerm {
	if len(q) > maxQueryBytes {
		q = q[:maxQueryBytes]
	}
	lang := pipelineOf(DetectLanguage(q))
	var terms []queryTerm
	token := 0
	add := func(t string, w float32, word string) {
		for i := range terms {
			if terms[i].text == t {
				terms[i].weight = max(terms[i].weight, w)
				return
			}
		}
		if len(terms) < maxQueryTerms {
			terms = append(terms, queryTerm{t, w, word, token})
		}
	}
	folded := make([]byte, 0, 2*maxTermBytes)
	work := make([]byte, 0, 2*maxTermBytes)
	scan(q, func(tok string, plain bool) {
		token++
		folded = fold(folded[:0], tok)
		if len(folded) == 0 {
			return
		}
		stopDE := germanStop.has(germanNormalize(append(work[:0], folded...)))
		stopEN := englishStop.has(folded)
		if stopDE && stopEN || stopDE && lang == germanPipe || stopEN && lang == englishPipe {
			return
		}
		w := float32(1)
		if (stopDE || stopEN) && lang == plainPipe {
			w = 0.5
		}
		for _, p := range [...]pipeline{germanPipe, englishPipe, plainPipe} {
			if p == plainPipe && (stopDE || stopEN) {
				continue
			}
			if t, ok := p.term(append(work[:0], folded...), plain); ok {
				var word string
				if p == germanPipe && plain && lang != englishPipe {
					if n := germanNormalize(append(work[:0], folded...)); len(n) >= minCompound {
						word = string(n)
					}
				}
				add(t, w, word)
			}
		}
	})
	return terms
}
