package embed

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Feature weights of Builtin v1, tuned on SQuAD v1.1 dev paragraph
// retrieval at 384 dimensions. Word pairs help little there (SQuAD questions
// are paraphrased) and cost recall through hash collisions, hence their low
// weight. Changing any weight, the hashing or the tokenizer changes the
// vectors and must change builtinVersion.
const (
	weightWord    = 1.0  // a content word
	weightFolded  = 1.0  // the same word without umlauts, when it had some
	weightPair    = 0.3  // two content words in a row, stopwords skipped
	weightGram3   = 0.4  // character 3-gram of a content word
	weightGram4   = 0.45 // n-grams carry most of the matching: together
	weightGram5   = 0.5  // they outweigh the word, long words the most
	maxGramRunes  = 32   // n-grams are taken from the first runes of a word only
	minGram       = 3
	maxGram       = 5
	boundaryBegin = '<'
	boundaryEnd   = '>'
)

// Seeds keep the feature kinds apart in the hash space.
const (
	seedWord uint64 = 0x9e3779b97f4a7c15
	seedPair uint64 = 0xc2b2ae3d27d4eb4f
	seedGram uint64 = 0x165667b19e3779f9
)

// FNV-1a, 64 bit: simple, fixed, the same everywhere.
const (
	fnvOffset uint64 = 14695981039346656037
	fnvPrime  uint64 = 1099511628211
)

// wordHash is the FNV-1a hash of a word.
func wordHash(b []byte) uint64 {
	h := fnvOffset
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// mix is the splitmix64 finalizer; it spreads FNV's weak low bits over the
// whole word, since the bucket and the sign are taken from the key.
func mix(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	if h == 0 { // 0 marks an empty counter slot
		h = 1
	}
	return h
}

// featurizer collects the features of one text into a counter. It is
// reused across texts to avoid allocations.
type featurizer struct {
	c        counter
	word     []byte // the current word, lowercase
	folded   []byte // the current word without umlauts and accents
	composed []byte // scratch for composing combining marks
	starts   []int  // rune offsets in gram, for n-grams
	gram     []byte // "<word>"
	prev     uint64 // hash of the previous content word; 0 after a sentence end
	// keepStop makes stopwords count as content words, for texts made of
	// nothing else ("to be or not to be").
	keepStop bool
}

// addText splits text into words and adds their features. Words are runs
// of letters, digits and combining marks; everything else separates them,
// and '.', '!', '?', ';' and ':' also end the run of word pairs. Invalid
// UTF-8 bytes are separators.
func (f *featurizer) addText(text string) {
	f.word = f.word[:0]
	f.prev = 0
	ascii := true
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				f.word = append(f.word, c)
			case 'A' <= c && c <= 'Z':
				f.word = append(f.word, c+'a'-'A')
			default:
				f.addWord(ascii)
				ascii = true
				if c == '.' || c == '!' || c == '?' || c == ';' || c == ':' {
					f.prev = 0
				}
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) {
			f.word = utf8.AppendRune(f.word, unicode.ToLower(r))
			ascii = false
			continue
		}
		f.addWord(ascii)
		ascii = true
	}
	f.addWord(ascii)
}

// addWord adds the features of f.word and empties it.
func (f *featurizer) addWord(ascii bool) {
	if len(f.word) == 0 {
		return
	}
	defer func() { f.word = f.word[:0] }()
	if !ascii && hasMark(f.word) {
		// A decomposed "u\u0308" is the same word as "ü".
		f.composed = norm.NFC.Append(f.composed[:0], f.word...)
		f.word, f.composed = f.composed, f.word
	}
	h := wordHash(f.word)
	if f.isStop(h) {
		return
	}
	f.c.add(mix(h^seedWord), weightWord)
	folded := f.word
	if !ascii {
		f.folded = fold(f.folded[:0], f.word)
		if string(f.folded) != string(f.word) {
			folded = f.folded
			h = wordHash(folded)
			if f.isStop(h) {
				return
			}
			f.c.add(mix(h^seedWord), weightFolded)
		}
	}
	if f.prev != 0 {
		f.c.add(mix((f.prev*fnvPrime)^h^seedPair), weightPair)
	}
	f.prev = h
	f.addGrams(folded)
}

func (f *featurizer) isStop(h uint64) bool {
	if f.keepStop {
		return false
	}
	_, ok := stopwords[h]
	return ok
}

// addGrams adds the character n-grams of "<word>".
func (f *featurizer) addGrams(word []byte) {
	f.gram = append(f.gram[:0], boundaryBegin)
	f.starts = append(f.starts[:0], 0)
	for i, n := 0, 0; i < len(word) && n < maxGramRunes; n++ {
		f.starts = append(f.starts, len(f.gram))
		_, size := utf8.DecodeRune(word[i:])
		f.gram = append(f.gram, word[i:i+size]...)
		i += size
	}
	f.starts = append(f.starts, len(f.gram))
	f.gram = append(f.gram, boundaryEnd)
	f.starts = append(f.starts, len(f.gram)) // end of the last rune
	runes := len(f.starts) - 1
	for n := minGram; n <= maxGram; n++ {
		w := gramWeight(n)
		for s := 0; s+n <= runes; s++ {
			h := seedGram
			for _, c := range f.gram[f.starts[s]:f.starts[s+n]] {
				h ^= uint64(c)
				h *= fnvPrime
			}
			f.c.add(mix(h), w)
		}
	}
}

func gramWeight(n int) float32 {
	switch n {
	case 3:
		return weightGram3
	case 4:
		return weightGram4
	}
	return weightGram5
}

// fold appends word to dst with German umlauts spelled out (ä → ae, ß → ss)
// and other accents removed (é → e), so that "Müller", "Mueller" and
// "MÜLLER" share features.
func fold(dst, word []byte) []byte {
	start := len(dst)
	for i := 0; i < len(word); {
		r, size := utf8.DecodeRune(word[i:])
		i += size
		switch r {
		case 'ä', 'æ':
			dst = append(dst, 'a', 'e')
		case 'ö', 'œ':
			dst = append(dst, 'o', 'e')
		case 'ü':
			dst = append(dst, 'u', 'e')
		case 'ß':
			dst = append(dst, 's', 's')
		case 'ø':
			dst = append(dst, 'o')
		case 'đ', 'ð':
			dst = append(dst, 'd')
		case 'ł':
			dst = append(dst, 'l')
		case 'þ':
			dst = append(dst, 't', 'h')
		default:
			if r < utf8.RuneSelf {
				dst = append(dst, byte(r))
				continue
			}
			dst = norm.NFD.Append(dst, word[i-size:i]...)
		}
	}
	// Drop the combining marks NFD split off.
	out := dst[:start]
	for i := start; i < len(dst); {
		r, size := utf8.DecodeRune(dst[i:])
		if !unicode.Is(unicode.Mn, r) {
			out = append(out, dst[i:i+size]...)
		}
		i += size
	}
	return out
}

// hasMark reports whether word holds a combining mark.
func hasMark(word []byte) bool {
	for i := 0; i < len(word); {
		r, size := utf8.DecodeRune(word[i:])
		if unicode.Is(unicode.Mn, r) {
			return true
		}
		i += size
	}
	return false
}
