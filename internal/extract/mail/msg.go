package mail

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
	"github.com/zero711/brain/internal/document"
)

// Property ids of the .msg streams read ([MS-OXPROPS]).
const (
	idSubject          = 0x0037
	idTransportHeaders = 0x007D
	idSenderName       = 0x0C1A
	idSenderEmail      = 0x0C1F
	idSentReprEmail    = 0x0065
	idSenderSMTP       = 0x5D01
	idDisplayCc        = 0x0E03
	idDisplayTo        = 0x0E04
	idBody             = 0x1000
	idRTFCompressed    = 0x1009
	idHTML             = 0x1013
	idMessageID        = 0x1035
	idAttachData       = 0x3701
	idAttachFilename   = 0x3704
	idAttachLongName   = 0x3707
	idDisplayName      = 0x3001
)

const (
	attachPrefix = "__attach_version1.0_#"
	propsStream  = "__properties_version1.0"
	substgPrefix = "__substg1.0_"
	maxHeaders   = 64 << 10 // transport headers kept in metadata
	maxPropBytes = 1 << 20  // a property stream read
)

// msgExtractor reads Outlook .msg files (CFB compound files).
type msgExtractor struct{}

var _ document.Extractor = msgExtractor{}

func (msgExtractor) Name() string    { return "msg" }
func (msgExtractor) Types() []string { return []string{"application/vnd.ms-outlook"} }

// msgObject is what was read of the message or of one attachment.
type msgObject struct {
	name     string              // storage name; "" for the message
	values   map[uint16]rawValue // variable-length properties by id
	props    map[uint16]property // fixed-length properties by id
	embedded bool                // an attached message or OLE object
}

type rawValue struct {
	typ  uint16
	data []byte
}

// Extract returns the message's headers, body and attachments; attached
// messages are skipped with a warning. Errors: ErrCorrupt, ErrEmpty.
func (x msgExtractor) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	b := newBudget(in.Limits)
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, fmt.Errorf("msg: %w", err)
	}
	defer f.Close()
	r, err := mscfb.New(f)
	if err != nil {
		return nil, fmt.Errorf("%w: msg: %v", document.ErrCorrupt, err)
	}
	doc := &document.Document{ContentType: in.ContentType, Handler: x.Name()}
	top, atts, err := readObjects(ctx, r, b, doc)
	if err != nil {
		return nil, err
	}
	if len(top.values) == 0 && len(top.props) == 0 {
		return nil, fmt.Errorf("%w: msg: no message properties (not an Outlook message?)", document.ErrCorrupt)
	}
	m := top.message(doc)
	m.fill(doc)
	if h := top.text(idTransportHeaders, top.codepage()); h != "" {
		doc.Metadata["transport_headers"] = truncate(h, maxHeaders)
	}
	doc.Blocks = m.blocks()
	doc.Warnings = append(doc.Warnings, m.warnings...)
	for i, a := range atts {
		a.attach(doc, b, i+1, top.codepage())
	}
	return finish(doc, b, in.Name), nil
}

// readObjects reads the streams of the message and of its attachments;
// the insides of embedded messages are left alone.
func readObjects(ctx context.Context, r *mscfb.Reader, b *budget, doc *document.Document) (*msgObject, []*msgObject, error) {
	top := newObject("")
	var atts []*msgObject
	byName := map[string]*msgObject{}
	for e, err := r.Next(); err == nil; e, err = r.Next() {
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("msg: %w", err)
		}
		obj := top
		switch {
		case len(e.Path) == 0 && strings.HasPrefix(e.Name, attachPrefix):
			if byName[e.Name] == nil {
				byName[e.Name] = newObject(e.Name)
				atts = append(atts, byName[e.Name])
			}
			continue
		case len(e.Path) == 1 && strings.HasPrefix(e.Path[0], attachPrefix):
			if obj = byName[e.Path[0]]; obj == nil {
				continue
			}
		case len(e.Path) > 0:
			continue // recipients, named properties, embedded messages
		}
		if err := obj.read(e, b); err != nil {
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("stream %s/%s unreadable: %v", obj.name, e.Name, err))
		}
	}
	return top, atts, nil
}

func newObject(name string) *msgObject {
	return &msgObject{name: name, values: map[uint16]rawValue{}, props: map[uint16]property{}}
}

// read takes in one stream of the object if it is one we use.
func (o *msgObject) read(e *mscfb.File, b *budget) error {
	if e.Name == propsStream {
		data, err := readStream(e, maxPropBytes)
		header := propHeaderMessage
		if o.name != "" {
			header = propHeaderAttachment
		}
		o.props = parseProperties(data, header)
		return err
	}
	id, typ, ok := substgTag(e.Name)
	switch {
	case !ok:
		return nil
	case id == idAttachData && typ == ptObject:
		o.embedded = true
		return nil
	case !o.wants(id, typ):
		return nil
	}
	limit := int64(maxStringBytes)
	if typ == ptBinary && id == idAttachData {
		limit = b.limits.MaxExpandedBytes - b.bytes
	}
	data, err := readStream(e, limit)
	o.values[id] = rawValue{typ: typ, data: data}
	return err
}

// wants reports whether the property is one we extract.
func (o *msgObject) wants(id, typ uint16) bool {
	if typ != ptString8 && typ != ptUnicode && typ != ptBinary {
		return false
	}
	if o.name != "" {
		return id == idAttachData || id == idAttachFilename || id == idAttachLongName || id == idDisplayName
	}
	switch id {
	case idSubject, idTransportHeaders, idSenderName, idSenderEmail, idSentReprEmail, idSenderSMTP,
		idDisplayCc, idDisplayTo, idBody, idRTFCompressed, idHTML, idMessageID:
		return true
	}
	return false
}

// substgTag parses a "__substg1.0_IIIITTTT" stream name.
func substgTag(name string) (id, typ uint16, ok bool) {
	hex, found := strings.CutPrefix(name, substgPrefix)
	if !found || len(hex) != 8 {
		return 0, 0, false
	}
	tag, err := strconv.ParseUint(hex, 16, 32)
	if err != nil {
		return 0, 0, false
	}
	return uint16(tag >> 16), uint16(tag), true
}

// readStream reads at most limit bytes of a stream; a longer stream is
// an error (and yields nothing), whatever its directory entry claims.
func readStream(e *mscfb.File, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(e, limit+1))
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("longer than %d bytes", limit)
	}
	return data, err
}

// codepage is the message's code page for 8-bit strings.
func (o *msgObject) codepage() uint32 {
	if cp := o.props[propInternetCodepage].long(); cp != 0 {
		return cp
	}
	return o.props[propMessageCodepage].long()
}

// text is a string property decoded to UTF-8, "" when absent.
func (o *msgObject) text(id uint16, cp uint32) string {
	v, ok := o.values[id]
	if !ok {
		return ""
	}
	var s string
	switch v.typ {
	case ptUnicode:
		s = decodeUTF16(v.data)
	case ptString8:
		s = decode8(v.data, cp)
	default:
		return ""
	}
	return strings.TrimRight(s, "\x00")
}

// message assembles the headers and body.
func (o *msgObject) message(doc *document.Document) *message {
	cp := o.codepage()
	m := &message{
		subject:   oneLine(o.text(idSubject, cp)),
		to:        oneLine(o.text(idDisplayTo, cp)),
		cc:        oneLine(o.text(idDisplayCc, cp)),
		messageID: oneLine(o.text(idMessageID, cp)),
		from:      address(oneLine(o.text(idSenderName, cp)), o.senderEmail(cp)),
	}
	for _, id := range []uint16{propClientSubmitTime, propMessageDeliveryTime, propCreationTime} {
		if t := o.props[id].time(); !t.IsZero() {
			m.created = t
			m.date = t.Format(time.RFC1123Z)
			break
		}
	}
	switch {
	case strings.TrimSpace(o.text(idBody, cp)) != "":
		m.body = paragraphs(o.text(idBody, cp))
	case len(o.values[idHTML].data) > 0:
		m.body = htmlParagraphs(o.html(cp))
	case len(o.values[idRTFCompressed].data) > 0:
		m.warnings = append(m.warnings, "body is only in compressed RTF, which is not extracted")
	}
	return m
}

// html is the HTML body as UTF-8 bytes.
func (o *msgObject) html(cp uint32) []byte {
	v := o.values[idHTML]
	if v.typ == ptUnicode {
		return []byte(decodeUTF16(v.data))
	}
	return []byte(decode8(v.data, cp))
}

// senderEmail prefers an SMTP address over an Exchange DN.
func (o *msgObject) senderEmail(cp uint32) string {
	dn := ""
	for _, id := range []uint16{idSenderSMTP, idSenderEmail, idSentReprEmail} {
		s := oneLine(o.text(id, cp))
		if strings.Contains(s, "@") {
			return s
		}
		if dn == "" {
			dn = s
		}
	}
	return dn
}

// attach adds an attachment object to the document.
func (o *msgObject) attach(doc *document.Document, b *budget, n int, cp uint32) {
	name := ""
	for _, id := range []uint16{idAttachLongName, idAttachFilename, idDisplayName} {
		if name = cleanName(o.text(id, cp)); name != "" {
			break
		}
	}
	if name == "" {
		name = "attachment-" + strconv.Itoa(n)
	}
	data, ok := o.values[idAttachData]
	switch {
	case o.embedded:
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("attachment %q skipped: embedded message or OLE object", name))
	case !ok || data.typ != ptBinary:
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("attachment %q skipped: no data", name))
	case b.admit(len(data.data)):
		doc.Attachments = append(doc.Attachments, document.Attachment{Name: name, Data: data.data})
	}
}

func address(name, email string) string {
	switch {
	case email == "" || name == email:
		return name
	case name == "":
		return email
	}
	return name + " <" + email + ">"
}

func decodeUTF16(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
