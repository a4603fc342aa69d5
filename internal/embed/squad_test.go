package embed

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// squadPath is the SQuAD v1.1 dev set in the shared corpus, which lies
// next to the repository (../shared/corpus from its root).
const squadPath = "shared/corpus/qa/squad-v1.1/dev-v1.1.json"

// squad is a retrieval benchmark built from SQuAD: each paragraph is a
// document, each question a query whose one relevant document is its
// paragraph.
type squad struct {
	paragraphs []string
	questions  []string
	gold       []int // paragraph index per question
}

// loadSQuAD reads the dev set, or skips the test when the corpus is absent.
func loadSQuAD(tb testing.TB) *squad {
	tb.Helper()
	path := findUp(tb, squadPath)
	if path == "" {
		tb.Skipf("SQuAD v1.1 not found: no %s in any parent directory (the shared corpus lies next to the repository)", squadPath)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var doc struct {
		Data []struct {
			Paragraphs []struct {
				Context string `json:"context"`
				QAs     []struct {
					Question string `json:"question"`
				} `json:"qas"`
			} `json:"paragraphs"`
		} `json:"data"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	s := new(squad)
	for _, article := range doc.Data {
		for _, p := range article.Paragraphs {
			for _, qa := range p.QAs {
				s.questions = append(s.questions, qa.Question)
				s.gold = append(s.gold, len(s.paragraphs))
			}
			s.paragraphs = append(s.paragraphs, p.Context)
		}
	}
	return s
}

// findUp looks for rel in the working directory and its parents.
func findUp(tb testing.TB, rel string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		p := filepath.Join(dir, rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// retrievalScores are the usual ranking metrics over a set of queries with
// one relevant document each.
type retrievalScores struct {
	Queries                    int
	Recall1, Recall5, Recall10 float64
	MRR10                      float64
}

// evaluate embeds documents and queries with e and ranks all documents for
// every query by exact cosine similarity.
func evaluate(tb testing.TB, e Embedder, docs, queries []string, gold []int) retrievalScores {
	tb.Helper()
	ctx := context.Background()
	dv, err := e.Embed(ctx, docs, Passage)
	if err != nil {
		tb.Fatal(err)
	}
	qv, err := e.Embed(ctx, queries, Query)
	if err != nil {
		tb.Fatal(err)
	}
	ranks := make([]int, len(queries)) // 1-based rank of the gold document, 0 if not in the top 10
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for q := w; q < len(queries); q += workers {
				ranks[q] = goldRank(qv[q], dv, gold[q], 10)
			}
		})
	}
	wg.Wait()
	var s retrievalScores
	s.Queries = len(queries)
	for _, r := range ranks {
		if r == 0 {
			continue
		}
		if r <= 1 {
			s.Recall1++
		}
		if r <= 5 {
			s.Recall5++
		}
		s.Recall10++
		s.MRR10 += 1 / float64(r)
	}
	n := float64(len(queries))
	s.Recall1 /= n
	s.Recall5 /= n
	s.Recall10 /= n
	s.MRR10 /= n
	return s
}

// goldRank returns the 1-based rank of docs[gold] by similarity to q, or 0
// if it is not among the first k. Ties rank the gold document last.
func goldRank(q []float32, docs [][]float32, gold, k int) int {
	g := Dot(q, docs[gold])
	better := 0
	for i, d := range docs {
		if i != gold && Dot(q, d) >= g {
			better++
			if better >= k {
				return 0
			}
		}
	}
	return better + 1
}
