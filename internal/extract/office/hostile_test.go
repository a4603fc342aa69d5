package office

import (
	"context"
	"encoding/binary"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/zero711/brain/internal/document"
)

// cfbFile builds a minimal OLE compound file (one FAT sector, one
// directory sector) holding an empty stream with the given name, as a
// password-protected OOXML file holds "EncryptedPackage".
func cfbFile(stream string) []byte {
	const (
		free = 0xFFFFFFFF
		end  = 0xFFFFFFFE
		fat  = 0xFFFFFFFD
	)
	b := make([]byte, 512*3)
	le := binary.LittleEndian
	copy(b, cfbMagic)
	le.PutUint16(b[0x18:], 0x3E)
	le.PutUint16(b[0x1A:], 3)
	le.PutUint16(b[0x1C:], 0xFFFE)
	le.PutUint16(b[0x1E:], 9)
	le.PutUint16(b[0x20:], 6)
	le.PutUint32(b[0x2C:], 1) // FAT sectors
	le.PutUint32(b[0x30:], 1) // first directory sector
	le.PutUint32(b[0x38:], 4096)
	le.PutUint32(b[0x3C:], end)
	le.PutUint32(b[0x44:], end)
	for i := 0x4C; i < 512; i += 4 {
		le.PutUint32(b[i:], free)
	}
	le.PutUint32(b[0x4C:], 0) // the FAT is sector 0
	fatSec := b[512:1024]
	for i := 0; i < 512; i += 4 {
		le.PutUint32(fatSec[i:], free)
	}
	le.PutUint32(fatSec[0:], fat)
	le.PutUint32(fatSec[4:], end)
	dir := b[1024:]
	entry := func(i int, name string, typ byte, child uint32) {
		e := dir[i*128 : (i+1)*128]
		u := utf16.Encode([]rune(name))
		for j, c := range u {
			le.PutUint16(e[j*2:], c)
		}
		le.PutUint16(e[0x40:], uint16(len(u)*2+2))
		e[0x42], e[0x43] = typ, 1
		le.PutUint32(e[0x44:], free)
		le.PutUint32(e[0x48:], free)
		le.PutUint32(e[0x4C:], child)
		le.PutUint32(e[0x74:], end)
	}
	entry(0, "Root Entry", 5, 1)
	entry(1, stream, 2, free)
	for i := 2; i < 4; i++ {
		e := dir[i*128:]
		le.PutUint32(e[0x44:], free)
		le.PutUint32(e[0x48:], free)
		le.PutUint32(e[0x4C:], free)
	}
	return b
}

// TestHostile checks that broken, hostile and empty files end in the
// right typed error for every extractor.
func TestHostile(t *testing.T) {
	t.Parallel()
	docx := zipBytes(t, docxParts(docxBody))
	bomb := docxParts(`<w:p><w:r><w:t>` + strings.Repeat(" ", 4<<20) + `x</w:t></w:r></w:p>`)
	var emptyDocx []part
	for _, p := range docxParts(`<w:p/><w:p><w:r><w:t>   </w:t></w:r></w:p>`) {
		if p.name != "word/footnotes.xml" {
			emptyDocx = append(emptyDocx, p)
		}
	}
	for _, tc := range []struct {
		name, handler string
		data          []byte
		limit         int64
		want          string
	}{
		{"truncated zip", "docx", docx[:len(docx)/2], 0, "corrupt"},
		{"not a zip", "odt", []byte("this is plain text, not a zip"), 0, "corrupt"},
		{"zero bytes", "epub", nil, 0, "corrupt"},
		{"zip bomb part", "docx", zipBytes(t, bomb), 1 << 20, "too_large"},
		{"missing docx main part", "docx", zipBytes(t, []part{{"docProps/core.xml", "<x/>"}}), 0, "corrupt"},
		{"missing pptx main part", "pptx", zipBytes(t, []part{{"word/document.xml", "<x/>"}}), 0, "corrupt"},
		{"missing xlsx main part", "xlsx", zipBytes(t, []part{{"a.txt", "x"}}), 0, "corrupt"},
		{"missing ods content", "ods", zipBytes(t, []part{{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}}), 0, "corrupt"},
		{"missing epub container", "epub", zipBytes(t, []part{{"mimetype", "application/epub+zip"}}), 0, "corrupt"},
		{"encrypted docx", "docx", cfbFile("EncryptedPackage"), 0, "encrypted"},
		{"encrypted xlsx", "xlsx", cfbFile("EncryptedPackage"), 0, "encrypted"},
		{"encrypted pptx", "pptx", cfbFile("EncryptedPackage"), 0, "encrypted"},
		{"other compound file", "docx", cfbFile("WordDocument"), 0, "unsupported"},
		{"empty docx", "docx", zipBytes(t, emptyDocx), 0, "empty"},
		{"empty odt", "odt", zipBytes(t, odfParts("application/vnd.oasis.opendocument.text", `<office:text><text:p/></office:text>`)), 0, "empty"},
		{"broken docx xml", "docx", zipBytes(t, docxParts(`<w:p><w:r><w:t>x</w:p>`)), 0, "corrupt"},
		{"xlsb", "xlsx", zipBytes(t, []part{{"_rels/.rels", `<Relationships><Relationship Id="r" Type="x/officeDocument" Target="xl/workbook.bin"/></Relationships>`}, {"xl/workbook.bin", "\x00"}}), 0, "unsupported"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lim := document.DefaultLimits
			if tc.limit > 0 {
				lim.MaxExpandedBytes = tc.limit
			}
			in := document.Input{Path: writeFile(t, "f", tc.data), Limits: lim}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			doc, err := byName(t, tc.handler).Extract(ctx, in)
			if got := document.Reason(err); got != tc.want {
				t.Fatalf("Extract = %v, %v (%s); want %s", doc, err, got, tc.want)
			}
		})
	}
}

// TestXLSXEmpty: a workbook without cells has no text.
func TestXLSXEmpty(t *testing.T) {
	t.Parallel()
	parts := []part{
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>`},
	}
	_, err := extract(t, "xlsx", writeFile(t, "e.xlsx", zipBytes(t, parts)))
	if document.Reason(err) != "empty" {
		t.Fatalf("err = %v, want empty", err)
	}
}

// TestTypes: every extractor names itself and its types, and no type is
// claimed twice.
func TestTypes(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	var names []string
	for _, x := range Extractors() {
		names = append(names, x.Name())
		for _, ty := range x.Types() {
			if strings.ContainsAny(ty, "; ") {
				t.Errorf("%s: type %q has parameters", x.Name(), ty)
			}
			if other, ok := seen[ty]; ok {
				t.Errorf("type %q claimed by %s and %s", ty, other, x.Name())
			}
			seen[ty] = x.Name()
		}
	}
	if got := strings.Join(names, ","); got != "docx,pptx,xlsx,odt,ods,odp,epub" {
		t.Errorf("names = %s", got)
	}
}
