package fulltext

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// sharedCorpus returns the path of rel under the shared corpus folder
// (../shared/corpus from the repository root), looked for in the parents of
// the working directory, or "" when it is absent.
func sharedCorpus(rel string) string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, "shared", "corpus", rel)
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

// squad is a SQuAD v1.1 file, flattened: paragraphs and, per question, the
// index of its paragraph.
type squad struct {
	paragraphs []string
	questions  []string
	gold       []int
}

// loadSQuAD reads the SQuAD v1.1 dev set, or skips tb when it is absent.
func loadSQuAD(tb testing.TB) *squad {
	tb.Helper()
	path := sharedCorpus("qa/squad-v1.1/dev-v1.1.json")
	if path == "" {
		tb.Skip("shared/corpus/qa/squad-v1.1/dev-v1.1.json not found")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var file struct {
		Data []struct {
			Paragraphs []struct {
				Context string `json:"context"`
				QAs     []struct {
					Question string `json:"question"`
				} `json:"qas"`
			} `json:"paragraphs"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		tb.Fatalf("parse %s: %v", path, err)
	}
	s := &squad{}
	for _, a := range file.Data {
		for _, p := range a.Paragraphs {
			for _, q := range p.QAs {
				s.questions = append(s.questions, q.Question)
				s.gold = append(s.gold, len(s.paragraphs))
			}
			s.paragraphs = append(s.paragraphs, p.Context)
		}
	}
	return s
}

func TestSQuADRetrieval(t *testing.T) {
	t.Parallel()
	s := loadSQuAD(t)
	x := New(Options{})
	for i, p := range s.paragraphs {
		x.Add(uint64(i), p, "")
	}
	step := 1 // every question; a sample under the race detector
	if raceEnabled {
		step = 10
	}
	var at1, at5, at10, mrr, n float64
	for i := 0; i < len(s.questions); i += step {
		q := s.questions[i]
		n++
		for rank, h := range x.Search(q, 10, nil) {
			if h.ID != uint64(s.gold[i]) {
				continue
			}
			if rank < 1 {
				at1++
			}
			if rank < 5 {
				at5++
			}
			at10++
			mrr += 1 / float64(rank+1)
			break
		}
	}
	t.Logf("SQuAD v1.1 dev, %d paragraphs, %.0f questions: recall@1 %.3f, recall@5 %.3f, recall@10 %.3f, MRR@10 %.3f",
		len(s.paragraphs), n, at1/n, at5/n, at10/n, mrr/n)
	if at10/n < 0.5 {
		t.Errorf("recall@10 = %.3f, want > 0.5", at10/n)
	}
}
