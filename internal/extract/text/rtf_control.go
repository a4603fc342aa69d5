package text

// control reads the control word or symbol after a backslash.
func (p *rtfParser) control() {
	if p.pos >= len(p.data) {
		return
	}
	c := p.data[p.pos]
	if !isLetter(c) {
		p.pos++
		p.symbol(c)
		return
	}
	start := p.pos
	for p.pos < len(p.data) && isLetter(p.data[p.pos]) {
		p.pos++
	}
	word := string(p.data[start:min(p.pos, start+32)])
	param, hasParam := p.number()
	if p.pos < len(p.data) && p.data[p.pos] == ' ' {
		p.pos++
	}
	p.flushText()
	first := p.cur.first
	p.cur.first = false
	if p.skip > 0 {
		p.skip--
		return
	}
	if first && p.destination(word) {
		return
	}
	if first && p.cur.starred {
		p.cur.sink = sinkNone
		return
	}
	p.word(word, param, hasParam)
}

// number reads a control word's optional signed parameter, clamped to
// ±1e9.
func (p *rtfParser) number() (int, bool) {
	neg := false
	if p.pos < len(p.data) && p.data[p.pos] == '-' && p.pos+1 < len(p.data) && isDigit(p.data[p.pos+1]) {
		neg = true
		p.pos++
	}
	n, digits := 0, 0
	for p.pos < len(p.data) && isDigit(p.data[p.pos]) {
		if n < 1e9 {
			n = n*10 + int(p.data[p.pos]-'0')
		}
		p.pos++
		digits++
	}
	if neg {
		n = -n
	}
	return n, digits > 0
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// symbol handles a control symbol: \'hh, \\, \{, \}, \~, \*, …
func (p *rtfParser) symbol(c byte) {
	switch c {
	case '\'':
		b, ok := p.hex()
		p.cur.first = false
		if !ok {
			return
		}
		if p.skip > 0 {
			p.skip--
			return
		}
		p.addByte(b)
	case '\\', '{', '}':
		p.literal(c)
	case '*':
		if p.cur.first {
			p.cur.starred = true
		}
	case '~':
		p.text("\u00a0")
	case '_':
		p.text("\u2011")
	case '\n', '\r':
		p.cur.first = false
		p.endPara(false)
	case '-', ':', '|':
		p.cur.first = false
	default:
		p.cur.first = false
	}
}

// hex reads the two hex digits of \'hh.
func (p *rtfParser) hex() (byte, bool) {
	if p.pos+2 > len(p.data) {
		p.pos = len(p.data)
		return 0, false
	}
	h, ok1 := unhex(p.data[p.pos])
	l, ok2 := unhex(p.data[p.pos+1])
	if !ok1 || !ok2 {
		return 0, false
	}
	p.pos += 2
	return h<<4 | l, true
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// text emits s as a character of the document (subject to \uN skips).
func (p *rtfParser) text(s string) {
	p.cur.first = false
	if p.skip > 0 {
		p.skip--
		return
	}
	p.flushText()
	p.emit(s)
}

// destination handles a control word that opens a destination group;
// false when word is none.
func (p *rtfParser) destination(word string) bool {
	switch word {
	case "fonttbl":
		p.cur.sink = sinkFont
	case "stylesheet":
		p.cur.sink = sinkStyle
	case "info":
		p.cur.sink = sinkNone
		p.cur.info = true
	case "title", "author", "subject", "keywords", "operator", "company", "manager", "category", "comment", "doccomm", "hlinkbase":
		if p.cur.info && !p.cur.inUpr {
			p.cur.sink = sinkMeta
			p.cur.meta = word
			if b := p.meta[word]; b != nil {
				b.Reset() // a repeated field: the last one counts
			}
		} else {
			p.cur.sink = sinkNone
		}
	case "creatim", "revtim", "printim", "buptim":
		p.cur.sink = sinkNone
		p.dateField = word
		p.date = [6]int{}
		p.cur.dateLvl = len(p.stack)
	case "header", "headerl", "headerr", "headerf", "footer", "footerl", "footerr", "footerf", "footnote", "annotation":
		if p.cur.sink == sinkBody {
			p.cur.sink = sinkAux
		}
	case "upr":
		p.cur.uprSink = p.cur.sink
		p.cur.sink = sinkNone
		p.cur.inUpr = true
	case "ud":
		p.cur.sink = p.cur.uprSink
		p.cur.inUpr = false
	case "shpinst", "shptxt", "fldrslt", "listtext", "pntext", "field", "nesttableprops":
		// text-bearing groups: keep the sink, even when starred
	default:
		if !skippedDestination(word) {
			return false
		}
		p.cur.sink = sinkNone
	}
	return true
}

// skippedDestination names the destinations whose content is not text.
func skippedDestination(word string) bool {
	switch word {
	case "colortbl", "pict", "object", "objdata", "datastore", "themedata", "colorschememapping",
		"latentstyles", "listtable", "listoverridetable", "rsidtbl", "generator", "xmlnstbl",
		"mmathPr", "fldinst", "bkmkstart", "bkmkend", "filetbl", "revtbl", "pgdsctbl",
		"nonshppict", "shppict", "sp", "sn", "sv", "private", "userprops", "docvar", "fchars",
		"lchars", "pnseclvl", "template", "falt", "panose", "leveltext", "levelnumbers",
		"listname", "background", "blipuid", "oldcprops", "oldpprops", "oldtprops", "oldsprops",
		"wgrffmtfilter", "ftnsep", "ftnsepc", "ftncn", "aftnsep", "aftnsepc", "aftncn",
		"fldtype", "formfield", "do", "htmltag", "mhtmltag", "xe", "tc", "atnid", "atnauthor",
		"atrfstart", "atrfend", "atndate", "pn", "pntxta", "pntxtb", "fname", "defchp", "defpap",
		"protusertbl", "docfmt", "ebcstart", "ebcend", "picprop", "dptxbxtext", "result":
		return true
	}
	return false
}

// word handles a control word that is no destination.
func (p *rtfParser) word(word string, n int, has bool) {
	switch word {
	case "par", "sect":
		p.endPara(false)
	case "line":
		p.text("\n")
	case "tab":
		p.text("\t")
	case "cell":
		p.endCell()
	case "row":
		p.endRow()
	case "nestcell":
		p.text(" ")
	case "nestrow":
		p.text("\n")
	case "u":
		if has {
			p.unicode(n)
			p.skip = p.cur.uc
		}
	case "uc":
		p.cur.uc = max(0, min(n, 8))
	case "bin":
		p.pos += max(0, min(n, len(p.data)-p.pos))
	default:
		if s, ok := rtfChar(word); ok {
			p.text(s)
			return
		}
		p.state(word, n, has)
	}
}

// rtfChar maps the control words that stand for a character.
func rtfChar(word string) (string, bool) {
	switch word {
	case "emdash":
		return "—", true
	case "endash":
		return "–", true
	case "bullet":
		return "•", true
	case "lquote":
		return "‘", true
	case "rquote":
		return "’", true
	case "ldblquote":
		return "“", true
	case "rdblquote":
		return "”", true
	case "emspace", "enspace", "qmspace":
		return " ", true
	}
	return "", false
}

// state handles the control words that change the parser's state.
func (p *rtfParser) state(word string, n int, has bool) {
	switch word {
	case "ansicpg":
		if n > 0 {
			p.ansiCP = n
		}
	case "mac":
		p.ansiCP = 10000
	case "pc":
		p.ansiCP = 437
	case "pca":
		p.ansiCP = 850
	case "deff":
		p.defFont = n
	case "f":
		if p.cur.sink == sinkFont {
			p.fontID = n
		} else {
			p.cur.font = n
		}
	case "fcharset":
		if p.cur.sink == sinkFont {
			p.fonts[p.fontID] = rtfCharsetCP(n)
		}
	case "cpg":
		if p.cur.sink == sinkFont && n > 0 {
			p.fonts[p.fontID] = n
		}
	case "plain":
		p.cur.font = -1
	case "pard":
		p.cur.style, p.cur.outline, p.cur.list, p.cur.intbl = 0, 0, false, false
	case "s":
		if p.cur.sink == sinkStyle {
			p.cur.styleDef = n
		} else {
			p.cur.style = n
		}
	case "cs", "ds", "ts", "tsrowd":
		if p.cur.sink == sinkStyle {
			p.cur.styleDef = -1
		}
	case "outlinelevel":
		if n >= 0 && n < 9 {
			p.cur.outline = n + 1
		}
	case "ls":
		p.cur.list = has && n > 0
	case "intbl":
		p.cur.intbl = true
	case "htmlrtf":
		p.cur.htmlrtf = !has || n != 0
	case "yr", "mo", "dy", "hr", "min", "sec":
		p.dateUnit(word, n)
	}
}

// dateUnit records one unit of a \creatim-like date.
func (p *rtfParser) dateUnit(word string, n int) {
	if p.dateField == "" {
		return
	}
	for i, unit := range [...]string{"yr", "mo", "dy", "hr", "min", "sec"} {
		if unit == word {
			p.date[i] = n
		}
	}
}
