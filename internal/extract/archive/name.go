package archive

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameBytes bounds the length of a cleaned member name.
const MaxNameBytes = 255

// SafeName turns an untrusted member name into a display name. The rule:
//
//  1. backslashes count as separators ("a\b" is "a/b");
//  2. invalid UTF-8, control characters (C0, DEL, C1) and invisible
//     format characters (bidi overrides, zero-width marks) are dropped;
//  3. a drive prefix ("C:") is dropped from the start of every segment;
//  4. empty, "." and ".." segments are dropped, so the result is relative
//     and never climbs ("../../etc/passwd" is "etc/passwd", "/abs" is
//     "abs"); each segment is trimmed of surrounding spaces;
//  5. leading directories are dropped until the name fits MaxNameBytes;
//     a last segment still too long is cut, keeping a short extension.
//
// It returns "" when nothing is left. The result is for display and
// search only: nothing in this package opens a path built from it.
func SafeName(name string) string {
	name = strings.ReplaceAll(dropInvisible(name), `\`, "/")
	var segs []string
	for s := range strings.SplitSeq(name, "/") {
		s = strings.TrimSpace(s)
		for len(s) >= 2 && s[1] == ':' && isASCIILetter(s[0]) {
			s = strings.TrimSpace(s[2:])
		}
		if s != "" && s != "." && s != ".." {
			segs = append(segs, s)
		}
	}
	for len(segs) > 1 && len(strings.Join(segs, "/")) > MaxNameBytes {
		segs = segs[1:]
	}
	if len(segs) == 0 {
		return ""
	}
	last := len(segs) - 1
	segs[last] = shorten(segs[last], MaxNameBytes)
	return strings.Join(segs, "/")
}

// dropInvisible removes invalid UTF-8 and characters that do not print
// or that reorder text (a name must look like what it is).
func dropInvisible(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r == utf8.RuneError && n <= 1 {
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// shorten cuts s to at most limit bytes on a rune boundary, keeping an
// extension of up to 16 bytes.
func shorten(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	ext := path.Ext(s)
	if len(ext) > 16 || len(ext) == len(s) {
		ext = ""
	}
	stem := s[:limit-len(ext)]
	for len(stem) > 0 && !utf8.ValidString(stem) {
		stem = stem[:len(stem)-1]
	}
	return strings.TrimSpace(stem + ext)
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
