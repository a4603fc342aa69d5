package fulltext

import (
	"math/rand/v2"
	"syscall"
	"testing"
)

func cpuNow() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkZZAnalyze(b *testing.B) {
	g := benchGen(b)
	r := rand.New(rand.NewPCG(16, 17))
	z := rand.NewZipf(r, 1.05, 4, 2_000_000)
	texts := make([]string, 4096)
	langs := make([]string, len(texts))
	words := 0
	for i := range texts {
		texts[i], langs[i] = g.chunk(r, z, i)
		words += len(analyze(nil, texts[i], pipelineOf(langs[i])))
	}
	b.Logf("avg terms %d", words/len(texts))
	b.ResetTimer()
	c0 := cpuNow()
	for i := 0; i < b.N; i++ {
		analyze(nil, texts[i%len(texts)], pipelineOf(langs[i%len(texts)]))
	}
	b.ReportMetric((cpuNow()-c0)/float64(b.N), "cpu-ns/op")
}
func BenchmarkZZScan(b *testing.B) {
	g := benchGen(b)
	r := rand.New(rand.NewPCG(16, 17))
	z := rand.NewZipf(r, 1.05, 4, 2_000_000)
	texts := make([]string, 4096)
	for i := range texts {
		texts[i], _ = g.chunk(r, z, i)
	}
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		scan(texts[i%len(texts)], func(string, bool) { n++ })
	}
}
