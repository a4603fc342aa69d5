package answer

import (
	"strings"

	"github.com/zero711/brain/internal/language"
)

// Source is one retrieved chunk offered to the answerer.
type Source struct {
	// N is the 1-based number the answer cites the source by; 0 means
	// its position in the slice plus one.
	N          int
	DocumentID string
	Title      string
	ChunkID    string
	// Section is the chunk's heading path ("Teil 2 > § 8 Einkommen").
	Section string
	// Page is the page the chunk starts on, 0 when unknown.
	Page int
	// Text is the chunk text; a leading context line repeating the
	// section path is ignored.
	Text string
	// Score is the retrieval score; higher is better.
	Score float64
}

// Answer is the result of answering a question from sources.
type Answer struct {
	Text     string
	Language string
	// Mode says how the answer was made: ModeExtractive here.
	Mode string
	// Citations are the source numbers cited, in order of first use.
	Citations []int
	// Quotes are the sentences quoted, in the order they appear in Text.
	Quotes []Quote
}

// Quote is one sentence quoted from a source.
type Quote struct {
	Source   int
	Sentence string
}

// Turn is one message of the conversation so far.
type Turn struct {
	// Role is "user" or "assistant".
	Role    string
	Content string
}

// ModeExtractive marks answers made by Extractive.
const ModeExtractive = "extractive"

// Default limits of Options.
const (
	DefaultMaxSentences = 3
	DefaultMaxChars     = 600
)

// Options tunes Extractive. Zero values take the defaults.
type Options struct {
	// MaxSentences is the most sentences quoted (DefaultMaxSentences).
	MaxSentences int
	// MaxChars is the most characters quoted in all (DefaultMaxChars);
	// a first sentence longer than this is cut at a word.
	MaxChars int
}

func (o Options) withDefaults() Options {
	if o.MaxSentences <= 0 {
		o.MaxSentences = DefaultMaxSentences
	}
	if o.MaxChars <= 0 {
		o.MaxChars = DefaultMaxChars
	}
	return o
}

// minLangConfidence is the confidence below which the question's detected
// language is not trusted and the sources decide.
const minLangConfidence = 0.3

// answerLanguage picks the language to answer in: the question's when it
// is clear, else the sources', else German (our customers' default).
func answerLanguage(question string, sources []Source) string {
	if lang, conf := language.Detect(question); lang != "" && conf >= minLangConfidence {
		return lang
	}
	var sb strings.Builder
	for i, s := range sources {
		if i == 3 || sb.Len() > 4000 {
			break
		}
		sb.WriteString(s.Text)
		sb.WriteByte('\n')
	}
	text := question + "\n" + sb.String()
	if lang, _ := language.Detect(text); lang != "" {
		return lang
	}
	return language.German
}

// sourceNumber is the citation number of sources[i].
func sourceNumber(s Source, i int) int {
	if s.N > 0 {
		return s.N
	}
	return i + 1
}

// messages holds the fixed wording of answers in one language.
type messages struct {
	lead, note, nothing, noSources string
	quoteOpen, quoteClose          string
}

func messagesFor(lang string) messages {
	if lang == language.English {
		return messages{
			lead:       "According to the documents:",
			note:       "(Extractive answer: quotes from your documents, not written by a language model.)",
			nothing:    "I found nothing in your documents that answers this question.",
			noSources:  "No documents were found for this question, so I cannot answer it from your documents.",
			quoteOpen:  "“",
			quoteClose: "”",
		}
	}
	return messages{
		lead:       "Laut den Unterlagen:",
		note:       "(Extraktive Antwort: Zitate aus Ihren Dokumenten, ohne KI-Sprachmodell formuliert.)",
		nothing:    "In Ihren Dokumenten habe ich nichts gefunden, das diese Frage beantwortet.",
		noSources:  "Zu dieser Frage wurden keine Dokumente gefunden, daher kann ich sie nicht aus Ihren Unterlagen beantworten.",
		quoteOpen:  "„",
		quoteClose: "“",
	}
}
