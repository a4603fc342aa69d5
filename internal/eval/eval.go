// Package eval measures search quality: it loads a question-answering set
// (SQuAD v1.1) into a lakehouse, paragraphs as documents, and asks its
// questions, scoring where the paragraph that holds the answer ranks.
package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/zero711/brain/internal/lakehouse"
)

// Paragraph is a document of the set.
type Paragraph struct {
	ID, Title, Text string
}

// Question asks for the content of one paragraph.
type Question struct {
	ID, Text, ParagraphID string
}

// LoadSQuAD reads a SQuAD v1.1 JSON file.
func LoadSQuAD(path string) ([]Paragraph, []Question, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("eval: %w", err)
	}
	var f struct {
		Data []struct {
			Title      string `json:"title"`
			Paragraphs []struct {
				Context string `json:"context"`
				QAs     []struct {
					ID       string `json:"id"`
					Question string `json:"question"`
				} `json:"qas"`
			} `json:"paragraphs"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, nil, fmt.Errorf("eval: %s: %w", path, err)
	}
	var ps []Paragraph
	var qs []Question
	for _, a := range f.Data {
		for _, p := range a.Paragraphs {
			id := fmt.Sprintf("p%05d", len(ps))
			ps = append(ps, Paragraph{ID: id, Title: a.Title, Text: p.Context})
			for _, q := range p.QAs {
				qs = append(qs, Question{ID: q.ID, Text: q.Question, ParagraphID: id})
			}
		}
	}
	if len(ps) == 0 {
		return nil, nil, fmt.Errorf("eval: %s holds no paragraphs", path)
	}
	return ps, qs, nil
}

// Load adds the paragraphs to the customer's lakehouse, one document each,
// in bulk commits.
func Load(ctx context.Context, lh *lakehouse.Lakehouse, customer string, ps []Paragraph) error {
	const batch = 1000
	for start := 0; start < len(ps); start += batch {
		var nds []lakehouse.NewDocument
		for _, p := range ps[start:min(start+batch, len(ps))] {
			nds = append(nds, lakehouse.NewDocument{
				Document: lakehouse.Document{ID: p.ID, Title: p.Title, Language: "en", Domain: lakehouse.DomainGeneral},
				Chunks:   []lakehouse.Chunk{{Text: p.Text, Language: "en"}},
			})
		}
		if _, err := lh.AddDocuments(ctx, customer, nds); err != nil {
			return fmt.Errorf("eval: load: %w", err)
		}
	}
	return nil
}

// Metrics are the scores of one retrieval mode.
type Metrics struct {
	Mode     string        `json:"mode"`
	Queries  int           `json:"queries"`
	Recall1  float64       `json:"recall_at_1"`
	Recall5  float64       `json:"recall_at_5"`
	Recall10 float64       `json:"recall_at_10"`
	MRR10    float64       `json:"mrr_at_10"`
	P50      time.Duration `json:"p50"`
	P99      time.Duration `json:"p99"`
}

// String formats the metrics as one line.
func (m Metrics) String() string {
	return fmt.Sprintf("%-7s queries %5d  recall@1 %.4f  recall@5 %.4f  recall@10 %.4f  MRR@10 %.4f  p50 %v  p99 %v",
		m.Mode, m.Queries, m.Recall1, m.Recall5, m.Recall10, m.MRR10, m.P50.Round(time.Microsecond), m.P99.Round(time.Microsecond))
}

// Evaluate asks every question in one mode (hybrid, bm25 or vector) and
// scores the rank of the paragraph that holds its answer.
func Evaluate(ctx context.Context, lh *lakehouse.Lakehouse, customer, mode string, qs []Question) (Metrics, error) {
	m := Metrics{Mode: mode, Queries: len(qs)}
	lat := make([]time.Duration, 0, len(qs))
	for _, q := range qs {
		start := time.Now()
		hits, err := lh.Search(ctx, customer, lakehouse.SearchRequest{Query: q.Text, K: 10, Mode: mode})
		lat = append(lat, time.Since(start))
		if err != nil {
			return m, fmt.Errorf("eval: %q: %w", q.Text, err)
		}
		for i, h := range hits {
			if h.DocumentID != q.ParagraphID {
				continue
			}
			rank := i + 1
			if rank == 1 {
				m.Recall1++
			}
			if rank <= 5 {
				m.Recall5++
			}
			m.Recall10++
			m.MRR10 += 1 / float64(rank)
			break
		}
	}
	if n := float64(len(qs)); n > 0 {
		m.Recall1, m.Recall5, m.Recall10, m.MRR10 = m.Recall1/n, m.Recall5/n, m.Recall10/n, m.MRR10/n
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) > 0 {
		m.P50, m.P99 = lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)]
	}
	return m, nil
}
