package answer

import (
	"slices"
	"testing"
)

func TestSplitSentences(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"plain", "Erster Satz. Zweiter Satz! Dritter? Ja.",
			[]string{"Erster Satz.", "Zweiter Satz!", "Dritter?", "Ja."}},
		{"z. B. and u. a.", "Das gilt z. B. für Bücher, u. a. Romane. Danach kommt mehr.",
			[]string{"Das gilt z. B. für Bücher, u. a. Romane.", "Danach kommt mehr."}},
		{"statute citation", "Siehe § 8 Abs. 1 S. 2 Nr. 3 EStG. Das ist wichtig.",
			[]string{"Siehe § 8 Abs. 1 S. 2 Nr. 3 EStG.", "Das ist wichtig."}},
		{"Dr. and Nr.", "Dr. Müller wohnt in der Hauptstr. 5, Zimmer Nr. 12. Er ist da.",
			[]string{"Dr. Müller wohnt in der Hauptstr. 5, Zimmer Nr. 12.", "Er ist da."}},
		{"numbers and dates", "Der Betrag von 1.234,56 EUR ist am 01.02.2024 fällig. Danach nicht.",
			[]string{"Der Betrag von 1.234,56 EUR ist am 01.02.2024 fällig.", "Danach nicht."}},
		{"date ends sentence", "Der Vertrag endet am 31.12.2025. Danach gilt er nicht.",
			[]string{"Der Vertrag endet am 31.12.2025.", "Danach gilt er nicht."}},
		{"ordinal", "Die Miete ist am 3. Werktag fällig. Am 1. Januar steigt sie.",
			[]string{"Die Miete ist am 3. Werktag fällig.", "Am 1. Januar steigt sie."}},
		{"English e.g. and i.e.", "Use a mains supply, e.g. 230 V. Keep the receipt, i.e. the invoice. Mr. Smith agrees.",
			[]string{"Use a mains supply, e.g. 230 V.", "Keep the receipt, i.e. the invoice.", "Mr. Smith agrees."}},
		{"unknown abbreviation before lower case", "Es sind ca. zehn Stück. Gut.",
			[]string{"Es sind ca. zehn Stück.", "Gut."}},
		{"quotes close sentence", `Er sagte: „Das gilt.“ Danach ging er.`,
			[]string{`Er sagte: „Das gilt.“`, "Danach ging er."}},
		{"wrapped lines joined", "Die Kaution beträgt drei\nMonatsmieten. Sie wird\nverzinst.",
			[]string{"Die Kaution beträgt drei Monatsmieten.", "Sie wird verzinst."}},
		{"list items and heading lines", "Folgende Kosten:\n- Heizung\n- Wasser\n\nAbsatz ohne Punkt\nNeuer Satz.",
			[]string{"Folgende Kosten:", "- Heizung", "- Wasser", "Absatz ohne Punkt Neuer Satz."}},
		{"table rows", "| Artikel | Preis |\n| X200 | 499,00 |",
			[]string{"| Artikel | Preis |", "| X200 | 499,00 |"}},
		{"punctuation only dropped", "... ! Text.", []string{"Text."}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := splitSentences(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("splitSentences(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestStripContextLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, section, want string
	}{
		{"path line", "Teil 2 > § 8 Einkommen\nDer Text.", "Teil 2 > § 8 Einkommen", "Der Text."},
		{"path line, other section form", "EStG > … > § 9 Werbungskosten\nDer Text.", "", "Der Text."},
		{"single title equal to section", "Hinweise\nDer Text.", "Hinweise", "Der Text."},
		{"cut title", "Sehr langer Titel …\nDer Text.", "Sehr langer Titel mit Ende", "Der Text."},
		{"first line is a sentence", "Der erste Satz.\nDer Text.", "Hinweise", "Der erste Satz.\nDer Text."},
		{"first line not the section", "Anderes\nDer Text.", "Hinweise", "Anderes\nDer Text."},
		{"one line", "Hinweise", "Hinweise", "Hinweise"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := stripContextLine(tt.text, tt.section); got != tt.want {
				t.Errorf("stripContextLine(%q, %q) = %q, want %q", tt.text, tt.section, got, tt.want)
			}
		})
	}
}

func TestTermsMatchInflections(t *testing.T) {
	t.Parallel()
	pairs := [][2]string{
		{"Miete", "Mieten"}, {"Vertrag", "Verträge"}, {"Gebäude", "Gebaeude"}, {"Kaution", "Kautionen"},
		{"Steuer", "Steuern"}, {"Monat", "Monats"}, {"vollen", "vollem"}, {"Straße", "Strasse"},
		{"warranty", "warranties"}, {"month", "months"}, {"tax", "taxes"}, {"user", "users"}, {"notice", "notices"},
	}
	for _, p := range pairs {
		a, b := terms(p[0]), terms(p[1])
		if len(a) != 1 || len(b) != 1 || a[0].key != b[0].key {
			t.Errorf("terms(%q) = %v, terms(%q) = %v, want one equal key", p[0], a, p[1], b)
		}
	}
	for _, w := range []string{"der", "und", "the", "what", "über", "für"} {
		if got := terms(w); len(got) != 0 {
			t.Errorf("terms(%q) = %v, want stopword dropped", w, got)
		}
	}
	got := terms("X200 kostet 1.234,56 EUR laut EStG")
	want := []term{{"x200", weightEntity}, {"kostet", weightWord}, {"1.234,56", weightNumber}, {"eur", weightEntity}, {"laut", weightWord}, {"estg", weightEntity}}
	if !slices.Equal(got, want) {
		t.Errorf("terms = %v, want %v", got, want)
	}
}
