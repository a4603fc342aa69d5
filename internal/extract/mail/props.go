package mail

import (
	"encoding/binary"
	"time"
)

// Header sizes of a .msg property stream ([MS-OXMSG] 2.4): the
// top-level message has 32 bytes before its entries, attachments and
// recipients 8 (an embedded message, not read here, 24).
const (
	propHeaderMessage    = 32
	propHeaderAttachment = 8
	propEntrySize        = 16
)

// Property ids read from property streams.
const (
	propClientSubmitTime    = 0x0039
	propMessageDeliveryTime = 0x0E06
	propCreationTime        = 0x3007
	propInternetCodepage    = 0x3FDE
	propMessageCodepage     = 0x3FFD
	propAttachMethod        = 0x3705
)

// MAPI property types used here.
const (
	ptLong    = 0x0003
	ptSysTime = 0x0040
	ptString8 = 0x001E
	ptUnicode = 0x001F
	ptBinary  = 0x0102
	ptObject  = 0x000D
)

// property is one fixed-length entry of a property stream.
type property struct {
	typ   uint16
	value uint64 // the 8 value bytes, little-endian
}

// parseProperties reads the entries of a __properties_version1.0 stream
// after its header of headerLen bytes, keyed by property id. Entries of
// variable-length types only give a size here and are skipped, as is a
// trailing partial entry.
func parseProperties(data []byte, headerLen int) map[uint16]property {
	props := map[uint16]property{}
	if headerLen < 0 || headerLen > len(data) {
		return props
	}
	for e := data[headerLen:]; len(e) >= propEntrySize; e = e[propEntrySize:] {
		tag := binary.LittleEndian.Uint32(e)
		p := property{typ: uint16(tag), value: binary.LittleEndian.Uint64(e[8:])}
		if p.typ == ptLong || p.typ == ptSysTime {
			props[uint16(tag>>16)] = p
		}
	}
	return props
}

// long is a PT_LONG property's value, 0 when absent or of another type.
func (p property) long() uint32 {
	if p.typ != ptLong {
		return 0
	}
	return uint32(p.value)
}

// time is a PT_SYSTIME property (a FILETIME: 100 ns ticks since 1601)
// in UTC; the zero time when absent, zero or outside years 1601–9999.
func (p property) time() time.Time {
	if p.typ != ptSysTime || p.value == 0 {
		return time.Time{}
	}
	const ticksPerSecond = 10_000_000
	const epochDelta = 11_644_473_600 // seconds from 1601 to 1970
	secs := int64(p.value / ticksPerSecond)
	t := time.Unix(secs-epochDelta, int64(p.value%ticksPerSecond)*100).UTC()
	if t.Year() > 9999 {
		return time.Time{}
	}
	return t
}
