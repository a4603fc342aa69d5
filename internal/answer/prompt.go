package answer

import (
	"fmt"
	"strings"

	"github.com/zero711/brain/internal/chunk"
	"github.com/zero711/brain/internal/language"
)

// DefaultPromptBudget is the token budget BuildPrompt uses when given none.
const DefaultPromptBudget = 3000

// historyShare is the most of the budget left after the instruction and
// question that the conversation may take before the sources are placed.
const historyShare = 4

// BuildPrompt writes the messages for answering question with a language
// model: a system instruction in the question's language (answer only
// from the sources, cite them as [n], say when they do not hold the
// answer) and a user message with the numbered sources, the recent
// conversation and the question. All of it fits budget tokens (counted
// with chunk.Tokens; DefaultPromptBudget when budget <= 0) as far as the
// instruction and question allow: the lowest-ranked sources (the end of
// the slice) are dropped first, the last one kept may be cut at a
// sentence, and the oldest turns go first. used are the sources in the
// prompt, renumbered 1..len(used) as the prompt numbers them.
func BuildPrompt(question string, history []Turn, sources []Source, budget int) (system, user string, used []Source) {
	if budget <= 0 {
		budget = DefaultPromptBudget
	}
	lang := answerLanguage(question, sources)
	w := promptWordsFor(lang)
	system = w.system
	questionPart := w.question + "\n" + strings.TrimSpace(question)
	left := budget - chunk.Tokens(system) - chunk.Tokens(questionPart) - chunk.Tokens(w.sources)

	hist := fitHistory(history, w, min(historyTokens(history, w), max(left/historyShare, 0)))
	used, sourcePart := fitSources(sources, w, left-chunk.Tokens(hist))
	if len(used) == 0 {
		sourcePart = w.noSources + "\n"
	}
	hist = fitHistory(history, w, left-chunk.Tokens(sourcePart))

	parts := []string{w.sources + "\n\n" + strings.TrimSpace(sourcePart)}
	if hist != "" {
		parts = append(parts, strings.TrimSpace(hist))
	}
	parts = append(parts, questionPart)
	return system, strings.Join(parts, "\n\n"), used
}

// promptWords is the fixed wording of prompts in one language.
type promptWords struct {
	system, sources, noSources, history, question, user, assistant, page string
}

func promptWordsFor(lang string) promptWords {
	if lang == language.English {
		return promptWords{
			system: "You answer questions about the user's documents. Answer only from the numbered sources below, " +
				"not from general knowledge. Cite every statement with the number of its source in square brackets, " +
				"for example [1] or [2][3]. If the sources do not contain the answer, say so plainly and do not guess. " +
				"Answer in English, briefly and precisely.",
			sources:   "Sources:",
			noSources: "(No sources were found.)",
			history:   "Conversation so far:",
			question:  "Question:",
			user:      "User",
			assistant: "Assistant",
			page:      "p.",
		}
	}
	return promptWords{
		system: "Du beantwortest Fragen zu den Dokumenten des Nutzers. Antworte ausschließlich auf Grundlage der " +
			"nummerierten Quellen unten, nicht aus allgemeinem Wissen. Belege jede Aussage mit der Nummer ihrer Quelle " +
			"in eckigen Klammern, zum Beispiel [1] oder [2][3]. Wenn die Quellen die Antwort nicht enthalten, sage das " +
			"offen und rate nicht. Antworte auf Deutsch, knapp und präzise.",
		sources:   "Quellen:",
		noSources: "(Es wurden keine Quellen gefunden.)",
		history:   "Bisheriger Gesprächsverlauf:",
		question:  "Frage:",
		user:      "Nutzer",
		assistant: "Assistent",
		page:      "S.",
	}
}

// fitSources renders sources in order within budget tokens, dropping the
// rest and cutting the last one that partly fits at a sentence.
func fitSources(sources []Source, w promptWords, budget int) ([]Source, string) {
	var used []Source
	var sb strings.Builder
	for _, s := range sources {
		n := len(used) + 1
		header := sourceHeader(n, s, w)
		text := strings.TrimSpace(stripContextLine(s.Text, s.Section))
		left := budget - chunk.Tokens(sb.String())
		block := header + "\n" + text + "\n\n"
		if chunk.Tokens(block) > left {
			text = cutToTokens(text, left-chunk.Tokens(header+"\n\n\n"))
			if text == "" {
				break
			}
			block = header + "\n" + text + "\n\n"
		}
		sb.WriteString(block)
		s.N = n
		s.Text = text
		used = append(used, s)
	}
	return used, sb.String()
}

// sourceHeader is "[n] Title › Section (S. page)".
func sourceHeader(n int, s Source, w promptWords) string {
	h := fmt.Sprintf("[%d] %s", n, strings.TrimSpace(s.Title))
	if s.Section != "" {
		if strings.TrimSpace(s.Title) != "" {
			h += " › "
		}
		h += s.Section
	}
	if s.Page > 0 {
		h += fmt.Sprintf(" (%s %d)", w.page, s.Page)
	}
	return h
}

// cutToTokens keeps the leading sentences of text that fit in budget
// tokens, marking the cut with "…"; "" when not even one fits.
func cutToTokens(text string, budget int) string {
	var sb strings.Builder
	for _, sent := range splitSentences(text) {
		next := sent
		if sb.Len() > 0 {
			next = sb.String() + " " + sent
		}
		if chunk.Tokens(next+" …") > budget {
			break
		}
		sb.Reset()
		sb.WriteString(next)
	}
	if sb.Len() == 0 {
		return ""
	}
	return sb.String() + " …"
}

// historyTokens is what the whole conversation would take.
func historyTokens(history []Turn, w promptWords) int {
	return chunk.Tokens(fitHistory(history, w, int(^uint(0)>>1)))
}

// fitHistory renders the most recent turns that fit in budget tokens,
// oldest first; "" when none fits.
func fitHistory(history []Turn, w promptWords, budget int) string {
	header := w.history + "\n"
	if budget <= chunk.Tokens(header) {
		return ""
	}
	var lines []string
	total := chunk.Tokens(header)
	for i := len(history) - 1; i >= 0; i-- {
		t := history[i]
		content := strings.TrimSpace(t.Content)
		if content == "" {
			continue
		}
		role := w.user
		if t.Role == "assistant" {
			role = w.assistant
		}
		line := role + ": " + content
		cost := chunk.Tokens(line)
		if total+cost > budget {
			break
		}
		total += cost
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return ""
	}
	for i, j := 0, len(lines)-1; i < j; i, j = i+1, j-1 {
		lines[i], lines[j] = lines[j], lines[i]
	}
	return header + strings.Join(lines, "\n") + "\n"
}
