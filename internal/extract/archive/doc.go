// Package archive extracts container files — ZIP, TAR, GZIP and BZIP2 —
// into a document whose only block lists the member names (so the
// archive is found by the names of the files inside) and whose
// attachments are the members themselves, which the dispatcher extracts
// in turn.
//
// Everything about an archive is untrusted, so extraction is bounded:
//
//   - sizes are counted as bytes are actually decompressed, never taken
//     from headers; the members together may expand to at most
//     Limits.MaxExpandedBytes and one member to at most MaxMemberBytes,
//     beyond which Extract fails with document.ErrTooLarge naming the
//     member (this is what stops zip bombs, overlapping-entry bombs and
//     sparse tar entries);
//   - an archive with more than Limits.MaxMembers entries fails with
//     document.ErrTooLarge, and so does one at Limits.Depth >= MaxDepth;
//   - member names are display names only: SafeName cleans them and no
//     code here ever opens a path built from one;
//   - only regular files become attachments; directories, symlinks, hard
//     links and devices are skipped;
//   - encrypted ZIP members are skipped with a warning (document.ErrEncrypted
//     when every member is encrypted); a damaged archive from which no
//     member could be read is document.ErrCorrupt, one that broke after
//     some members keeps them and says so in a warning.
//
// 7z is recognised and refused with document.ErrUnsupported.
package archive
