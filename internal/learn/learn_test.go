package learn_test

import (
	"testing"

	"github.com/zero711/brain/internal/learn"
)

type hit struct {
	id    string
	score float64
}

func (h *hit) Chunk() string      { return h.id }
func (h *hit) Value() float64     { return h.score }
func (h *hit) SetValue(v float64) { h.score = v }

const q = "Wie hoch ist der Körperschaftsteuersatz für die GmbH?"

func TestAdjustment(t *testing.T) {
	votes := []learn.Vote{
		// One user repeating a thumb down counts once.
		{ChunkID: "a", UserID: "u1", Question: q, Rating: -1},
		{ChunkID: "a", UserID: "u1", Question: q, Rating: -1},
		{ChunkID: "a", UserID: "u1", Question: q, Rating: -1},
		// Three users agree on b.
		{ChunkID: "b", UserID: "u1", Question: q, Rating: 1},
		{ChunkID: "b", UserID: "u2", Question: "Körperschaftsteuersatz der GmbH?", Rating: 1},
		{ChunkID: "b", UserID: "u3", Question: q, Rating: 1},
		// A vote on an unrelated question.
		{ChunkID: "c", UserID: "u1", Question: "Kündigungsfrist im Mietvertrag", Rating: -1},
	}
	m := learn.Build(votes, nil, learn.Options{})
	a, b, c := m.Adjustment(q, "a"), m.Adjustment(q, "b"), m.Adjustment(q, "c")
	if !(a < 0 && a > -0.5) {
		t.Errorf("one user's repeated thumbs down: %v, want a small negative adjustment", a)
	}
	if !(b > 0.5 && b <= 1) {
		t.Errorf("three users' thumbs up: %v", b)
	}
	if c != 0 {
		t.Errorf("vote on an unrelated question moved the chunk: %v", c)
	}
	if m.Adjustment(q, "unknown") != 0 {
		t.Error("chunk without votes moved")
	}
}

func TestRerank(t *testing.T) {
	votes := []learn.Vote{
		{ChunkID: "b", UserID: "u1", Question: q, Rating: 1},
		{ChunkID: "b", UserID: "u2", Question: q, Rating: 1},
		{ChunkID: "a", UserID: "u1", Question: q, Rating: -1},
		{ChunkID: "a", UserID: "u3", Question: q, Rating: -1},
	}
	m := learn.Build(votes, nil, learn.Options{})
	hits := []*hit{{"a", 1.0}, {"b", 0.8}, {"c", 0.7}}
	learn.Rerank(m, q, hits)
	if hits[0].id != "b" || hits[1].id != "a" && hits[1].id != "c" {
		t.Errorf("after feedback: %v %v %v", *hits[0], *hits[1], *hits[2])
	}
	// Another question's ranking is untouched.
	other := []*hit{{"a", 1.0}, {"b", 0.8}}
	learn.Rerank(m, "Wie lange gilt die Gewährleistung?", other)
	if other[0].id != "a" || other[0].score != 1.0 {
		t.Errorf("unrelated question reranked: %v", *other[0])
	}
	// No feedback: nothing changes.
	plain := []*hit{{"x", 0.5}, {"y", 0.9}}
	learn.Rerank(learn.Build(nil, nil, learn.Options{}), q, plain)
	if plain[0].id != "x" {
		t.Error("an empty model reordered hits")
	}
}

func TestReuse(t *testing.T) {
	m := learn.Build(nil, []learn.Correction{
		{Question: "Wie hoch ist der Körperschaftsteuersatz?", Answer: "15 % zuzüglich Solidaritätszuschlag.", MessageID: "m1"},
		{Question: "Wer ist Geschäftsführer der Acme GmbH?", Answer: "Erika Muster.", MessageID: "m2"},
	}, learn.Options{})
	for _, tt := range []struct {
		q    string
		want string
	}{
		{"Wie hoch ist der Körperschaftsteuersatz?", "m1"},
		{"wie hoch ist der körperschaftsteuersatz", "m1"},
		{"Wer ist der Geschäftsführer der Acme GmbH", "m2"},
		{"Wie hoch ist die Gewerbesteuer?", ""},
		{"Kündigungsfrist?", ""},
	} {
		c, sim, ok := m.Reuse(tt.q)
		if got := map[bool]string{true: c.MessageID, false: ""}[ok]; got != tt.want {
			t.Errorf("Reuse(%q) = %q (similarity %.2f), want %q", tt.q, got, sim, tt.want)
		}
	}
}

func TestTerms(t *testing.T) {
	got := learn.Terms("Die Steuern der GmbHs und Straßen, the rates!")
	if got["die"] || got["the"] || got["und"] {
		t.Errorf("stop words kept: %v", got)
	}
	if !got[firstKey(learn.Terms("Steuer"))] || !got[firstKey(learn.Terms("Strasse"))] || !got[firstKey(learn.Terms("rate"))] {
		t.Errorf("inflections not matched: %v", got)
	}
}

func firstKey(m map[string]bool) string {
	for k := range m {
		return k
	}
	return ""
}

func FuzzTerms(f *testing.F) {
	for _, s := range []string{q, "", "ÄÖÜß", "\xff\xfe", "a b c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := learn.Build([]learn.Vote{{ChunkID: "x", UserID: "u", Question: s, Rating: 1}},
			[]learn.Correction{{Question: s, Answer: "a"}}, learn.Options{})
		if a := m.Adjustment(s, "x"); a < -1 || a > 1 {
			t.Fatalf("adjustment %v out of range", a)
		}
		for term := range learn.Terms(s) {
			if term == "" {
				t.Fatal("empty term")
			}
		}
	})
}
