package pdf

import (
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"
)

// maxCERRunes caps the texts compared by characterErrorRate: the
// bit-parallel distance takes time proportional to the product of the
// lengths divided by 64.
const maxCERRunes = 200_000

// characterErrorRate is the Levenshtein distance between the
// whitespace-normalised got and want, divided by want's length; ok is
// false when either text is over maxCERRunes (or want is empty).
func characterErrorRate(got, want string) (cer float64, ok bool) {
	g := []rune(strings.Join(strings.Fields(got), " "))
	w := []rune(strings.Join(strings.Fields(want), " "))
	if len(w) == 0 || len(g) > maxCERRunes || len(w) > maxCERRunes {
		return 0, false
	}
	return float64(levenshtein(g, w)) / float64(len(w)), true
}

// levenshtein is Myers' bit-parallel edit distance (Hyyrö's block
// formulation, as edlib computes it): the shorter text is the pattern,
// cut into blocks of 64 rows whose vertical deltas live in two words
// each, and the longer text is walked column by column. Memory is
// O(σ·m/64) for the match masks of the σ distinct pattern runes.
func levenshtein(a, b []rune) int {
	if len(a) > len(b) {
		a, b = b, a
	}
	m := len(a)
	if m == 0 {
		return len(b)
	}
	nb := (m + 63) / 64
	peq := make(map[rune][]uint64)
	for i, r := range a {
		v := peq[r]
		if v == nil {
			v = make([]uint64, nb)
			peq[r] = v
		}
		v[i/64] |= 1 << (i % 64)
	}
	pv := make([]uint64, nb)
	mv := make([]uint64, nb)
	for i := range pv {
		pv[i] = ^uint64(0)
	}
	zero := make([]uint64, nb)
	for _, c := range b {
		eqs := peq[c]
		if eqs == nil {
			eqs = zero
		}
		hin := 1 // the top row's horizontal delta: D[0][j] = j
		for k := range nb {
			pv[k], mv[k], hin = advanceBlock(pv[k], mv[k], eqs[k], hin)
		}
	}
	// D[m][n] = D[0][n] + the vertical deltas of the pattern's rows.
	d := len(b)
	for k := range nb {
		p, q := pv[k], mv[k]
		if k == nb-1 && m%64 != 0 {
			mask := uint64(1)<<(m%64) - 1
			p, q = p&mask, q&mask
		}
		d += bits.OnesCount64(p) - bits.OnesCount64(q)
	}
	return d
}

// advanceBlock computes one 64-row block of one column from its
// vertical deltas (pv: +1, mv: -1), the match mask and the horizontal
// delta entering at the top, returning the new deltas and the
// horizontal delta leaving at the bottom.
func advanceBlock(pv, mv, eq uint64, hin int) (uint64, uint64, int) {
	var hinNeg uint64
	if hin < 0 {
		hinNeg = 1
	}
	xv := eq | mv
	eq |= hinNeg
	xh := (((eq & pv) + pv) ^ pv) | eq
	ph := mv | ^(xh | pv)
	mh := pv & xh
	hout := 0
	if ph&(1<<63) != 0 {
		hout = 1
	} else if mh&(1<<63) != 0 {
		hout = -1
	}
	ph <<= 1
	mh <<= 1
	mh |= hinNeg
	if hin > 0 {
		ph |= 1
	}
	return mh | ^(xv | ph), ph & xv, hout
}

// levenshteinDP is the textbook two-row dynamic programme, O(min(n,m))
// memory, kept as the reference the bit-parallel version is tested
// against.
func levenshteinDP(a, b []rune) int {
	if len(a) > len(b) {
		a, b = b, a
	}
	prev := make([]int, len(a)+1)
	cur := make([]int, len(a)+1)
	for i := range prev {
		prev[i] = i
	}
	for j := 1; j <= len(b); j++ {
		cur[0] = j
		for i := 1; i <= len(a); i++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[i] = min(prev[i]+1, cur[i-1]+1, prev[i-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(a)]
}

func TestLevenshtein(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"kitten", "sitting", 3},
		{"flaw", "lawn", 2},
		{"Wortende", "Wort-ende", 1},
		{"äöü", "aou", 3},
		{strings.Repeat("a", 130), strings.Repeat("a", 129) + "b", 1},
		{strings.Repeat("ab", 100), strings.Repeat("ba", 100), 2},
	}
	for _, tt := range tests {
		if got := levenshtein([]rune(tt.a), []rune(tt.b)); got != tt.want {
			t.Errorf("levenshtein(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := levenshteinDP([]rune(tt.a), []rune(tt.b)); got != tt.want {
			t.Errorf("levenshteinDP(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestLevenshteinMatchesDP(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		a := randomText(rng, rng.IntN(300))
		b := mutate(rng, a)
		if got, want := levenshtein(a, b), levenshteinDP(a, b); got != want {
			t.Fatalf("levenshtein(%q, %q) = %d, DP says %d", string(a), string(b), got, want)
		}
	}
}

func FuzzLevenshtein(f *testing.F) {
	f.Add("kitten", "sitting")
	f.Add(strings.Repeat("x", 70), strings.Repeat("y", 65))
	f.Fuzz(func(t *testing.T, a, b string) {
		ra, rb := []rune(a), []rune(b)
		if len(ra) > 500 || len(rb) > 500 {
			return
		}
		if got, want := levenshtein(ra, rb), levenshteinDP(ra, rb); got != want {
			t.Fatalf("levenshtein(%q, %q) = %d, DP says %d", a, b, got, want)
		}
	})
}

func randomText(rng *rand.Rand, n int) []rune {
	alphabet := []rune("abcdé ")
	out := make([]rune, n)
	for i := range out {
		out[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return out
}

func mutate(rng *rand.Rand, a []rune) []rune {
	out := append([]rune(nil), a...)
	for range rng.IntN(20) {
		switch i := rng.IntN(len(out) + 1); rng.IntN(3) {
		case 0:
			out = append(out[:i], append([]rune{'z'}, out[i:]...)...)
		case 1:
			if i < len(out) {
				out = append(out[:i], out[i+1:]...)
			}
		default:
			if i < len(out) {
				out[i] = 'q'
			}
		}
	}
	return out
}
