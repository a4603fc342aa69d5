package chunk

import (
	"strings"
	"unicode/utf8"
)

// Limits of the context line that starts each chunk.
const (
	maxOuterRunes   = 48  // an enclosing section's title is cut after this many characters
	maxInnerRunes   = 160 // the chunk's own section title is cut after this many
	maxPrefixTokens = 64  // and the whole line takes at most this many tokens (and MaxTokens/4)
	pathSep         = " > "
	ellipsis        = "…"
)

// contextLine renders a section path as the one-line prefix of a chunk,
// "Teil 2 > § 8 Einkommen", in at most maxTok tokens: long titles are cut
// at a word with "…"; when the line is still too long, the middle of the
// path gives way first ("EStG > … > § 2 Umfang"), then its start, then
// the end of the innermost title. shown lists the titles it shows in
// full.
func contextLine(path []string, maxTok int) (line string, shown []string) {
	if len(path) == 0 || maxTok <= 0 {
		return "", nil
	}
	elems := make([]string, len(path))
	full := make([]bool, len(path))
	for i, p := range path {
		limit := maxOuterRunes
		if i == len(path)-1 {
			limit = maxInnerRunes
		}
		elems[i], full[i] = truncRunes(p, limit)
	}
	keep := make([]int, len(path))
	for i := range keep {
		keep[i] = i
	}
	for {
		line = renderPath(elems, keep)
		if Tokens(line) <= maxTok {
			break
		}
		if len(keep) > 2 {
			keep = append(keep[:1], keep[2:]...)
			continue
		}
		if len(keep) == 2 {
			keep = keep[1:]
			continue
		}
		last := len(path) - 1
		line, full[last] = truncTokens(elems[last], maxTok), false
		if line == "" {
			return "", nil
		}
		break
	}
	for _, i := range keep {
		if full[i] {
			shown = append(shown, path[i])
		}
	}
	return line, shown
}

// renderPath joins the kept elements, marking a gap with "…".
func renderPath(elems []string, keep []int) string {
	var sb strings.Builder
	for k, i := range keep {
		if k > 0 {
			sb.WriteString(pathSep)
			if i != keep[k-1]+1 {
				sb.WriteString(ellipsis + pathSep)
			}
		}
		sb.WriteString(elems[i])
	}
	return sb.String()
}

// truncRunes cuts s to at most n characters at a word boundary, marking
// the cut with "…"; full reports that nothing was cut.
func truncRunes(s string, n int) (string, bool) {
	if utf8.RuneCountInString(s) <= n {
		return s, true
	}
	cut, k := len(s), 0
	for i := range s {
		if k == n {
			cut = i
			break
		}
		k++
	}
	t := s[:cut]
	if sp := strings.LastIndexByte(t, ' '); sp > 0 {
		t = t[:sp]
	}
	return strings.TrimSpace(t) + ellipsis, false
}

// truncTokens keeps the words of s that fit maxTok tokens with a
// trailing "…"; "" when not even one does.
func truncTokens(s string, maxTok int) string {
	budget := maxTok - Tokens(ellipsis)
	used, end := 0, 0
	for i := 0; i < len(s); {
		i = skipSpace(s, i)
		j := i
		for j < len(s) && !isSpaceByte(s[j]) {
			j++
		}
		if i == j {
			break
		}
		t := Tokens(s[i:j])
		if used+t > budget {
			break
		}
		used, end = used+t, j
		i = j
	}
	if end == 0 {
		return ""
	}
	return s[:end] + ellipsis
}
