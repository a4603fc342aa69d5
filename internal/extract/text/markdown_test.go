package text

import (
	"slices"
	"testing"

	"github.com/zero711/brain/internal/document"
)

func TestMarkdown(t *testing.T) {
	t.Parallel()
	src := "---\ntitle: \"Handbuch\"\nauthor: Erika Muster\ndate: 2024-05-01\n---\n" +
		"# Einführung\n\nEin **fetter** Satz mit `code` und [Link](https://example.com).\n\n" +
		"## Liste\n\n- Äpfel\n- Birnen\n  - grün\n- Kirschen\n\n" +
		"| Name | Größe |\n|:-----|------:|\n| Apfel | 5 |\n| Birne | 7 |\n\n" +
		"```go\nfmt.Println(\"hallo\")\n```\n\n> Zitat hier\n"
	doc := mustExtract(t, Markdown(), "handbuch.md", "text/plain", []byte(src))
	if doc.Title != "Handbuch" || doc.Author != "Erika Muster" || doc.Metadata["date"] != "2024-05-01" {
		t.Errorf("front matter: title %q author %q date %q", doc.Title, doc.Author, doc.Metadata["date"])
	}
	heads := blocksOf(doc, document.Heading)
	if len(heads) != 2 || heads[0].Text != "Einführung" || heads[1].Level != 2 {
		t.Errorf("headings = %+v", heads)
	}
	paras := blocksOf(doc, document.Paragraph)
	if len(paras) == 0 || paras[0].Text != "Ein fetter Satz mit code und Link." {
		t.Errorf("first paragraph = %+v", paras)
	}
	lists := blocksOf(doc, document.List)
	if len(lists) != 1 || !slices.Equal(lists[0].Items, []string{"Äpfel", "Birnen", "  grün", "Kirschen"}) {
		t.Errorf("lists = %+v", lists)
	}
	tables := blocksOf(doc, document.Table)
	if len(tables) != 1 || !tables[0].Header || len(tables[0].Rows) != 3 || tables[0].Rows[2][1] != "7" {
		t.Errorf("tables = %+v", tables)
	}
	code := blocksOf(doc, document.Code)
	if len(code) != 1 || code[0].Text != `fmt.Println("hallo")` {
		t.Errorf("code = %+v", code)
	}
	if !slices.Equal(code[0].Section, []string{"Einführung", "Liste"}) {
		t.Errorf("code section = %q", code[0].Section)
	}
	wantText(t, doc, []string{"Zitat hier"}, "---", "title:")
}

func TestMarkdownTitleFromHeading(t *testing.T) {
	t.Parallel()
	doc := mustExtract(t, Markdown(), "a.md", "text/markdown", []byte("Intro\n\n# Haupttitel\n\ntext\n"))
	if doc.Title != "Haupttitel" {
		t.Errorf("title = %q", doc.Title)
	}
}
