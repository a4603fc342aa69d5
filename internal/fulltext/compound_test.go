package fulltext

import (
	"slices"
	"testing"
)

func TestSearchSplitsCompounds(t *testing.T) {
	t.Parallel()
	x := build(t, []doc{
		{1, "de", "Die Kündigung des Mietvertrags muss schriftlich erfolgen."},
		{2, "de", "Die Kündigung des Arbeitsvertrags ist fristgerecht."},
		{3, "de", "Der Mietvertrag läuft unbefristet."},
		{4, "de", "Körperschaften zahlen Steuern auf ihr Einkommen."},
	})
	tests := []struct {
		query string
		top   uint64
	}{
		{"Mietvertragskündigung", 1},
		{"Arbeitsvertragskündigung", 2},
		{"Körperschaftsteuer", 4},
	}
	for _, tt := range tests {
		if hits := x.Search(tt.query, 3, nil); len(hits) == 0 || hits[0].ID != tt.top {
			t.Errorf("Search(%q) = %v, want %d first", tt.query, hits, tt.top)
		}
	}
	// An indexed compound is not split.
	if got := ids(x.Search("Mietvertrag", 10, nil)); !slices.Equal(got, []uint64{3, 1}) && !slices.Equal(got, []uint64{1, 3}) {
		t.Errorf("Mietvertrag: %v", got)
	}
	if got := ids(x.Search("Unbekanntwort", 10, nil)); len(got) != 0 {
		t.Errorf("unsplittable word: %v", got)
	}
}
