package chunk

import (
	"slices"
	"strings"
	"testing"
)

// sentences cuts s at sentenceStarts.
func sentences(s string) []string {
	var out []string
	prev := 0
	for _, b := range sentenceStarts(s) {
		out = append(out, strings.TrimSpace(s[prev:b]))
		prev = b
	}
	return append(out, strings.TrimSpace(s[prev:]))
}

func TestSentenceStarts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"Erster Satz. Zweiter Satz.", []string{"Erster Satz.", "Zweiter Satz."}},
		{"Wirklich? Ja! Gut.", []string{"Wirklich?", "Ja!", "Gut."}},
		{"Erstens; zweitens", []string{"Erstens;", "zweitens"}},
		{"Das gilt z. B. für Kinder. Ende.", []string{"Das gilt z. B. für Kinder.", "Ende."}},
		{"Das gilt z.B. für Kinder.", []string{"Das gilt z.B. für Kinder."}},
		{"Siehe u. a. Nr. 3 und Abs. 2 bzw. ca. 5 Fälle.", []string{"Siehe u. a. Nr. 3 und Abs. 2 bzw. ca. 5 Fälle."}},
		{"Nach § 8 Abs. 1 S. 2 EStG gilt das. Sonst nicht.", []string{"Nach § 8 Abs. 1 S. 2 EStG gilt das.", "Sonst nicht."}},
		{"Dr. Müller kam. Er blieb.", []string{"Dr. Müller kam.", "Er blieb."}},
		{"Use e.g. Go. Or i.e. this. Done.", []string{"Use e.g. Go.", "Or i.e. this.", "Done."}},
		{"Es kostet 1.234,56 Euro. Danke.", []string{"Es kostet 1.234,56 Euro.", "Danke."}},
		{"Am 01.02.2024 begann es. Dann endete es.", []string{"Am 01.02.2024 begann es.", "Dann endete es."}},
		{"Es endete am 01.02.2024. Dann nicht.", []string{"Es endete am 01.02.2024.", "Dann nicht."}},
		{"Am 3. Mai kam er. Gut.", []string{"Am 3. Mai kam er.", "Gut."}},
		{"Es gilt Abs. 4. Satz 5 nicht.", []string{"Es gilt Abs. 4.", "Satz 5 nicht."}},
		{"Siehe § 12. Dann weiter.", []string{"Siehe § 12.", "Dann weiter."}},
		{"Er sagte: „Nein.“ Dann ging er.", []string{"Er sagte: „Nein.“", "Dann ging er."}},
		{"He left (finally.) Then rain.", []string{"He left (finally.)", "Then rain."}},
		{"Version 2.0 is out. Yes.", []string{"Version 2.0 is out.", "Yes."}},
		{"J. R. R. Tolkien wrote it.", []string{"J. R. R. Tolkien wrote it."}},
		{"kein Ende.", []string{"kein Ende."}},
		{"Ende...", []string{"Ende..."}},
		{"Wait... and see.", []string{"Wait... and see."}},
	}
	for _, tt := range tests {
		if got := sentences(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("sentences(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// segments cuts s at the boundaries of level.
func segments(s string, level int) []string {
	var out []string
	prev := 0
	for _, b := range boundaries(s, level) {
		out = append(out, strings.TrimSpace(s[prev:b]))
		prev = b
	}
	return append(out, strings.TrimSpace(s[prev:]))
}

func TestAbsatzStarts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"(1) Eins gilt.\n(2) Zwei gilt.", []string{"(1) Eins gilt.", "(2) Zwei gilt."}},
		{"(1) Eins gilt. (2) Zwei gilt. (2a) Drei.", []string{"(1) Eins gilt.", "(2) Zwei gilt.", "(2a) Drei."}},
		{"(1)\n1   Satz eins.\n(2)\n1   Satz.", []string{"(1)\n1   Satz eins.", "(2)\n1   Satz."}},
		{"nach Absatz\n(2) des Gesetzes gilt", []string{"nach Absatz\n(2) des Gesetzes gilt"}},
		{"im Sinne (1) Eins", []string{"im Sinne (1) Eins"}},
	}
	for _, tt := range tests {
		if got := segments(tt.in, cutAbsatz); !slices.Equal(got, tt.want) {
			t.Errorf("Absätze of %q\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestClauseStarts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"Folgende:\n1. eins,\n2. zwei", []string{"Folgende:", "1. eins,", "2. zwei"}},
		{"Text\n1.1 Unterpunkt\n1.2 Weiter", []string{"Text", "1.1 Unterpunkt", "1.2 Weiter"}},
		{"Text\na) erstens\naa) davon\nb) zweitens", []string{"Text", "a) erstens", "aa) davon", "b) zweitens"}},
		{"Text\n- Punkt\n• Punkt", []string{"Text", "- Punkt", "• Punkt"}},
		{"Satz\n1             Soweit\n2\tFerner", []string{"Satz", "1             Soweit", "2\tFerner"}},
		{"die Sätze\n1 bis 3 gelten", []string{"die Sätze\n1 bis 3 gelten"}},
		{"am\n2024 war", []string{"am\n2024 war"}},
		{"Das ist 1. gut", []string{"Das ist 1. gut"}},
	}
	for _, tt := range tests {
		if got := segments(tt.in, cutClause); !slices.Equal(got, tt.want) {
			t.Errorf("clauses of %q\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestStatuteTitles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		want  []string // titles
		after string   // text after the first title
	}{
		{"§ 8 Einkommen", []string{"§ 8 Einkommen"}, ""},
		{"§ 8 Einkommen\n(1) Einkommen ist …", []string{"§ 8 Einkommen"}, "(1) Einkommen ist …"},
		{"§ 8 Einkommen (1) Einkommen ist der Betrag.", []string{"§ 8 Einkommen"}, "(1) Einkommen ist der Betrag."},
		{"§ 4a\nDer Text folgt.", []string{"§ 4a"}, "Der Text folgt."},
		{"§ 1\nZweck\n(1) Der Zweck ist.", []string{"§ 1 Zweck"}, "(1) Der Zweck ist."},
		{"§ 3 (weggefallen)", []string{"§ 3 (weggefallen)"}, ""},
		{"Art. 5 Meinungsfreiheit\nJeder hat das Recht.", []string{"Art. 5 Meinungsfreiheit"}, "Jeder hat das Recht."},
		{"Art 1\n(1) Die Würde", []string{"Art 1"}, "(1) Die Würde"},
		{"Artikel 3 Inkrafttreten", []string{"Artikel 3 Inkrafttreten"}, ""},
		{"Ende.\n§ 2 Form\nText.\n§ 3 Inhalt", []string{"§ 2 Form", "§ 3 Inhalt"}, "Text."},
		{"§ 5 gilt entsprechend.", nil, ""},
		{"§ 4 Abs. 2 ist anzuwenden", nil, ""},
		{"§ 8 KStG bleibt unberührt", nil, ""},
		{"§ 8 Die Gesellschaft ist verpflichtet.", nil, ""},
		{"Text nach\n§ 4 Absatz 2 des Gesetzes", nil, ""},
		{"Text des\n§ 9 Zweiter Teil", nil, ""}, // wrapped, not after a sentence
		{"§§ 7c bis 7d (weggefallen)", nil, ""},
		{"Artikel 131 des Grundgesetzes", nil, ""},
		{"Art und Weise", nil, ""},
		{"§8a Sitz", []string{"§8a Sitz"}, ""},
	}
	for _, tt := range tests {
		ts := statuteTitles(tt.in)
		var got []string
		for _, x := range ts {
			got = append(got, x.title)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("titles of %q = %q, want %q", tt.in, got, tt.want)
			continue
		}
		if len(ts) > 0 {
			end := len(tt.in)
			if len(ts) > 1 {
				end = ts[1].start
			}
			if after := strings.TrimSpace(tt.in[min(ts[0].body, end):end]); after != tt.after {
				t.Errorf("text after the title of %q = %q, want %q", tt.in, after, tt.after)
			}
		}
	}
}
