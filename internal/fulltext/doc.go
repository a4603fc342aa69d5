// Package fulltext is an in-process BM25 full-text index over the text chunks
// of one customer's lakehouse, with German and English analysis.
//
// # Analysis
//
// Text is split at word boundaries after Unicode's UAX #29: letters and
// digits join ("DE123456789", "8b"), a '.', ',' or ';' between digits keeps a
// number whole ("1.234,56"), a '.' or apostrophe between letters keeps a word
// whole ("z.B", "don't"), hyphens split, and every '§' is a token of its own,
// so "§ 8 KStG" and "§8 KStG" both give "§", "8", "kstg". Han, kana and Thai
// runes are single-rune tokens. Tokens are lowercased and folded: diacritics
// go (NFKD without combining marks), 'ß' becomes "ss", ligatures and
// full-width forms become ASCII, soft hyphens vanish. A token is then run
// through the pipeline of its document's language:
//
//   - "de": "ae", "oe", "ue" are read as umlauts the way Snowball's German2
//     variant reads them ("Muenchen" = "München", but "Steuer" and "Quelle"
//     keep theirs), German stop words go and the Snowball German stemmer
//     applies ("Verträge" → "vertrag", "Steuern" and "Steuer" → "steu").
//   - "en": English stop words go and the Snowball English (Porter2) stemmer
//     applies ("running" → "run").
//   - any other language: folded tokens, no stop words, no stemming.
//
// Tokens holding a digit or a joiner other than an apostrophe are never
// stemmed. A document added without a language is guessed by
// [DetectLanguage]; when that finds no evidence, Options.DefaultLanguage
// applies.
//
// A query is analysed with all three pipelines, so that a German query finds
// English-stemmed text and the other way round; the query's guessed language
// decides which stop words are dropped. Variants of one word that stem alike
// count once. A German query word longer than 7 bytes that is indexed in no
// variant is split into the two indexed words it is made of, if any, with
// the index's own vocabulary as dictionary and the usual linking elements
// ("Mietvertragskündigung" searches "mietvertrag" and "kundig").
//
// # Index
//
// Documents get dense internal numbers in insertion order, so every posting
// list is append-only and stays sorted. Lists are cut into blocks of 128
// postings, bit-packed (document gaps and term frequencies less one), each
// with two upper bounds of its BM25 contribution: a corner bound (largest
// frequency, shortest document) valid under any statistics, and the exact
// block maximum at the average length it was sealed at, which stays a bound
// when scaled by how much the average has grown since. Searching is
// document-at-a-time MaxScore over those block bounds: lists whose bounds
// cannot lift a document into the top k only get probed, and runs of blocks
// that cannot either are skipped undecoded.
//
// Scores are exact BM25 (Lucene's idf, k1 = 1.2, b = 0.75 by default) except
// that document lengths are kept as one-byte codes, exact below 40 terms and
// within 4 % above. Deleted documents are tombstones, still counted in the
// collection statistics like Lucene's, until they outnumber the living; then
// the index renumbers itself.
//
// An Index is safe for concurrent use: searches share a read lock; Add
// analyses outside the lock and holds the write lock only to append.
//
// # Files
//
// WriteTo writes a versioned binary file ending in a CRC-32C, with a Stamp
// that tells which table version the index reflects; ReadFrom refuses
// truncated, altered or foreign files with ErrCorrupt or ErrVersion (an
// index built by another analysis version must be rebuilt from its table).
// The file is laid out by columns so that loading reads a few large arrays.
package fulltext
