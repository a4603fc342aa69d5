package mail

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/corpustest"
	"github.com/zero711/brain/internal/document"
)

func TestMSGCorpus(t *testing.T) {
	dir := corpustest.Dir(t, "formats/tika/files")
	tests := []struct {
		file, title, author string
		body                []string
		created             time.Time
		attachments         int
	}{
		{"test-outlook.msg", "Microsoft Outlook Express 6", "L'Équipe Microsoft Outlook Express <msoe@microsoft.com>",
			[]string{"Nouvel utilisateur de Outlook Express", "annuaires", "Synchronisation"}, time.Date(2007, 4, 5, 16, 26, 6, 0, time.UTC), 0},
		{"test-outlook2003.msg", "Welcome to Microsoft Office Outlook 2003", "Microsoft Outlook 2003 Team <olteam@microsoft.com>",
			[]string{"Outlook 2003", "Streamlined Mail Experience", "Navigation Pane"}, time.Time{}, 11},
		{"testMSG.msg", "MIME registry use cases", "Jukka Zitting <jukka.zitting@gmail.com>", []string{"To: tika-dev@lucene.apache.org"}, time.Time{}, 0},
		{"testMSG_chinese.msg", "Alfresco MSG format testing ( MSG 格式測試 )", "Tests Chang@FT (張毓倫)", []string{"張毓倫", "陳惠珍"}, time.Time{}, 0},
		{"testMSG_att_doc.msg", "test pièce jointe 1", "Nicolas1 23456 <nicolas1.23456@free.fr>", nil, time.Time{}, 2},
	}
	for _, tt := range tests {
		p := filepath.Join(dir, tt.file)
		if _, err := os.Stat(p); err != nil {
			t.Logf("%s absent", tt.file)
			continue
		}
		d, err := extract(t, msgExtractor{}, p, document.Limits{})
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if d.Title != tt.title || !strings.HasPrefix(d.Author, tt.author) || d.Handler != "msg" {
			t.Errorf("%s: title %q author %q", tt.file, d.Title, d.Author)
		}
		for _, s := range tt.body {
			if !strings.Contains(d.Text(), s) {
				t.Errorf("%s: text lacks %q", tt.file, s)
			}
		}
		if !tt.created.IsZero() && !d.Created.Equal(tt.created) {
			t.Errorf("%s: created %v, want %v", tt.file, d.Created, tt.created)
		}
		if len(d.Attachments) != tt.attachments {
			t.Errorf("%s: %d attachments, want %d", tt.file, len(d.Attachments), tt.attachments)
		}
	}
}

func TestMSGNotCFB(t *testing.T) {
	t.Parallel()
	if _, err := extract(t, msgExtractor{}, writeFile(t, "x.msg", "not a compound file at all"), document.Limits{}); !errors.Is(err, document.ErrCorrupt) {
		t.Errorf("err = %v", err)
	}
}

// entry builds one 16-byte property entry.
func entry(id, typ uint16, value uint64) []byte {
	e := make([]byte, propEntrySize)
	binary.LittleEndian.PutUint32(e, uint32(id)<<16|uint32(typ))
	binary.LittleEndian.PutUint32(e[4:], 0x6) // readable, writable
	binary.LittleEndian.PutUint64(e[8:], value)
	return e
}

func TestParseProperties(t *testing.T) {
	t.Parallel()
	// 2007-04-05T16:26:06Z as a FILETIME.
	ft := uint64(time.Date(2007, 4, 5, 16, 26, 6, 0, time.UTC).Unix()+11_644_473_600) * 10_000_000
	stream := make([]byte, propHeaderMessage)
	stream = append(stream, entry(propClientSubmitTime, ptSysTime, ft)...)
	stream = append(stream, entry(propInternetCodepage, ptLong, 1252)...)
	stream = append(stream, entry(0x1000, ptUnicode, 42)...) // variable-length: skipped
	stream = append(stream, 1, 2, 3)                         // trailing partial entry
	props := parseProperties(stream, propHeaderMessage)
	if got := props[propClientSubmitTime].time(); got.Format(time.RFC3339) != "2007-04-05T16:26:06Z" {
		t.Errorf("submit time %v", got)
	}
	if props[propInternetCodepage].long() != 1252 || len(props) != 2 {
		t.Errorf("props %v", props)
	}
	if props[propInternetCodepage].time() != (time.Time{}) || props[propClientSubmitTime].long() != 0 {
		t.Error("accessors ignore the type")
	}
	if len(parseProperties(stream[:10], propHeaderMessage)) != 0 || len(parseProperties(stream, -1)) != 0 {
		t.Error("short stream or bad header length yields properties")
	}
	if (property{typ: ptSysTime, value: ^uint64(0)}).time() != (time.Time{}) {
		t.Error("FILETIME beyond year 9999 accepted")
	}
}

func FuzzParseProperties(f *testing.F) {
	f.Add(append(make([]byte, 8), entry(propAttachMethod, ptLong, 5)...), uint8(8))
	f.Add(append(make([]byte, 32), entry(propClientSubmitTime, ptSysTime, 1<<62)...), uint8(32))
	f.Fuzz(func(t *testing.T, data []byte, header uint8) {
		for id, p := range parseProperties(data, int(header)) {
			if p.typ != ptLong && p.typ != ptSysTime {
				t.Fatalf("property %x of type %x kept", id, p.typ)
			}
			if y := p.time().Year(); !p.time().IsZero() && (y < 1601 || y > 9999) {
				t.Fatalf("year %d", y)
			}
		}
	})
}
