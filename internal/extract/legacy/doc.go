// Package legacy extracts the binary Microsoft Office formats of before
// 2007 with Debian's command-line tools: Word (.doc) with antiword, or
// catdoc where antiword fails; Excel (.xls) with xls2csv, every sheet
// becoming a table block and a Data table; PowerPoint (.ppt) with
// catppt, one page per slide.
//
// mimetype reports many of these files as the generic
// application/x-ole-storage; the dispatcher routes those by file name
// extension to the extractor for .doc, .xls or .ppt.
package legacy
