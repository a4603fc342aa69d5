package fulltext

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// terms is analyze under the pipeline of lang.
func terms(text, lang string) []string {
	return analyze(nil, text, pipelineOf(lang))
}

func TestScan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"§ 8 Abs. 1 KStG", []string{"§", "8", "Abs", "1", "KStG"}},
		{"§8b KStG", []string{"§", "8b", "KStG"}},
		{"§§ 13-15", []string{"§", "§", "13", "15"}},
		{"USt-IdNr. DE123456789", []string{"USt", "IdNr", "DE123456789"}},
		{"1.234,56 EUR und 3,5%", []string{"1.234,56", "EUR", "und", "3,5"}},
		{"z.B. e.g. U.S.A.", []string{"z.B", "e.g", "U.S.A"}},
		{"don't it’s Peters' x", []string{"don't", "it’s", "Peters", "x"}},
		{"Umsatzsteuer-Identifikationsnummer", []string{"Umsatzsteuer", "Identifikationsnummer"}},
		{"snake_case_name _x", []string{"snake_case_name", "x"}},
		{"Ende.Punkt 3.", []string{"Ende.Punkt", "3"}},
		{"Stra\u00ADße a\u0308b", []string{"Stra\u00ADße", "a\u0308b"}},
		{"日本語 text", []string{"日", "本", "語", "text"}},
		{"bad\xffbytes \xc3", []string{"bad", "bytes"}},
		{"  ", nil},
	}
	for _, tt := range tests {
		var got []string
		scan(tt.in, func(tok string, _ bool) { got = append(got, tok) })
		if !slices.Equal(got, tt.want) {
			t.Errorf("scan(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFold(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"Straße":       "strasse",
		"STRASSE":      "strasse",
		"Ärger":        "arger",
		"a\u0308b":     "ab",
		"ﬁnance":       "finance",
		"Ｆｕｌｌ":         "full",
		"Œuvre":        "oeuvre",
		"Łódź":         "lodz",
		"it’s":         "it's",
		"Stra\u00ADße": "strasse",
		"ẞ":            "ss",
	}
	for in, want := range tests {
		if got := string(fold(nil, in)); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
	long := strings.Repeat("ä", 100)
	if got := fold(nil, long); len(got) != maxTermBytes || !utf8.Valid(got) {
		t.Errorf("fold of a long token: %d bytes, valid %v", len(got), utf8.Valid(got))
	}
}

func TestAnalyzeGerman(t *testing.T) {
	t.Parallel()
	same := [][2]string{
		{"Steuern", "Steuer"},
		{"Verträge", "Vertrag"},
		{"Straße", "Strasse"},
		{"München", "Muenchen"},
		{"Gesellschaften", "Gesellschaft"},
		{"Häuser", "Haus"},
		{"Kündigungen", "Kündigung"},
		{"steuerpflichtige", "Steuerpflichtig"},
	}
	for _, p := range same {
		a, b := terms(p[0], German), terms(p[1], German)
		if len(a) != 1 || !slices.Equal(a, b) {
			t.Errorf("de: %q → %q and %q → %q, want one equal term", p[0], a, p[1], b)
		}
	}
	if got := terms("Die Steuer ist für den Vertrag und über das Jahr", German); !slices.Equal(got, []string{"steu", "vertrag", "jahr"}) {
		t.Errorf("German stop words: got %q", got)
	}
	if got := terms("Steuer", German); slices.Equal(got, terms("Quelle", German)) || got[0] != "steu" {
		t.Errorf("Steuer keeps its ue: %q", got)
	}
}

func TestAnalyzeEnglish(t *testing.T) {
	t.Parallel()
	same := [][2]string{
		{"running", "run"},
		{"contracts", "contract"},
		{"taxes", "tax"},
		{"studies", "study"},
		{"Company's", "company"},
	}
	for _, p := range same {
		a, b := terms(p[0], English), terms(p[1], English)
		if len(a) != 1 || !slices.Equal(a, b) {
			t.Errorf("en: %q → %q and %q → %q, want one equal term", p[0], a, p[1], b)
		}
	}
	if got := terms("The taxes of the company are due in June", English); !slices.Equal(got, []string{"tax", "compani", "due", "june"}) {
		t.Errorf("English stop words: got %q", got)
	}
}

func TestAnalyzeKeepsIdentifiers(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{German, English, "fr"} {
		got := terms("§ 8 KStG, USt-IdNr. DE123456789 über 1.234,56 EUR", lang)
		for _, want := range []string{"§", "8", "kstg", "de123456789", "1.234,56"} {
			if !slices.Contains(got, want) {
				t.Errorf("%s: %q lacks %q", lang, got, want)
			}
		}
	}
	if got := terms("Les contrats", "fr"); !slices.Equal(got, []string{"les", "contrats"}) {
		t.Errorf("other languages are folded only: %q", got)
	}
}

func TestDetectLanguage(t *testing.T) {
	t.Parallel()
	tests := []struct{ text, want string }{
		{"Die Körperschaftsteuer beträgt 15 Prozent des zu versteuernden Einkommens.", German},
		{"Der Vertrag ist nicht wirksam, wenn er gegen ein Gesetz verstößt.", German},
		{"The contract is void if it violates the law of the land.", English},
		{"What was the name of the band that played at the event?", English},
		{"Kündigung", German},
		{"DE123456789 1.234,56", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := DetectLanguage(tt.text); got != tt.want {
			t.Errorf("DetectLanguage(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestAnalyzeQuery(t *testing.T) {
	t.Parallel()
	weights := func(q string) map[string]float32 {
		m := map[string]float32{}
		for _, t := range analyzeQuery(q) {
			m[t.text] = t.weight
		}
		return m
	}
	got := weights("die Verträge der Gesellschaft")
	if _, ok := got["die"]; ok {
		t.Errorf("German query keeps the German stop word as English term: %v", got)
	}
	if got["vertrag"] != 1 || got["gesellschaft"] != 1 {
		t.Errorf("German query: %v", got)
	}
	got = weights("running contracts")
	if got["run"] != 1 || got["contract"] != 1 {
		t.Errorf("English stems missing: %v", got)
	}
	for _, q := range []string{"the and of it", "und der die", "in an"} {
		if got := weights(q); len(got) != 0 {
			t.Errorf("stop words only %q: %v", q, got)
		}
	}
	if got := weights("die Steuer"); got["steu"] != 1 || got["die"] != 0 {
		t.Errorf("German stop word in a short query: %v", got)
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		"§ 8 Abs. 1 KStG", "1.234,56", "don't", "Straße", "a\u0308", "日本語",
		"bad\xff\xfe", "'.,;_", "x.", "ẞ\u00ad", strings.Repeat("ä", 70),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range []pipeline{germanPipe, englishPipe, plainPipe} {
			for _, term := range analyze(nil, s, p) {
				if term == "" || !utf8.ValidString(term) || len(term) > maxTermBytes+8 {
					t.Fatalf("pipeline %d: bad term %q from %q", p, term, s)
				}
			}
		}
		for _, q := range analyzeQuery(s) {
			if q.text == "" || q.weight <= 0 {
				t.Fatalf("bad query term %+v from %q", q, s)
			}
		}
		DetectLanguage(s)
	})
}
