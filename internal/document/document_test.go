package document_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/zero711/brain/internal/document"
)

func TestNormalize(t *testing.T) {
	d := &document.Document{Blocks: []document.Block{
		{Kind: document.Heading, Level: 1, Text: "Vertrag"},
		{Kind: document.Paragraph, Text: "  Präambel\x00 mit\x1b Steuerzeichen\r\nund \xff kaputtem UTF-8  "},
		{Kind: document.Heading, Level: 2, Text: "§ 1  Gegenstand"},
		{Kind: document.List, Items: []string{"eins", "zwei"}},
		{Kind: document.Heading, Level: 2, Text: "§ 2 Preise"},
		{Kind: document.Table, Rows: [][]string{{"Artikel", "Preis"}, {"Schraube", "0,12 €"}}, Header: true},
		{Kind: document.Paragraph, Text: "   "},
		{Kind: document.Heading, Level: 1, Text: "Anhang"},
		{Kind: document.Paragraph, Text: "Ende"},
	}}
	d.Normalize()
	var got []string
	for _, b := range d.Blocks {
		got = append(got, fmt.Sprintf("%s %q %q", b.Kind, b.Section, b.Text))
	}
	want := []string{
		`heading [] "Vertrag"`,
		`paragraph ["Vertrag"] "Präambel mit Steuerzeichen\n\nund  kaputtem UTF-8"`,
		`heading ["Vertrag"] "§ 1  Gegenstand"`,
		`list ["Vertrag" "§ 1 Gegenstand"] "eins\nzwei"`,
		`heading ["Vertrag"] "§ 2 Preise"`,
		`table ["Vertrag" "§ 2 Preise"] "Artikel | Preis\nSchraube | 0,12 €"`,
		`heading [] "Anhang"`,
		`paragraph ["Anhang"] "Ende"`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("Normalize:\n got %q\nwant %q", got, want)
	}
}

func TestReason(t *testing.T) {
	for err, want := range map[error]string{
		fmt.Errorf("%w: zip", document.ErrCorrupt): "corrupt", document.ErrEncrypted: "encrypted",
		fmt.Errorf("x: %w", document.ErrToolMissing): "tool_missing", errors.New("boom"): "error",
		document.ErrTooLarge: "too_large", document.ErrEmpty: "empty", document.ErrUnsupported: "unsupported",
		document.ErrTimeout: "timeout",
	} {
		if got := document.Reason(err); got != want {
			t.Errorf("Reason(%v) = %q, want %q", err, got, want)
		}
	}
}
