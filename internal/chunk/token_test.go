package chunk

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"   \n\t ", 0},
		{"the", 1},
		{"house", 1},
		{"houses", 2},
		{"Einkommensteuergesetz", 5}, // 21 letters
		{"§ 8 Abs. 1", 5},            // § | 8 | Abs | . | 1
		{"(1)", 3},
		{"z. B.", 4},
		{"1.234,56", 5}, // 1 . 234 , 56
		{"a | b", 3},
		{"----", 2},
		{"Grüße aus Köln", 3},
		{"日本語", 3},
		{"\xff\xfe", 1}, // invalid UTF-8 counts as symbols
	}
	for _, tt := range tests {
		if got := Tokens(tt.in); got != tt.want {
			t.Errorf("Tokens(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// TestTokensAdditive checks that Tokens adds up over whitespace, which
// packing relies on.
func TestTokensAdditive(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "Ä", "7", ".", "§", "(", "日", "ß", "-", "'"}
	word := func() string {
		var sb strings.Builder
		for range 1 + rng.IntN(12) {
			sb.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return sb.String()
	}
	for range 1000 {
		a, b := word(), word()
		sep := []string{" ", "\n", "\n\n", " \t "}[rng.IntN(4)]
		if got, want := Tokens(a+sep+b), Tokens(a)+Tokens(b); got != want {
			t.Fatalf("Tokens(%q) = %d, Tokens of its parts %d", a+sep+b, got, want)
		}
	}
}
