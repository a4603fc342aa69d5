package language

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/zero711/brain/internal/corpustest"
)

func TestDetect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want string
	}{
		{"Wie hoch ist der Steuersatz?", German},
		{"What is the VAT rate?", English},
		{"Wann muss die Umsatzsteuervoranmeldung abgegeben werden?", German},
		{"Who signed the contract with the supplier?", English},
		{"Größe und Gewicht", German},
		{"Die Gesellschaft ist verpflichtet, den Jahresabschluss aufzustellen.", German},
		{"The company shall prepare its annual financial statements within three months.", English},
		{"Der Vertrag wurde am 1. März unterzeichnet. The contract was signed by both parties and the court approved it.", English},
		{"Der Vertrag wurde am 1. März von beiden Parteien unterzeichnet und ist seit dem gültig. Signed by both.", German},
		{"", ""},
		{"1234 5678 90 !!", ""},
		{"Le contrat a été signé par les deux parties le premier mars.", ""},
		{"El contrato fue firmado por ambas partes el primero de marzo.", ""},
		{"func main() { fmt.Println(x) }", ""},
	}
	for _, tt := range tests {
		got, conf := Detect(tt.text)
		if got != tt.want {
			t.Errorf("Detect(%q) = %q (%.2f), want %q", tt.text, got, conf, tt.want)
		}
		if conf < 0 || conf > 1 {
			t.Errorf("Detect(%q) confidence %v out of [0,1]", tt.text, conf)
		}
	}
}

func TestDetectSamplesLongText(t *testing.T) {
	t.Parallel()
	text := strings.Repeat("Die Steuer ist nicht fällig, wenn der Antrag fehlt. ", 2000) + strings.Repeat("the and of ", 100000)
	if got, _ := Detect(text); got != German {
		t.Fatalf("Detect(long) = %q, want de from the first 20 kB", got)
	}
	if s := sample(strings.Repeat("ä", maxSample)); !utf8.ValidString(s) {
		t.Fatal("sample cut a rune")
	}
}

// TestDetectCorpus measures accuracy on real English (SQuAD paragraphs
// and questions) and German (federal laws) text.
func TestDetectCorpus(t *testing.T) {
	t.Parallel()
	squad := corpustest.Dir(t, "qa/squad-v1.1")
	laws := corpustest.Dir(t, "laws")

	paras, questions := squadTexts(t, filepath.Join(squad, "dev-v1.1.json"))
	lawParas := lawTexts(t, laws)
	sets := []struct {
		name  string
		want  string
		texts []string
		floor float64
	}{
		{"squad paragraphs", English, paras, 0.99},
		{"squad questions", English, questions, 0.95},
		{"law paragraphs", German, lawParas, 0.97},
	}
	for _, set := range sets {
		ok := 0
		var miss []string
		for _, text := range set.texts {
			if got, _ := Detect(text); got == set.want {
				ok++
			} else if len(miss) < 5 {
				miss = append(miss, text)
			}
		}
		acc := float64(ok) / float64(len(set.texts))
		t.Logf("%s: %d/%d = %.4f", set.name, ok, len(set.texts), acc)
		if acc < set.floor {
			t.Errorf("%s accuracy %.4f below %.2f; misses: %q", set.name, acc, set.floor, miss)
		}
	}
}

func squadTexts(t *testing.T, path string) (paras, questions []string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ds struct {
		Data []struct {
			Paragraphs []struct {
				Context string `json:"context"`
				QAs     []struct {
					Question string `json:"question"`
				} `json:"qas"`
			} `json:"paragraphs"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &ds); err != nil {
		t.Fatal(err)
	}
	for _, a := range ds.Data {
		for _, p := range a.Paragraphs {
			paras = append(paras, p.Context)
			for _, q := range p.QAs {
				questions = append(questions, q.Question)
			}
		}
	}
	return paras, questions
}

// lawTexts returns the prose paragraphs (blank-line separated, at least
// 80 bytes, not headings or front matter) of the German laws.
func lawTexts(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no laws in %s: %v", dir, err)
	}
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range strings.Split(string(b), "\n\n") {
			p = strings.TrimSpace(p)
			if len(p) < 80 || strings.HasPrefix(p, "#") || strings.Contains(p, "slug:") {
				continue
			}
			out = append(out, p)
		}
	}
	return out
}

func FuzzDetect(f *testing.F) {
	for _, s := range []string{"Wie hoch ist der Steuersatz?", "What is the VAT rate?", "", "ääääßß", strings.Repeat("x", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		lang, conf := Detect(text)
		if conf < 0 || conf > 1 || (lang != "" && lang != German && lang != English) {
			t.Fatalf("Detect(%q) = %q, %v", text, lang, conf)
		}
	})
}
