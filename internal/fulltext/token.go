package fulltext

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxTermBytes caps a folded token; longer ones (base64, hashes) are cut at a
// rune boundary the same way in documents and queries, so they still match.
const maxTermBytes = 64

// class is what a rune does at a word boundary (after UAX #29, simplified).
type class uint8

const (
	clOther     class = iota // separates words and is dropped
	clLetter                 // starts or continues a word
	clDigit                  // starts or continues a word, marks it as not stemmable
	clExtend                 // combining marks and format characters: continue a word, else dropped
	clMidLetter              // apostrophes: join two letters
	clMidNum                 // ',' and ';': join two digits
	clMidNumLet              // '.': joins two letters or two digits
	clConnect                // '_': joins a word to the following letter or digit
	clSection                // '§': always a token of its own
	clIdeo                   // Han, kana, Thai…: each rune is a token of its own
)

// asciiClass is the class of every ASCII byte.
var asciiClass = func() (t [utf8.RuneSelf]class) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = clLetter, clLetter
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = clDigit
	}
	t['\''] = clMidLetter
	t[','], t[';'] = clMidNum, clMidNum
	t['.'] = clMidNumLet
	t['_'] = clConnect
	return t
}()

// ideographic are the scripts written without spaces between words; each of
// their runes becomes a token (a unigram index, crude but searchable).
var ideographic = []*unicode.RangeTable{unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar}

// classify returns the class of r.
func classify(r rune) class {
	if r < utf8.RuneSelf {
		return asciiClass[r]
	}
	switch {
	case r == '§':
		return clSection
	case r == '’' || r == 'ʼ':
		return clMidLetter
	case r == utf8.RuneError:
		return clOther
	case unicode.IsLetter(r):
		if unicode.IsOneOf(ideographic, r) {
			return clIdeo
		}
		return clLetter
	case unicode.IsNumber(r):
		return clDigit
	case unicode.IsMark(r) || unicode.Is(unicode.Cf, r):
		return clExtend
	}
	return clOther
}

// joins reports whether the joiner mid keeps the word before it (ending in a
// rune of class prev) together with the rune of class next after it.
func joins(prev, mid, next class) bool {
	switch mid {
	case clMidLetter:
		return prev == clLetter && next == clLetter
	case clMidNum:
		return prev == clDigit && next == clDigit
	case clMidNumLet:
		return prev == next && (next == clLetter || next == clDigit)
	case clConnect:
		return next == clLetter || next == clDigit
	}
	return false
}

// scan calls fn with every raw token of s, in order. plain is false when the
// token holds a digit or a joiner other than an apostrophe: such tokens
// (numbers, ids, "z.b") are never stemmed. Invalid UTF-8 separates tokens.
func scan(s string, fn func(tok string, plain bool)) {
	start, plain, prev := -1, true, clOther
	emit := func(end int) {
		if start >= 0 {
			fn(s[start:end], plain)
			start = -1
		}
	}
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		switch c := classify(r); c {
		case clLetter, clDigit:
			if start < 0 {
				start, plain = i, true
			}
			if c == clDigit {
				plain = false
			}
			prev = c
		case clExtend:
			// A mark continues the word it follows; alone it is dropped.
		case clMidLetter, clMidNum, clMidNumLet, clConnect:
			if start >= 0 && i+size < len(s) && joins(prev, c, nextClass(s[i+size:])) {
				plain = plain && c == clMidLetter
				break
			}
			emit(i)
		case clSection, clIdeo:
			emit(i)
			fn(s[i:i+size], false)
		default:
			emit(i)
		}
		i += size
	}
	emit(len(s))
}

// nextClass is the class of the first rune of s.
func nextClass(s string) class {
	if s[0] < utf8.RuneSelf {
		return asciiClass[s[0]]
	}
	r, _ := utf8.DecodeRuneInString(s)
	return classify(r)
}

// fold appends tok lowercased, without diacritics, with 'ß' as "ss", with
// compatibility forms (ligatures, full-width letters) decomposed, with
// typographic apostrophes as ASCII ones, and cut to maxTermBytes.
func fold(dst []byte, tok string) []byte {
	start := len(dst)
	for i := 0; i < len(tok); {
		if b := tok[i]; b < utf8.RuneSelf {
			if 'A' <= b && b <= 'Z' {
				b += 'a' - 'A'
			}
			dst = append(dst, b)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(tok[i:])
		if d := norm.NFKD.PropertiesString(tok[i:]).Decomposition(); d != nil {
			for j := 0; j < len(d); {
				dr, dsize := utf8.DecodeRune(d[j:])
				dst = foldRune(dst, dr)
				j += dsize
			}
		} else {
			dst = foldRune(dst, r)
		}
		i += size
	}
	return truncate(dst, start)
}

// foldRune appends one rune that has no further decomposition.
func foldRune(dst []byte, r rune) []byte {
	switch r {
	case 'ß', 'ẞ':
		return append(dst, "ss"...)
	case 'æ', 'Æ':
		return append(dst, "ae"...)
	case 'œ', 'Œ':
		return append(dst, "oe"...)
	case 'þ', 'Þ':
		return append(dst, "th"...)
	case 'ø', 'Ø':
		r = 'o'
	case 'ł', 'Ł':
		r = 'l'
	case 'đ', 'Đ', 'ð', 'Ð':
		r = 'd'
	case 'ı':
		r = 'i'
	case '’', 'ʼ':
		r = '\''
	case utf8.RuneError:
		return dst
	}
	if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Cf, r) {
		return dst
	}
	return utf8.AppendRune(dst, unicode.ToLower(r))
}

// truncate cuts dst[start:] to at most maxTermBytes at a rune boundary.
func truncate(dst []byte, start int) []byte {
	if len(dst)-start <= maxTermBytes {
		return dst
	}
	end := start + maxTermBytes
	for end > start && !utf8.RuneStart(dst[end]) {
		end--
	}
	return dst[:end]
}
