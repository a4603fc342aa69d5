package archive

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSafeName(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 300) + ".pdf"
	tests := []struct{ in, want string }{
		{"docs/report.pdf", "docs/report.pdf"},
		{"../../etc/passwd", "etc/passwd"},
		{"/abs/path.txt", "abs/path.txt"},
		{`C:\x`, "x"},
		{`C:\Windows\system32\cmd.exe`, "Windows/system32/cmd.exe"},
		{`\\server\share\f.txt`, "server/share/f.txt"},
		{"a/./b/../c", "a/b/c"},
		{"nul\x00byte.txt", "nulbyte.txt"},
		{"new\nline\r.txt", "newline.txt"},
		{"evil\u202Etxt.exe", "eviltxt.exe"},
		{"bad\xff\xfeutf8", "badutf8"},
		{"  spaced  / name ", "spaced/name"},
		{"..", ""},
		{"/", ""},
		{"", ""},
		{"Grüße/naïve.txt", "Grüße/naïve.txt"},
		{"dir/" + long, strings.Repeat("x", 251) + ".pdf"},
	}
	for _, tt := range tests {
		if got := SafeName(tt.in); got != tt.want {
			t.Errorf("SafeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"../../etc/passwd", `C:\x`, "/abs", "a\x00b", "é/" + strings.Repeat("ü", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := SafeName(in)
		if len(got) > MaxNameBytes || !utf8.ValidString(got) {
			t.Fatalf("SafeName(%q) = %q: too long or invalid UTF-8", in, got)
		}
		if strings.HasPrefix(got, "/") || strings.Contains(got, `\`) {
			t.Fatalf("SafeName(%q) = %q: absolute or backslash", in, got)
		}
		for seg := range strings.SplitSeq(got, "/") {
			if seg == ".." || seg == "." || (got != "" && seg == "") {
				t.Fatalf("SafeName(%q) = %q: bad segment %q", in, got, seg)
			}
		}
		for _, r := range got {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				t.Fatalf("SafeName(%q) = %q: invisible rune %U", in, got, r)
			}
		}
		if SafeName(got) != got {
			t.Fatalf("SafeName not idempotent on %q: %q", got, SafeName(got))
		}
	})
}
