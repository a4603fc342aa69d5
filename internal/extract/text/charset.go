package text

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/wlynxg/chardet"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
)

// Charset names reported in Metadata["charset"].
const (
	csUTF8    = "UTF-8"
	csASCII   = "US-ASCII"
	csUTF16LE = "UTF-16LE"
	csUTF16BE = "UTF-16BE"
	csWin1252 = "windows-1252"
	csLatin1  = "ISO-8859-1"
)

// sniffLen is how much of a file charset detection looks at.
const sniffLen = 64 << 10

// germanHigh marks the windows-1252 bytes that are common in German
// (and West-European) text: umlauts, ß, accented vowels, €, typographic
// quotes and dashes, §, °, µ.
var germanHigh = [256]bool{
	0xE4: true, 0xF6: true, 0xFC: true, 0xC4: true, 0xD6: true, 0xDC: true, 0xDF: true,
	0xE9: true, 0xE8: true, 0xE0: true, 0xE1: true, 0xE2: true, 0xEA: true, 0xE7: true,
	0xF4: true, 0xEB: true, 0xEF: true, 0xC9: true, 0xF1: true, 0xF3: true, 0xED: true,
	0x80: true, 0x84: true, 0x85: true, 0x91: true, 0x92: true, 0x93: true, 0x94: true,
	0x96: true, 0x97: true, 0xA7: true, 0xB0: true, 0xB5: true, 0xA9: true, 0xAE: true,
	0xAB: true, 0xBB: true, 0xB2: true, 0xB3: true, 0xA0: true, 0xB7: true, 0xBD: true,
}

// detectCharset names the character set of a sample of a text file and
// returns the decoder for it (nil for UTF-8 and ASCII) and the number of
// bytes of byte-order mark to skip.
func detectCharset(sample []byte) (name string, enc encoding.Encoding, bom int) {
	switch {
	case bytes.HasPrefix(sample, []byte{0xEF, 0xBB, 0xBF}):
		return csUTF8, nil, 3
	case bytes.HasPrefix(sample, []byte{0xFF, 0xFE}):
		return csUTF16LE, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), 2
	case bytes.HasPrefix(sample, []byte{0xFE, 0xFF}):
		return csUTF16BE, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), 2
	}
	if n, e := sniffUTF16(sample); e != nil {
		return n, e, 0
	}
	if validUTF8Prefix(sample) {
		if isASCII(sample) {
			return csASCII, nil, 0
		}
		return csUTF8, nil, 0
	}
	name, enc = guessLegacy(sample)
	return name, enc, 0
}

// validUTF8Prefix is utf8.Valid, tolerating a rune cut at the end of a
// sample.
func validUTF8Prefix(b []byte) bool {
	if utf8.Valid(b) {
		return true
	}
	for i := 1; i < utf8.UTFMax && i <= len(b); i++ {
		if utf8.Valid(b[:len(b)-i]) && !utf8.FullRune(b[len(b)-i:]) {
			return true
		}
	}
	return false
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// sniffUTF16 recognizes UTF-16 without a byte-order mark by the zero
// bytes that mostly-Latin text has in every other position.
func sniffUTF16(b []byte) (string, encoding.Encoding) {
	n := min(len(b), 4096) &^ 1
	if n < 8 {
		return "", nil
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	switch {
	case odd > half*6/10 && even < half/10:
		return csUTF16LE, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	case even > half*6/10 && odd < half/10:
		return csUTF16BE, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	}
	return "", nil
}

// guessLegacy picks a single- or multi-byte legacy charset with chardet,
// biased to windows-1252 for West-European text: chardet confuses
// Latin-1 with its neighbours on short texts, and windows-1252 decodes
// every ISO-8859-1 text the same except for the C1 controls, which real
// text doesn't use.
func guessLegacy(b []byte) (string, encoding.Encoding) {
	res := chardet.Detect(b)
	label := strings.ToLower(res.Encoding)
	westish := germanShare(b) >= 0.8
	switch {
	case label == "iso-8859-1" || label == "windows-1252" || label == "ascii" || label == "us-ascii" || label == "":
		return latinName(b), charmap.Windows1252
	case westish && (res.Confidence < 0.9 || isLatinNeighbour(label)):
		return latinName(b), charmap.Windows1252
	case label == "maccyrillic" && cyrillicUpperInWin1251(b):
		return "windows-1251", charmap.Windows1251
	}
	for _, l := range []string{res.Encoding, res.Charset} {
		if enc := lookupEncoding(l); enc != nil {
			return res.Encoding, enc
		}
	}
	return latinName(b), charmap.Windows1252
}

// cyrillicUpperInWin1251 says b has more bytes in windows-1251's
// capital-letter range (0xC0–0xDF) than in MacCyrillic's (0x80–0x9F):
// chardet calls short windows-1251 texts MacCyrillic.
func cyrillicUpperInWin1251(b []byte) bool {
	var win, mac int
	for _, c := range b {
		switch {
		case c >= 0xC0 && c <= 0xDF:
			win++
		case c >= 0x80 && c <= 0x9F:
			mac++
		}
	}
	return win > mac
}

// latinName says windows-1252 when b uses its printable C1 range, and
// ISO-8859-1 otherwise.
func latinName(b []byte) string {
	for _, c := range b {
		if c >= 0x80 && c <= 0x9F {
			return csWin1252
		}
	}
	return csLatin1
}

// isLatinNeighbour reports the charsets chardet mistakes Latin-1 text
// for.
func isLatinNeighbour(label string) bool {
	switch label {
	case "iso-8859-2", "iso-8859-9", "iso-8859-15", "windows-1250", "windows-1254",
		"windows-1257", "iso-8859-13", "maccentraleurope", "macroman", "mac-roman", "tis-620":
		return true
	}
	return false
}

// germanShare is the share of b's high bytes that are common
// West-European letters and signs in windows-1252.
func germanShare(b []byte) float64 {
	var high, west int
	for _, c := range b {
		if c < 0x80 {
			continue
		}
		high++
		if germanHigh[c] {
			west++
		}
	}
	if high == 0 {
		return 1
	}
	return float64(west) / float64(high)
}

// lookupEncoding finds an encoding by label in the WHATWG index, then
// IANA's; nil when neither knows it.
func lookupEncoding(label string) encoding.Encoding {
	if label == "" {
		return nil
	}
	if e, err := htmlindex.Get(label); err == nil && e != nil {
		return e
	}
	if e, err := ianaindex.IANA.Encoding(label); err == nil && e != nil {
		return e
	}
	return nil
}

// decodeBytes decodes b to UTF-8 text, detecting the charset, and
// returns the text and the charset's name.
func decodeBytes(b []byte) (string, string) {
	name, enc, bom := detectCharset(b[:min(len(b), sniffLen)])
	b = b[bom:]
	if enc == nil {
		return strings.ToValidUTF8(string(b), "\uFFFD"), name
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD"), name
	}
	return string(out), name
}
