package answer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zero711/brain/internal/chunk"
)

// benchSources makes n German sources of about 400 tokens each.
func benchSources(n int) []Source {
	sentences := []string{
		"Die Entfernungspauschale beträgt 0,30 Euro für jeden vollen Kilometer der Strecke zwischen Wohnung und erster Tätigkeitsstätte.",
		"Ab dem 21. Kilometer erhöht sich die Pauschale auf 0,38 Euro, vgl. § 9 Abs. 1 S. 3 Nr. 4 EStG.",
		"Aufwendungen für Arbeitsmittel, z. B. Werkzeuge und typische Berufskleidung, sind Werbungskosten.",
		"Der Arbeitnehmer-Pauschbetrag beträgt 1.230 Euro im Kalenderjahr.",
		"Kosten für ein häusliches Arbeitszimmer sind nur abziehbar, wenn es den Mittelpunkt der gesamten Tätigkeit bildet.",
		"Die Steuererklärung für 2023 ist bis zum 02.09.2024 abzugeben, mit Berater bis zum 02.06.2025.",
		"Belege, Rechnungen und Kontoauszüge sind zehn Jahre aufzubewahren.",
		"Fortbildungskosten sind abziehbar, soweit sie mit dem ausgeübten Beruf zusammenhängen.",
	}
	out := make([]Source, n)
	for i := range out {
		var sb strings.Builder
		fmt.Fprintf(&sb, "EStG > Abschnitt %d\n", i+1)
		for j := 0; chunk.Tokens(sb.String()) < 400; j++ {
			sb.WriteString(sentences[(i+j)%len(sentences)])
			sb.WriteByte(' ')
		}
		out[i] = Source{
			N: i + 1, DocumentID: "estg", Title: "Einkommensteuer-Ratgeber", ChunkID: fmt.Sprintf("c%d", i+1),
			Section: fmt.Sprintf("EStG > Abschnitt %d", i+1), Page: i + 1, Score: 1 / float64(i+1),
			Text: strings.TrimSpace(sb.String()),
		}
	}
	return out
}

func BenchmarkExtractive(b *testing.B) {
	sources := benchSources(10)
	b.ReportAllocs()
	for b.Loop() {
		Extractive("Wie hoch ist die Entfernungspauschale ab dem 21. Kilometer?", sources, Options{})
	}
}

func BenchmarkBuildPrompt(b *testing.B) {
	sources := benchSources(10)
	b.ReportAllocs()
	for b.Loop() {
		BuildPrompt("Wie hoch ist die Entfernungspauschale?", nil, sources, 3000)
	}
}
