package embed

import (
	"context"
	"math"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzBuiltin feeds arbitrary bytes to the builtin embedder: it must not
// panic, must give a finite unit vector for any text with a letter, digit
// or combining mark
// and the zero vector otherwise, and must give the same vector twice.
func FuzzBuiltin(f *testing.F) {
	for _, s := range []string{
		"", "a", "Grüße aus Köln", "Gru\u0308ße", "\xff\xfe", "a\u0308\u0308\u0308", "日本語",
		"to be or not to be", "ẞ", "İstanbul", "x\x00y", "٣٤٥", "🙂 emoji",
	} {
		f.Add(s)
	}
	b, err := NewBuiltin(BuiltinConfig{Dim: 64})
	if err != nil {
		f.Fatal(err)
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, text string) {
		vs, err := b.Embed(ctx, []string{text, text}, Passage)
		if err != nil {
			t.Fatal(err)
		}
		var sum float64
		for i, x := range vs[0] {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				t.Fatalf("component %d is %v", i, x)
			}
			if x != vs[1][i] {
				t.Fatalf("component %d differs between two embeddings of the same text", i)
			}
			sum += float64(x) * float64(x)
		}
		if hasWordRune(text) {
			if math.Abs(sum-1) > 1e-5 {
				t.Fatalf("squared length %v, want 1", sum)
			}
		} else if sum != 0 {
			t.Fatalf("text without letters or digits: squared length %v, want 0", sum)
		}
	})
}

// hasWordRune reports whether text holds a letter, digit or combining mark,
// which is what the tokenizer builds words from.
func hasWordRune(text string) bool {
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) {
			return true
		}
	}
	return false
}
