package answer

import (
	"slices"
	"strings"
	"testing"
)

func TestExtractive(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		question  string
		sources   []Source
		lang      string
		wantFirst int    // source number of the best quote
		wantQuote string // text the best quote contains
	}{
		{"de tax rate books", "Welcher Steuersatz gilt für Bücher?", taxSources(), "de", 2, "7 Prozent"},
		{"de commuter allowance", "Wie hoch ist die Entfernungspauschale ab dem 21. Kilometer?", taxSources(), "de", 1, "0,38 Euro"},
		{"de deadline date", "Wann endet die Frist für die Steuererklärung 2023?", taxSources(), "de", 3, "02.09.2024"},
		{"de deposit", "Wie hoch ist die Kaution?", rentalSources(), "de", 2, "2.550,00 EUR"},
		{"de notice period", "Wie lange ist die Kündigungsfrist?", rentalSources(), "de", 3, "drei Monate"},
		{"de rent umlaut-free spelling", "Wie hoch ist die monatliche Grundmiete?", rentalSources(), "de", 1, "850,00 EUR"},
		{"de compound part", "Wer ist der Hausverwalter?", rentalSources(), "de", 3, "Dr. Müller"},
		{"en warranty X200", "How long is the warranty of the X200?", productSources(), "en", 2, "24 months"},
		{"en number picks product", "What is the flow rate of the X300?", productSources(), "en", 3, "2,000 litres"},
		{"en weight", "How much does the pump weigh in kg?", productSources(), "en", 1, "4.5 kg"},
		{"en question over German sources", "What is the notice period for the tenant? Kündigungsfrist", rentalSources(), "en", 3, "drei Monate"},
		{"de question over English sources", "Wie lange ist die warranty period?", productSources(), "de", 2, "24 months"},
		{"en entity in title only", "What is the warranty period of the X300?", productSources(), "en", 3, "36 months"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := Extractive(tt.question, tt.sources, Options{})
			if a.Language != tt.lang {
				t.Errorf("Language = %q, want %q", a.Language, tt.lang)
			}
			if a.Mode != ModeExtractive {
				t.Errorf("Mode = %q, want %q", a.Mode, ModeExtractive)
			}
			if len(a.Quotes) == 0 {
				t.Fatalf("no quotes; answer:\n%s", a.Text)
			}
			best := a.Quotes[0]
			if best.Source != tt.wantFirst || !strings.Contains(best.Sentence, tt.wantQuote) {
				t.Errorf("best quote = [%d] %q, want [%d] containing %q", best.Source, best.Sentence, tt.wantFirst, tt.wantQuote)
			}
			if a.Citations[0] != tt.wantFirst {
				t.Errorf("Citations = %v, want %d first", a.Citations, tt.wantFirst)
			}
			checkLayout(t, a)
		})
	}
}

// checkLayout verifies the answer's frame: the lead and note in its
// language, every quote followed by its citation, citations in order of
// first use matching the quotes.
func checkLayout(t *testing.T, a Answer) {
	t.Helper()
	msg := messagesFor(a.Language)
	if !strings.HasPrefix(a.Text, msg.lead+"\n") {
		t.Errorf("answer does not start with %q:\n%s", msg.lead, a.Text)
	}
	if !strings.HasSuffix(a.Text, msg.note) {
		t.Errorf("answer does not end with the extractive note %q:\n%s", msg.note, a.Text)
	}
	var cited []int
	for _, q := range a.Quotes {
		line := msg.quoteOpen + q.Sentence + msg.quoteClose + " [" + itoaTest(q.Source) + "]"
		if !strings.Contains(a.Text, line) {
			t.Errorf("answer lacks quote line %q:\n%s", line, a.Text)
		}
		if !slices.Contains(cited, q.Source) {
			cited = append(cited, q.Source)
		}
	}
	if !slices.Equal(cited, a.Citations) {
		t.Errorf("Citations = %v, want %v (order of first use)", a.Citations, cited)
	}
	if got := CitedSources(a.Text, []Source{{N: 1}, {N: 2}, {N: 3}, {N: 4}}); !slices.Equal(got, a.Citations) {
		t.Errorf("CitedSources(answer) = %v, want %v", got, a.Citations)
	}
}

func itoaTest(n int) string { return string(rune('0' + n)) }

func TestExtractiveNothingFound(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		question string
		sources  []Source
		lang     string
	}{
		{"de irrelevant", "Wer hat die Fußball-WM 2014 gewonnen?", rentalSources(), "de"},
		{"en irrelevant", "What is the capital of France?", productSources(), "en"},
		{"de only stopwords", "Was ist das denn?", taxSources(), "de"},
		{"de no sources", "Wie hoch ist die Kaution?", nil, "de"},
		{"en no sources", "How long is the warranty?", nil, "en"},
		{"empty question", "", rentalSources(), "de"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := Extractive(tt.question, tt.sources, Options{})
			if a.Language != tt.lang {
				t.Errorf("Language = %q, want %q", a.Language, tt.lang)
			}
			if len(a.Citations) != 0 || len(a.Quotes) != 0 {
				t.Errorf("Citations = %v, Quotes = %v, want none", a.Citations, a.Quotes)
			}
			msg := messagesFor(tt.lang)
			if a.Text != msg.nothing && a.Text != msg.noSources {
				t.Errorf("Text = %q, want the nothing-found answer", a.Text)
			}
			if strings.Contains(a.Text, "[") {
				t.Errorf("nothing-found answer cites: %q", a.Text)
			}
		})
	}
}

func TestExtractiveRedundancy(t *testing.T) {
	t.Parallel()
	// Chunk overlap repeats a sentence in the next chunk; a second
	// document says nearly the same.
	sources := []Source{
		{N: 1, Title: "Reisekostenrichtlinie", Text: "Die Verpflegungspauschale beträgt 14 Euro bei mehr als 8 Stunden Abwesenheit. Hotelkosten werden bis 120 Euro erstattet."},
		{N: 2, Title: "Reisekostenrichtlinie", Text: "Hotelkosten werden bis 120 Euro erstattet. Die Verpflegungspauschale beträgt 14 Euro bei mehr als 8 Stunden Abwesenheit."},
		{N: 3, Title: "FAQ Reisen", Text: "Bei mehr als 8 Stunden Abwesenheit beträgt die Verpflegungspauschale 14 Euro pro Tag."},
		{N: 4, Title: "FAQ Reisen", Text: "Für eine Abwesenheit von 24 Stunden gilt eine Verpflegungspauschale von 28 Euro."},
	}
	a := Extractive("Wie hoch ist die Verpflegungspauschale bei 8 Stunden Abwesenheit?", sources, Options{})
	checkLayout(t, a)
	count := 0
	for _, q := range a.Quotes {
		if strings.Contains(q.Sentence, "14 Euro") {
			count++
		}
	}
	if count != 1 {
		t.Errorf("the 14-Euro rule is quoted %d times, want once:\n%s", count, a.Text)
	}
	if len(a.Quotes) < 2 || !strings.Contains(a.Quotes[1].Sentence, "28 Euro") {
		t.Errorf("want the 28-Euro rule as second quote:\n%s", a.Text)
	}
}

func TestExtractiveLimits(t *testing.T) {
	t.Parallel()
	q := "Wie hoch ist die Kaution?"
	if a := Extractive(q, rentalSources(), Options{MaxSentences: 1}); len(a.Quotes) != 1 {
		t.Errorf("MaxSentences 1: %d quotes", len(a.Quotes))
	}
	a := Extractive(q, rentalSources(), Options{MaxChars: 40})
	if len(a.Quotes) != 1 {
		t.Fatalf("MaxChars 40: %d quotes, want 1 cut sentence", len(a.Quotes))
	}
	s := a.Quotes[0].Sentence
	if n := len([]rune(s)); n > 40 || !strings.HasSuffix(s, "…") {
		t.Errorf("MaxChars 40: quote %q (%d runes), want at most 40 ending in …", s, n)
	}
	all := Extractive(q, rentalSources(), Options{MaxSentences: 10, MaxChars: 10000})
	if len(all.Quotes) < 3 {
		t.Errorf("large limits: %d quotes, want all three Kaution sentences", len(all.Quotes))
	}
}

func TestExtractiveNumbersSources(t *testing.T) {
	t.Parallel()
	// N left 0: sources are numbered by position.
	sources := productSources()
	for i := range sources {
		sources[i].N = 0
	}
	a := Extractive("How long is the warranty of the X300?", sources, Options{})
	if len(a.Quotes) == 0 || a.Quotes[0].Source != 3 {
		t.Errorf("quotes = %v, want source 3 first", a.Quotes)
	}
}

func TestExtractiveDeterministic(t *testing.T) {
	t.Parallel()
	sources := append(append(taxSources(), rentalSources()...), productSources()...)
	first := Extractive("Wie hoch ist die Steuer für Bücher und die Kaution?", sources, Options{})
	for range 20 {
		if again := Extractive("Wie hoch ist die Steuer für Bücher und die Kaution?", sources, Options{}); again.Text != first.Text {
			t.Fatalf("answers differ:\n%s\n---\n%s", first.Text, again.Text)
		}
	}
}

func TestExtractiveLanguageFallback(t *testing.T) {
	t.Parallel()
	// "X200?" says nothing about its language; the sources decide.
	if a := Extractive("X200?", productSources(), Options{}); a.Language != "en" {
		t.Errorf("X200? over English sources: Language = %q, want en", a.Language)
	}
	if a := Extractive("850,00 EUR?", rentalSources(), Options{}); a.Language != "de" {
		t.Errorf("850,00 EUR? over German sources: Language = %q, want de", a.Language)
	}
}
