package answer

import (
	"slices"
	"strings"
	"testing"
)

func TestCitedSources(t *testing.T) {
	t.Parallel()
	five := []Source{{N: 1}, {N: 2}, {N: 3}, {N: 4}, {N: 5}}
	tests := []struct {
		name    string
		text    string
		sources []Source
		want    []int
	}{
		{"single", "Die Kaution beträgt 2.550 EUR [2].", five, []int{2}},
		{"adjacent", "Das gilt [2][3] und [1].", five, []int{2, 3, 1}},
		{"list", "Siehe [1, 2] und [4; 5].", five, []int{1, 2, 4, 5}},
		{"en dash range", "Laut [1–3] gilt das.", five, []int{1, 2, 3}},
		{"hyphen range and list", "Siehe [2-3, 5].", five, []int{2, 3, 5}},
		{"em dash range", "See [4—5].", five, []int{4, 5}},
		{"repeats once, first use order", "[3] dann [1] dann [3][1].", five, []int{3, 1}},
		{"numbers not sources ignored", "Siehe [7] und [0] und [2].", five, []int{2}},
		{"range clipped to sources", "Siehe [4–9].", five, []int{4, 5}},
		{"huge range", "Siehe [1–999999999].", five, nil},
		{"reversed range", "Siehe [3–1].", five, nil},
		{"prose brackets", "Ein [Hinweis] und [a, 1] und [] und [1.5].", five, nil},
		{"markdown link", "[2](https://example.com) ok", five, []int{2}},
		{"unclosed", "Offen [1 und [2]", five, []int{2}},
		{"numbers by position", "Siehe [2].", []Source{{}, {}}, []int{2}},
		{"custom numbers", "Siehe [10] und [1].", []Source{{N: 10}, {N: 11}}, []int{10}},
		{"spaces", "Siehe [ 1 ,2 ].", five, []int{1, 2}},
		{"no sources", "Siehe [1].", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := CitedSources(tt.text, tt.sources); !slices.Equal(got, tt.want) {
				t.Errorf("CitedSources(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func FuzzCitedSources(f *testing.F) {
	for _, s := range []string{"[1]", "[2][3]", "[1, 2]", "[1–3]", "[4-9; 2]", "[[1]]", "[1–999999]", "x [ 3 ] y", "[\xff]"} {
		f.Add(s)
	}
	sources := []Source{{N: 1}, {N: 2}, {N: 3}, {N: 7}}
	f.Fuzz(func(t *testing.T, text string) {
		got := CitedSources(text, sources)
		seen := make(map[int]bool)
		for _, n := range got {
			if n != 1 && n != 2 && n != 3 && n != 7 {
				t.Fatalf("CitedSources(%q) returned %d, not a source", text, n)
			}
			if seen[n] {
				t.Fatalf("CitedSources(%q) returned %d twice", text, n)
			}
			seen[n] = true
		}
	})
}

func FuzzSplitSentences(f *testing.F) {
	for _, s := range []string{"Das gilt z. B. hier. Dort nicht.", "§ 8 Abs. 1 S. 2.", "1.234,56. Ende", "e.g. x\n- a\n| b |", "…!?„“"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, s := range splitSentences(text) {
			if s == "" || s != strings.TrimSpace(s) {
				t.Fatalf("splitSentences(%q) gave untrimmed or empty %q", text, s)
			}
		}
		_ = Extractive(text, []Source{{Text: text}}, Options{})
	})
}
