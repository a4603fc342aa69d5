package answer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zero711/brain/internal/chunk"
)

func TestBuildPromptAllFit(t *testing.T) {
	t.Parallel()
	system, user, used := BuildPrompt("Wie hoch ist die Kaution?", nil, rentalSources(), 2000)
	if len(used) != 3 {
		t.Fatalf("used %d sources, want 3", len(used))
	}
	for _, want := range []string{"ausschließlich", "[1]", "Deutsch", "nicht enthalten"} {
		if !strings.Contains(system, want) {
			t.Errorf("German system prompt lacks %q:\n%s", want, system)
		}
	}
	for _, want := range []string{
		"[1] Mietvertrag Musterstraße 5 › § 3 Miete und Nebenkosten (S. 2)\n(1) Die monatliche Grundmiete",
		"[2] Mietvertrag Musterstraße 5 › § 5 Mietsicherheit (S. 3)\n",
		"[3] Mietvertrag Musterstraße 5 › § 9 Kündigung (S. 5)\n",
		"Frage:\nWie hoch ist die Kaution?",
	} {
		if !strings.Contains(user, want) {
			t.Errorf("user prompt lacks %q:\n%s", want, user)
		}
	}
	if strings.Contains(user, "§ 5 Mietsicherheit\nDer Mieter") {
		t.Errorf("context line kept in source text:\n%s", user)
	}
}

func TestBuildPromptEnglish(t *testing.T) {
	t.Parallel()
	system, user, _ := BuildPrompt("How long is the warranty?", nil, productSources(), 2000)
	for _, want := range []string{"only from the numbered sources", "[1]", "English", "do not contain the answer"} {
		if !strings.Contains(system, want) {
			t.Errorf("English system prompt lacks %q:\n%s", want, system)
		}
	}
	if !strings.Contains(user, "[2] X200 Datasheet › Warranty (p. 2)") || !strings.Contains(user, "Question:\nHow long") {
		t.Errorf("English user prompt:\n%s", user)
	}
}

func TestBuildPromptBudget(t *testing.T) {
	t.Parallel()
	sources := benchSources(6)
	question := "Wie hoch ist die Entfernungspauschale?"
	for _, budget := range []int{250, 400, 700, 1200, 5000} {
		t.Run(fmt.Sprint(budget), func(t *testing.T) {
			t.Parallel()
			system, user, used := BuildPrompt(question, nil, sources, budget)
			if got := chunk.Tokens(system) + chunk.Tokens(user); got > budget {
				t.Errorf("prompt takes %d tokens, budget %d", got, budget)
			}
			for i, s := range used {
				if s.N != i+1 {
					t.Errorf("used[%d].N = %d, want %d", i, s.N, i+1)
				}
				if s.ChunkID != sources[i].ChunkID {
					t.Errorf("used[%d] is %s, want the %d. ranked %s: lowest-ranked go first", i, s.ChunkID, i+1, sources[i].ChunkID)
				}
				if !strings.Contains(user, fmt.Sprintf("[%d] %s", s.N, s.Title)) || !strings.Contains(user, s.Text) {
					t.Errorf("source %d not in the prompt as numbered", s.N)
				}
			}
			if strings.Contains(user, fmt.Sprintf("[%d] ", len(used)+1)) {
				t.Errorf("prompt numbers a source beyond the %d used", len(used))
			}
			// Sources that fit whole are kept whole; only the last may be cut, at a sentence.
			for i, s := range used {
				whole := strings.TrimSpace(stripContextLine(sources[i].Text, sources[i].Section))
				if s.Text == whole {
					continue
				}
				if i != len(used)-1 {
					t.Errorf("source %d is cut but is not the last", s.N)
				}
				cut := strings.TrimSuffix(s.Text, " …")
				if !strings.HasPrefix(whole, cut) || !strings.HasSuffix(cut, ".") {
					t.Errorf("source %d not cut at a sentence: %q", s.N, s.Text)
				}
			}
			if budget == 5000 && len(used) != len(sources) {
				t.Errorf("budget 5000 keeps %d of %d sources", len(used), len(sources))
			}
			if budget == 250 && len(used) >= len(sources) {
				t.Errorf("budget 250 keeps all sources")
			}
		})
	}
}

func TestBuildPromptHistory(t *testing.T) {
	t.Parallel()
	var history []Turn
	for i := range 30 {
		history = append(history,
			Turn{Role: "user", Content: fmt.Sprintf("Frage Nummer %d zu den Nebenkosten der Wohnung?", i)},
			Turn{Role: "assistant", Content: fmt.Sprintf("Antwort Nummer %d: die Nebenkosten betragen 180,00 EUR [1].", i)})
	}
	budget := 900
	system, user, used := BuildPrompt("Und die Kaution?", history, rentalSources(), budget)
	if got := chunk.Tokens(system) + chunk.Tokens(user); got > budget {
		t.Errorf("prompt takes %d tokens, budget %d", got, budget)
	}
	if len(used) != 3 {
		t.Errorf("history pushed out sources: %d used", len(used))
	}
	if !strings.Contains(user, "Antwort Nummer 29:") {
		t.Errorf("newest turn missing:\n%s", user)
	}
	if strings.Contains(user, "Frage Nummer 0 ") {
		t.Errorf("oldest turn kept though the budget is short:\n%s", user)
	}
	// Kept turns are in order, oldest first, and end with the question.
	if i, j := strings.Index(user, "Nummer 28 "), strings.Index(user, "Nummer 29 "); i < 0 || j < i {
		t.Errorf("turns out of order:\n%s", user)
	}
	if !strings.HasSuffix(user, "Frage:\nUnd die Kaution?") {
		t.Errorf("user prompt does not end with the question:\n%s", user)
	}
	if !strings.Contains(user, "Nutzer: Frage") || !strings.Contains(user, "Assistent: Antwort") {
		t.Errorf("roles not rendered:\n%s", user)
	}
}

func TestBuildPromptNoSources(t *testing.T) {
	t.Parallel()
	_, user, used := BuildPrompt("Wie hoch ist die Kaution?", nil, nil, 0)
	if len(used) != 0 || !strings.Contains(user, "keine Quellen") {
		t.Errorf("no sources: used %v, user:\n%s", used, user)
	}
	// A budget too small for any source keeps none rather than overflow.
	_, user, used = BuildPrompt("Wie hoch ist die Kaution?", nil, rentalSources(), 120)
	if len(used) != 0 || strings.Contains(user, "[1]") {
		t.Errorf("tiny budget: used %d sources:\n%s", len(used), user)
	}
}
