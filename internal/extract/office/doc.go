// Package office extracts the office document formats that are zip
// containers of XML parts: Word, PowerPoint and Excel (OOXML), the
// OpenDocument text, spreadsheet and presentation formats (and their
// StarOffice predecessors), and EPUB books.
//
// Every format is read with archive/zip and a streaming parser
// (encoding/xml, golang.org/x/net/html), except XLSX, which uses
// excelize's streaming row iterator. Each part's decompressed size is
// bounded (maxPartBytes) and all parts together stay within
// Input.Limits.MaxExpandedBytes, so zip bombs end in ErrTooLarge rather
// than exhausting memory. An OOXML file that is really an encrypted
// compound file (Office's "EncryptedPackage") is reported as
// ErrEncrypted, as is an OpenDocument file whose content is encrypted.
//
// Word documents: headings come from paragraph styles (resolved through
// styles.xml: "heading N", "Title", "Überschrift N", outline levels),
// numbered and bulleted paragraphs become lists, tables become table
// blocks, and explicit page breaks (and Word's last rendered page
// breaks) advance the page number. Headers and footers are skipped;
// footnotes, endnotes and comments follow the body as paragraphs.
//
// Spreadsheets (XLSX, ODS): each sheet becomes a heading, table blocks
// of at most sheetChunkRows rows that each repeat the header row, and
// one document.Data with the sheet's cells as displayed.
package office
