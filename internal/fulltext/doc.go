// Package fulltext is an in-process BM25 full-text index over the text chunks
// of one customer's lakehouse, with German and English analysis.
//
// # Analysis
//
// Text is split at Unicode word boundaries in the manner of UAX #29: letters
// and digits join, "1.234,56" and "e.g" stay one token (a '.', ',' or ';'
// joins digits, a '.' or apostrophe joins letters), hyphens split, and every
// '§' is a token of its own, so "§ 8 KStG" and "§8 KStG" both give "§", "8",
// "kstg". Tokens are lowercased and folded: diacritics are removed (NFKD
// without combining marks), 'ß' becomes "ss", ligatures and full-width forms
// become ASCII. A token is then run through the pipeline of its document's
// language:
//
//   - "de": ae/oe/ue are read as umlauts the way Snowball's German2 variant
//     does ("Muenchen" = "München"), German stop words are dropped and the
//     Snowball German stemmer applies ("Verträge" → "vertrag", "Steuern" →
//     "steu").
//   - "en": English stop words are dropped and the Snowball English (Porter2)
//     stemmer applies ("running" → "run").
//   - any other language: folded tokens, no stop words, no stemming.
//
// Tokens holding a digit or a joiner ("kstg" does not, "de123456789" and
// "1.234,56" do) are never stemmed. A document with no language is guessed by
// [DetectLanguage]; when that finds no evidence, Options.DefaultLanguage
// applies.
//
// A query is analysed with every pipeline, so that a German query finds
// English-stemmed text and the other way round; the query's own language,
// when it can be guessed, decides which stop words are dropped. The variants
// of one word share its weight rather than add up.
//
// # Index
//
// Documents get dense internal numbers in insertion order, so every posting
// list is append-only and stays sorted. Lists are cut into blocks of 128
// postings, bit-packed (document gaps and term frequencies), each with the
// largest term frequency and the shortest document length it holds: an upper
// bound of the block's BM25 contribution under any corpus statistics.
// Searching is document-at-a-time MaxScore with those block bounds, so that
// the top-k of a query touches few blocks of its frequent terms. Deletes are
// tombstones until the dead outnumber the living; then the index renumbers
// itself.
//
// An Index is safe for concurrent use: searches share a read lock, Add and
// Delete analyse outside the lock and hold the write lock only to append.
package fulltext
