package text

import (
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// cpSymbol stands for the Symbol font's private character set.
const cpSymbol = -2

// rtfCharsetCP maps a font's \fcharset to its Windows code page; 0 means
// the document's \ansicpg.
func rtfCharsetCP(charset int) int {
	switch charset {
	case 2:
		return cpSymbol
	case 77:
		return 10000
	case 128:
		return 932
	case 129:
		return 949
	case 134:
		return 936
	case 136:
		return 950
	case 161:
		return 1253
	case 162:
		return 1254
	case 163:
		return 1258
	case 177:
		return 1255
	case 178:
		return 1256
	case 186:
		return 1257
	case 204:
		return 1251
	case 222:
		return 874
	case 238:
		return 1250
	case 254:
		return 437
	case 255:
		return 850
	}
	return 0
}

// codePageEncoding is the decoder for a Windows code page; nil for
// UTF-8 (65001), windows-1252 for unknown pages.
func codePageEncoding(cp int) encoding.Encoding {
	switch cp {
	case 65001:
		return nil
	case 874:
		return charmap.Windows874
	case 932:
		return japanese.ShiftJIS
	case 936:
		return simplifiedchinese.GBK
	case 949:
		return korean.EUCKR
	case 950:
		return traditionalchinese.Big5
	case 1250:
		return charmap.Windows1250
	case 1251:
		return charmap.Windows1251
	case 1253:
		return charmap.Windows1253
	case 1254:
		return charmap.Windows1254
	case 1255:
		return charmap.Windows1255
	case 1256:
		return charmap.Windows1256
	case 1257:
		return charmap.Windows1257
	case 1258:
		return charmap.Windows1258
	case 437:
		return charmap.CodePage437
	case 850:
		return charmap.CodePage850
	case 852:
		return charmap.CodePage852
	case 866:
		return charmap.CodePage866
	case 10000:
		return charmap.Macintosh
	case 10007:
		return charmap.MacintoshCyrillic
	}
	return charmap.Windows1252
}

// decodeCodePage decodes bytes written in code page cp.
func decodeCodePage(b []byte, cp int) string {
	if cp == cpSymbol {
		return decodeSymbol(b)
	}
	enc := codePageEncoding(cp)
	if enc == nil {
		return string(b)
	}
	if cm, ok := enc.(*charmap.Charmap); ok {
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = cm.DecodeByte(c)
		}
		return string(r)
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return decodeCodePage(b, 1252)
	}
	return string(out)
}

// decodeSymbol maps the Symbol font's bullets and dashes; other bytes
// are read as windows-1252.
func decodeSymbol(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		switch c {
		case 0xB7:
			r[i] = '•'
		case 0xA7:
			r[i] = '▪'
		default:
			r[i] = charmap.Windows1252.DecodeByte(c)
		}
	}
	return string(r)
}
