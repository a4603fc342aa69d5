package embed

import (
	"context"
	"strings"
	"testing"
)

// benchChunks returns n chunks of about 200 words of English prose.
func benchChunks(tb testing.TB, n int) []string {
	tb.Helper()
	words := strings.Fields(benchProse)
	chunks := make([]string, n)
	for i := range chunks {
		var sb strings.Builder
		for j := range 200 {
			if j > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(words[(i*37+j*13)%len(words)])
		}
		chunks[i] = sb.String()
	}
	return chunks
}

const benchProse = `The Normans were the people who in the 10th and 11th centuries gave their name to
Normandy, a region in France. They were descended from Norse raiders and pirates from Denmark, Iceland
and Norway who, under their leader Rollo, agreed to swear fealty to King Charles III of West Francia.
Through generations of assimilation and mixing with the native Frankish and Roman-Gaulish populations,
their descendants would gradually merge with the Carolingian-based cultures of West Francia. Die
Körperschaftsteuer bemisst sich nach dem zu versteuernden Einkommen; Grundlage ist das Einkommen, das
die Gesellschaft innerhalb eines Kalenderjahres bezogen hat. Übersicht über die Gewerbesteuer, Straße,
Größe, Maßnahme. Computational complexity theory is a branch of the theory of computation in
theoretical computer science that focuses on classifying computational problems according to their
inherent difficulty, and relating those classes to each other.`

// BenchmarkBuiltin embeds chunks of about 200 words on one goroutine; the
// chunks/s metric is the throughput of one core.
func BenchmarkBuiltin(b *testing.B) {
	e, err := NewBuiltin(BuiltinConfig{})
	if err != nil {
		b.Fatal(err)
	}
	chunks := benchChunks(b, 256)
	var bytes int
	for _, c := range chunks {
		bytes += len(c)
	}
	ctx := context.Background()
	b.SetBytes(int64(bytes / len(chunks)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := e.Embed(ctx, chunks[i%len(chunks):i%len(chunks)+1], Passage); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "chunks/s")
}

// BenchmarkBuiltinSQuAD embeds real prose: SQuAD paragraphs joined into
// chunks of 200 words.
func BenchmarkBuiltinSQuAD(b *testing.B) {
	s := loadSQuAD(b)
	var chunks []string
	var words []string
	for _, p := range s.paragraphs {
		words = append(words, strings.Fields(p)...)
		for len(words) >= 200 {
			chunks = append(chunks, strings.Join(words[:200], " "))
			words = words[200:]
		}
	}
	e, err := NewBuiltin(BuiltinConfig{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c := chunks[i%len(chunks)]
		if _, err := e.Embed(ctx, []string{c}, Passage); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "chunks/s")
}

// BenchmarkDot measures the inner product of two 384-dimensional vectors,
// the step of an exact search.
func BenchmarkDot(b *testing.B) {
	x, y := make([]float32, DefaultBuiltinDim), make([]float32, DefaultBuiltinDim)
	for i := range x {
		x[i], y[i] = float32(i), float32(len(x)-i)
	}
	var s float32
	for b.Loop() {
		s += Dot(x, y)
	}
	_ = s
}
