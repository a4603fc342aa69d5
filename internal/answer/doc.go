// Package answer turns retrieved chunks into an answer with numbered
// citations, in two ways.
//
// Extractive needs no language model: it splits the sources into
// sentences (German and English, aware of abbreviations such as "z. B.",
// "Abs.", "e.g.", of numbers like 1.234,56 and dates like 01.02.2024),
// scores every sentence against the question by weighted term overlap
// (lower case, umlauts folded, stopwords dropped, light suffix stripping,
// rarer terms and exact numbers weighing more, the source's rank as a
// small bonus), and quotes the best non-redundant sentences, each with
// its source number, in the question's language. When no sentence shares
// a content term with the question it says so and cites nothing.
//
// BuildPrompt prepares the language-model path: a system instruction in
// the question's language and a user message with the numbered sources
// and the recent conversation, within a token budget. CitedSources reads
// the citations ("[1]", "[2][3]", "[1, 2]", "[1–3]") back out of the
// model's answer.
//
// Everything here is deterministic and safe for concurrent use.
package answer
