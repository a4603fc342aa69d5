// Package text extracts the text-based formats: plain text (and the
// text/* types that are best read as plain text: calendars, subtitles,
// source code, properties), Markdown, HTML and MHTML, RTF, CSV/TSV,
// JSON/NDJSON and XML.
//
// Every extractor reads the file itself (bounded by maxInputBytes for
// the formats that need the whole file in memory; CSV, JSON and XML are
// streamed), detects the character set where the format allows more
// than one, and produces a normalized document.Document.
//
// The dispatcher sniffs types with mimetype, which reports Markdown as
// text/plain and MHTML as message/rfc822. Markdown and MHTML therefore
// also have their own constructors, Markdown and MHTML, for routing by
// file extension; the plain-text extractor also hands a file on to the
// matching extractor when its extension says it is Markdown, HTML, CSV,
// JSON, XML or RTF.
package text
