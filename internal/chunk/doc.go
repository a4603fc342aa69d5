// Package chunk cuts a normalized document into retrievable chunks for
// the lakehouse: pieces of at most Options.MaxTokens tokens that follow
// the document's structure and can be understood on their own.
//
// Split applies these rules:
//
//   - Headings start sections; they are not chunks of their own. Every
//     chunk's Section is its heading path, and its text starts with a
//     one-line context prefix of that path ("Teil 2 > § 8 Einkommen"),
//     kept short (long titles cut with "…", the middle of a deep path
//     left out) and counted in the token budget. A heading the prefix
//     does not show in full is written as the first line of its
//     section's first chunk, so no heading text is lost. A heading with
//     no content of its own (a "§ 7e (weggefallen)") becomes a chunk of
//     kind "heading" with its title as body and its parent as prefix.
//   - A chunk never spans two sections, with one exception: consecutive
//     sibling sections each smaller than MinTokens (runs of "(weggefallen)"
//     paragraphs, one-line clauses) share one chunk as long as it fits;
//     its Section is their parent's path and each starts with its
//     heading line. A small section next to a large one stays on its own,
//     so chunks of statutes can be cited by their §.
//   - Blocks of a section are packed whole up to MaxTokens; a block that
//     does not fit starts a new chunk, and only a block larger than a
//     chunk is cut. An Absatz ("(1) …") stays together with the lists and
//     text that follow it, and a paragraph ending in ":" with the list or
//     table after it, when the group fits a chunk.
//   - A paragraph too large for a chunk is cut at Absätze first, then at
//     numbered clauses ("1.", "1.1", "a)", "aa)") at line starts, then at
//     sentences (., !, ?, ; aware of German and English abbreviations,
//     ordinals, numbers and dates), then at words; a word longer than a
//     chunk is cut inside. When it is cut at a sentence or word, the next
//     chunk repeats the last whole sentences of the previous one, up to
//     Overlap tokens.
//   - A table too large for a chunk is cut between rows (a row only when
//     it alone exceeds a chunk), every piece starting with the header row
//     when the table has one; rows render as in document.RenderRows.
//   - A list too large for a chunk is cut between items (an item only when
//     it alone exceeds a chunk); pieces that start a chunk repeat the
//     list's lead-in paragraph when it ends in ":" and is short.
//   - Code is cut at line boundaries (a line only when it alone exceeds a
//     chunk, then at words).
//   - German statutes and contracts whose § and article titles came out
//     as paragraphs: a line "§ 8 Einkommen", "§ 4a", "Art. 5 …" that
//     starts a paragraph or follows the end of a sentence, and reads like
//     a title (capitalised, no final stop, not a citation "§ 4 Abs. 2" or
//     "§ 8 KStG"), starts a section of its own below the current one; the
//     following blocks of the same section belong to it up to the next
//     title or heading.
//
// Chunks are in document order, never empty, at most MaxTokens tokens,
// and each has the page of its first block. Every word of the document
// is in some chunk. Tokens are counted by Tokens, a cheap deterministic
// estimate.
package chunk
