package chunk

import (
	"unicode"
	"unicode/utf8"
)

// Character classes the token estimate distinguishes.
const (
	clsSpace = iota
	clsWord  // letters, digits, combining marks
	clsPunct // everything else that is not a space
	clsWide  // CJK and other scripts written without spaces
)

// Tokens approximates how many tokens a subword (BPE) tokenizer produces
// for s, cheaply and deterministically. Whitespace separates and costs
// nothing; a run of letters and digits costs one token per started five
// characters (a short word is one token, "Einkommensteuergesetz" five); a
// run of other symbols costs one token per started two characters ("§",
// "(", "--" one each); each character of a script written without spaces
// (CJK, kana, hangul) costs one. It deliberately errs on the high side for
// English and a little low for long German compounds: what matters is a
// stable budget, not the exact count of one embedding model.
//
// The estimate is additive over whitespace: Tokens(a+" "+b) equals
// Tokens(a)+Tokens(b), which lets Split pack pieces by summing.
func Tokens(s string) int {
	n, cls, run := 0, clsSpace, 0
	for i := 0; i < len(s); {
		var k int
		if b := s[i]; b < utf8.RuneSelf {
			// The ASCII fast path of classAt.
			switch {
			case 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9':
				k = clsWord
			case b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\v' || b == '\f':
				k = clsSpace
			default:
				k = clsPunct
			}
			i++
		} else {
			var size int
			k, size = classAt(s, i)
			i += size
		}
		if k != cls {
			n += runCost(cls, run)
			cls, run = k, 0
		}
		run++
	}
	return n + runCost(cls, run)
}

// classAt returns the class of the character at s[i] and its size in
// bytes.
func classAt(s string, i int) (int, int) {
	b := s[i]
	if b < utf8.RuneSelf {
		switch {
		case b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\v' || b == '\f':
			return clsSpace, 1
		case 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9':
			return clsWord, 1
		}
		return clsPunct, 1
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	switch {
	case unicode.IsSpace(r):
		return clsSpace, size
	case r >= 0x2E80 && r < 0xD7B0 && unicode.IsLetter(r):
		return clsWide, size
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
		return clsWord, size
	}
	return clsPunct, size
}

// counter counts tokens character by character, so that a long word can
// be cut where the count would exceed a budget.
type counter struct {
	n      int // tokens of the finished runs
	cls    int // class of the current run
	runLen int // characters in the current run
}

func (c *counter) add(cls int) {
	if cls != c.cls {
		c.n += runCost(c.cls, c.runLen)
		c.cls, c.runLen = cls, 0
	}
	c.runLen++
}

func (c *counter) total() int { return c.n + runCost(c.cls, c.runLen) }

func runCost(cls, n int) int {
	switch cls {
	case clsWord:
		return (n + 4) / 5
	case clsPunct:
		return (n + 1) / 2
	case clsWide:
		return n
	}
	return 0
}
