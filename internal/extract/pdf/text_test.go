package pdf

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/zero711/brain/internal/document"
)

func TestTextBlocks(t *testing.T) {
	t.Parallel()
	long := "This line is long enough to look like a wrapped line of body text in a"
	tests := []struct {
		name string
		text string
		want []document.Block
	}{
		{
			name: "wrapped paragraph",
			text: "The quick brown\nfox jumps.",
			want: []document.Block{para("The quick brown fox jumps.")},
		},
		{
			name: "dehyphenate lower-case continuation",
			text: "Ein langes Wort-\nende und E-\nMail.",
			want: []document.Block{para("Ein langes Wortende und E-Mail.")},
		},
		{
			name: "soft hyphen",
			text: "Silben\u00ad\ntrennung.",
			want: []document.Block{para("Silbentrennung.")},
		},
		{
			name: "dash after space is kept apart",
			text: "one -\ntwo",
			want: []document.Block{para("one - two")},
		},
		{
			name: "blank lines separate paragraphs",
			text: "First paragraph.\n\nSecond paragraph.",
			want: []document.Block{para("First paragraph."), para("Second paragraph.")},
		},
		{
			name: "numbered heading",
			text: "1.2 Metrische Räume\n" + long + "\nparagraph.",
			want: []document.Block{heading(2, "1.2 Metrische Räume"), para(long + " paragraph.")},
		},
		{
			name: "all caps heading",
			text: "RETHINKING THE FINANCIAL NETWORK\n\nSpeech by someone, given somewhere.",
			want: []document.Block{heading(1, "RETHINKING THE FINANCIAL NETWORK"), para("Speech by someone, given somewhere.")},
		},
		{
			name: "short line before blank line",
			text: "Vorwort\n\nDieses Skript wurde geschrieben.",
			want: []document.Block{heading(2, "Vorwort"), para("Dieses Skript wurde geschrieben.")},
		},
		{
			name: "short title above long lines",
			text: "Danksagungen\n" + long + "\nthanks.",
			want: []document.Block{heading(2, "Danksagungen"), para(long + " thanks.")},
		},
		{
			name: "sentence is not a heading",
			text: "Short sentence.\n\nAnother.",
			want: []document.Block{para("Short sentence."), para("Another.")},
		},
		{
			name: "last short line of page is not a heading",
			text: "Body text here.\n\nClosing words",
			want: []document.Block{para("Body text here."), para("Closing words")},
		},
		{
			name: "bullets with a wrapped item",
			text: "Here is a list:\n• Bullet 1\n• Bullet 2 goes\non\n- Bullet 3",
			want: []document.Block{para("Here is a list:"), list("Bullet 1", "Bullet 2 goes on", "Bullet 3")},
		},
		{
			name: "numbered list is not a heading",
			text: "1. First step\n2. Second step",
			want: []document.Block{list("First step", "Second step")},
		},
		{
			name: "letter list",
			text: "a) eins\nb) zwei",
			want: []document.Block{list("eins", "zwei")},
		},
		{
			name: "page numbers at top and bottom dropped",
			text: "iii\n\nText of the page.\n\n- 12 -\n",
			want: []document.Block{para("Text of the page.")},
		},
		{
			name: "number inside the page kept",
			text: "Text.\n\n42\n\nMore text.",
			want: []document.Block{para("Text."), para("42"), para("More text.")},
		},
		{
			name: "paragraph break after short sentence end",
			text: long + "\nend here.\nNext paragraph starts here",
			want: []document.Block{para(long + " end here."), para("Next paragraph starts here")},
		},
		{
			name: "empty",
			text: " \n\t\n",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TextBlocks(tt.text, 3)
			for i := range tt.want {
				tt.want[i].Page = 3
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("TextBlocks(%q)\n got %+v\nwant %+v", tt.text, got, tt.want)
			}
		})
	}
}

func para(s string) document.Block { return document.Block{Kind: document.Paragraph, Text: s} }

func heading(level int, s string) document.Block {
	return document.Block{Kind: document.Heading, Level: level, Text: s}
}

func list(items ...string) document.Block {
	return document.Block{Kind: document.List, Level: 1, Items: items}
}

// FuzzTextBlocks checks that any text splits into valid blocks without
// panicking and without losing or inventing letters beyond dropped
// hyphens and page numbers.
func FuzzTextBlocks(f *testing.F) {
	f.Add("1.2 Title\nbody text that is long enough-\nend.\n\n• a\n• b\n")
	f.Add("Wort-\nende\n\n\f- 3 -")
	f.Add("\u00ad\n-\n- \n1.\na)")
	f.Fuzz(func(t *testing.T, text string) {
		blocks := TextBlocks(text, 1)
		in := len(strings.Join(strings.Fields(text), ""))
		out := 0
		for _, b := range blocks {
			if !utf8.ValidString(text) {
				break
			}
			if b.Page != 1 {
				t.Fatalf("page %d", b.Page)
			}
			if b.Kind == document.List && len(b.Items) == 0 {
				t.Fatal("list without items")
			}
			if b.Kind != document.List && strings.TrimSpace(b.Text) == "" {
				t.Fatalf("empty %s block", b.Kind)
			}
			out += len(strings.Join(strings.Fields(b.Text+strings.Join(b.Items, "")), ""))
		}
		if out > in {
			t.Fatalf("blocks hold %d non-space bytes, input %d", out, in)
		}
	})
}
