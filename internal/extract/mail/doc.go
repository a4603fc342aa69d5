// Package mail extracts e-mail: single RFC 822 messages (.eml, and
// Apple Mail's .emlx), mailboxes (mbox) and Outlook .msg files.
//
// Every message becomes a header paragraph ("From: …", "To: …",
// "Subject: …", "Date: …", so that a search for a sender finds the
// mail) followed by its body's paragraphs; the body is the text/plain
// part, or the HTML part turned into text. The headers also fill the
// document's Title (subject), Author (from), Created (date) and
// Metadata. Every part that is not the body (attachments, inline
// images, attached messages) becomes a document.Attachment, which the
// dispatcher extracts in turn.
//
// Limits: attachments count against Limits.MaxMembers, and the bytes of
// the messages and of their decoded attachments against
// Limits.MaxExpandedBytes; attachments beyond either are skipped with a
// warning, as they are at Limits.Depth >= MaxDepth. A mailbox is read
// as a stream, one message at a time; a message larger than
// MaxMessageBytes is skipped with a warning, and reading stops (with a
// warning) after MaxMembers messages or MaxExpandedBytes of messages.
package mail
