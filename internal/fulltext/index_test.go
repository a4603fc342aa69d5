package fulltext

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

// doc is a test document.
type doc struct {
	id   uint64
	lang string
	text string
}

// build returns an index holding docs.
func build(t testing.TB, docs []doc) *Index {
	t.Helper()
	x := New(Options{})
	for _, d := range docs {
		x.Add(d.id, d.text, d.lang)
	}
	return x
}

// ids returns the ids of hits.
func ids(hits []Hit) []uint64 {
	out := make([]uint64, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

var corpus = []doc{
	{1, "de", "Die Körperschaftsteuer bemisst sich nach dem zu versteuernden Einkommen (§ 7 KStG)."},
	{2, "de", "Verdeckte Gewinnausschüttungen mindern das Einkommen nicht, § 8 Abs. 3 Satz 2 KStG."},
	{3, "de", "Der Mietvertrag kann mit einer Frist von drei Monaten gekündigt werden."},
	{4, "de", "Die Verträge mit den Lieferanten wurden zum Jahresende gekündigt."},
	{5, "de", "Die Straße vor dem Bürogebäude wird im Sommer saniert."},
	{6, "en", "The company was running three data centres in Stuttgart and Munich."},
	{7, "en", "Our contracts with suppliers renew every year unless terminated in writing."},
	{8, "en", "The VAT identification number DE123456789 appears on every invoice."},
	{9, "en", "Invoice total: 1.234,56 EUR including VAT."},
	{10, "", "Die Umsatzsteuer-Identifikationsnummer steht auf jeder Rechnung."},
	{11, "", "Taxes on corporate income are levied under the Corporate Income Tax Act."},
	{12, "de", "Steuern und Abgaben: Die Steuer wird jährlich festgesetzt."},
}

func TestSearchRanking(t *testing.T) {
	t.Parallel()
	x := build(t, corpus)
	tests := []struct {
		query string
		top   uint64
	}{
		{"Körperschaftsteuer Einkommen", 1},
		{"verdeckte Gewinnausschüttung", 2},
		{"§ 8 KStG", 2},
		{"Mietverträge kündigen", 3},
		{"Kündigung Mietvertrag Frist", 3},
		{"Vertrag Lieferant", 4},
		{"Strasse", 5},
		{"STRASSE saniert", 5},
		{"run data center", 6},
		{"supplier contract renewal", 7},
		{"DE123456789", 8},
		{"1.234,56", 9},
		{"Umsatzsteuer Identifikationsnummer", 10},
		{"corporate income tax", 11},
		{"Steuern", 12},
		{"die Steuer", 12},
		{"Verträge", 4},
	}
	for _, tt := range tests {
		hits := x.Search(tt.query, 3, nil)
		if len(hits) == 0 || hits[0].ID != tt.top {
			t.Errorf("Search(%q) = %v, want %d first", tt.query, hits, tt.top)
		}
	}
	if hits := x.Search("xylophon", 10, nil); len(hits) != 0 {
		t.Errorf("unknown word: %v", hits)
	}
	if hits := x.Search("the und", 10, nil); len(hits) != 0 {
		t.Errorf("stop words only: %v", hits)
	}
	if hits := x.Search("Steuer", 0, nil); hits != nil {
		t.Errorf("k=0: %v", hits)
	}
}

func TestSearchCrossLanguage(t *testing.T) {
	t.Parallel()
	x := build(t, []doc{
		{1, "en", "The Körperschaftsteuer is Germany's corporate income tax."},
		{2, "en", "Running a business in Germany means filing returns."},
		{3, "de", "Der Läufer läuft."},
	})
	if got := ids(x.Search("Körperschaftsteuer", 10, nil)); !slices.Equal(got, []uint64{1}) {
		t.Errorf("German word in English text: %v", got)
	}
	if got := ids(x.Search("running", 10, nil)); !slices.Equal(got, []uint64{2}) {
		t.Errorf("English stem from an unguessable query: %v", got)
	}
}

func TestSearchOrderAndScores(t *testing.T) {
	t.Parallel()
	x := build(t, []doc{
		{1, "en", "tax"},
		{2, "en", "tax tax tax"},
		{3, "en", "tax law and many other long words about nothing in particular at all"},
		{4, "en", "law"},
	})
	hits := x.Search("tax", 10, nil)
	if got := ids(hits); !slices.Equal(got, []uint64{2, 1, 3}) {
		t.Fatalf("order = %v, want [2 1 3]", got)
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Score > hits[i-1].Score || hits[i].Score <= 0 {
			t.Errorf("scores not descending and positive: %v", hits)
		}
	}
	if got := ids(x.Search("tax", 2, nil)); !slices.Equal(got, []uint64{2, 1}) {
		t.Errorf("k=2: %v", got)
	}
}

func TestDeleteAndReplace(t *testing.T) {
	t.Parallel()
	x := build(t, corpus)
	if n := x.Len(); n != len(corpus) {
		t.Fatalf("Len = %d", n)
	}
	if !x.Delete(3) || x.Delete(3) || x.Delete(999) {
		t.Error("Delete reports wrongly")
	}
	if got := ids(x.Search("Mietvertrag", 10, nil)); len(got) != 0 {
		t.Errorf("deleted document found: %v", got)
	}
	x.Add(4, "Ein ganz anderer Text über Bäume.", "de")
	if got := ids(x.Search("Lieferanten", 10, nil)); len(got) != 0 {
		t.Errorf("replaced text found: %v", got)
	}
	if got := ids(x.Search("Bäume", 10, nil)); !slices.Equal(got, []uint64{4}) {
		t.Errorf("new text: %v", got)
	}
	if n := x.Len(); n != len(corpus)-1 {
		t.Errorf("Len = %d, want %d", n, len(corpus)-1)
	}
}

func TestFilter(t *testing.T) {
	t.Parallel()
	x := build(t, corpus)
	even := func(id uint64) bool { return id%2 == 0 }
	hits := x.Search("Steuer Einkommen Vertrag", 10, even)
	if len(hits) == 0 {
		t.Fatal("no hits")
	}
	for _, h := range hits {
		if !even(h.ID) {
			t.Errorf("filtered id %d returned", h.ID)
		}
	}
	if hits := x.Search("Steuer", 10, func(uint64) bool { return false }); len(hits) != 0 {
		t.Errorf("reject-all filter: %v", hits)
	}
}

// zipfCorpus returns n random documents over a Zipf vocabulary.
func zipfCorpus(r *rand.Rand, n, vocab int) []doc {
	z := rand.NewZipf(r, 1.1, 2, uint64(vocab-1))
	docs := make([]doc, n)
	for i := range docs {
		words := make([]string, 5+r.IntN(60))
		for j := range words {
			words[j] = fmt.Sprintf("w%d", z.Uint64())
		}
		docs[i] = doc{uint64(i)*7 + 1, "fr", strings.Join(words, " ")}
	}
	return docs
}

// exhaustive scores every posting of the query's terms: the reference that
// the pruned search must agree with.
func exhaustive(x *Index, query string, k int, filter func(uint64) bool) []Hit {
	x.mu.RLock()
	defer x.mu.RUnlock()
	n := len(x.ids)
	nt := normTable(x.k1, x.b, max(float32(float64(x.sumLen)/float64(n)), 1))
	scores := map[uint32]float32{}
	for _, q := range analyzeQuery(query) {
		id, ok := x.terms[q.text]
		if !ok {
			continue
		}
		pl := &x.lists[id]
		df := float64(pl.df())
		w := q.weight * float32(math.Log(1+(float64(n)-df+0.5)/(df+0.5))) * (x.k1 + 1)
		pl.each(func(doc uint32, tf uint16) {
			f := float32(tf)
			scores[doc] += w * (f / (f + nt[x.norms[doc]]))
		})
	}
	var hits []Hit
	for doc, s := range scores {
		if !x.isDead(doc) && (filter == nil || filter(x.ids[doc])) {
			hits = append(hits, Hit{x.ids[doc], s})
		}
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return hits[:min(k, len(hits))]
}

// sameTop checks that got holds the scores of want; ids may differ only
// where scores tie.
func sameTop(t *testing.T, query string, got, want []Hit) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%q: %d hits, want %d", query, len(got), len(want))
	}
	for i := range got {
		if d := math.Abs(float64(got[i].Score - want[i].Score)); d > 1e-4*float64(want[i].Score) {
			t.Fatalf("%q: hit %d scores %v, want %v\ngot  %v\nwant %v", query, i, got[i].Score, want[i].Score, got, want)
		}
	}
}

func TestSearchMatchesExhaustive(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	docs := zipfCorpus(r, 8000, 3000)
	x := build(t, docs)
	for i := 0; i < 1500; i++ { // deletes and replacements
		d := docs[r.IntN(len(docs))]
		if i%2 == 0 {
			x.Delete(d.id)
		} else {
			x.Add(d.id, docs[r.IntN(len(docs))].text, "fr")
		}
	}
	z := rand.NewZipf(r, 1.1, 2, 2999)
	filters := []func(uint64) bool{nil, func(id uint64) bool { return id%3 != 0 }}
	queries := 300
	if raceEnabled {
		queries = 40
	}
	for i := 0; i < queries; i++ {
		words := make([]string, 1+r.IntN(8))
		for j := range words {
			words[j] = fmt.Sprintf("w%d", z.Uint64())
		}
		q := strings.Join(words, " ")
		for _, k := range []int{1, 10, 100} {
			f := filters[i%2]
			sameTop(t, q, x.Search(q, k, f), exhaustive(x, q, k, f))
		}
	}
}

func TestSearchAfterLengthDrift(t *testing.T) {
	t.Parallel()
	// Blocks sealed while documents were short must still bound the
	// scores once the average length has grown, and the other way round.
	r := rand.New(rand.NewPCG(21, 22))
	short, long := zipfCorpus(r, 1500, 300), zipfCorpus(r, 1500, 300)
	for i := range short {
		short[i].text = strings.Join(strings.Fields(short[i].text)[:5], " ")
		long[i].text = strings.Repeat(long[i].text+" ", 4)
		long[i].id += 1 << 40
	}
	for _, order := range [][]doc{append(short, long...), append(long, short...)} {
		x := build(t, order)
		z := rand.NewZipf(r, 1.1, 2, 299)
		for i := 0; i < 50; i++ {
			q := fmt.Sprintf("w%d w%d w%d", z.Uint64(), z.Uint64(), z.Uint64())
			sameTop(t, q, x.Search(q, 10, nil), exhaustive(x, q, 10, nil))
		}
	}
}

func TestCompaction(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	docs := zipfCorpus(r, 9000, 3000)
	x := build(t, docs)
	for _, d := range docs[:6000] {
		x.Delete(d.id)
	}
	x.mu.RLock()
	numbered, dead := len(x.ids), x.nDead
	x.mu.RUnlock()
	// The 4501st delete outnumbers the living and renumbers.
	if numbered != 4499 || dead != 1499 {
		t.Fatalf("after deleting 2/3: %d numbered, %d dead; want 4499, 1499", numbered, dead)
	}
	if x.Len() != 3000 {
		t.Fatalf("Len = %d", x.Len())
	}
	for _, d := range docs[6000:6100] {
		q := strings.Join(strings.Fields(d.text)[:3], " ")
		sameTop(t, q, x.Search(q, 10, nil), exhaustive(x, q, 10, nil))
	}
	if hits := x.Search(docs[0].text, 10000, nil); len(hits) == 0 {
		t.Fatal("no hits")
	} else {
		for _, h := range hits {
			if h.ID <= docs[5999].id {
				t.Fatalf("deleted id %d found", h.ID)
			}
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	docs := zipfCorpus(r, 4000, 2000)
	x := build(t, docs[:1500])
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Go(func() {
			for i := 1500 + w; i < len(docs); i += 2 {
				x.Add(docs[i].id, docs[i].text, "")
				if i%5 == 0 {
					x.Delete(docs[i-1000].id)
				}
			}
		})
	}
	for g := 0; g < 4; g++ {
		wg.Go(func() {
			for i := 0; i < 200; i++ {
				q := strings.Join(strings.Fields(docs[(g*200+i)%len(docs)].text)[:2], " ")
				hits := x.Search(q, 10, nil)
				for j := 1; j < len(hits); j++ {
					if hits[j].Score > hits[j-1].Score {
						t.Errorf("unordered hits %v", hits)
						return
					}
				}
				_ = x.Len()
				_ = x.MemoryBytes()
			}
		})
	}
	wg.Wait()
	if x.Len() == 0 {
		t.Fatal("empty index")
	}
}

func TestMemoryBytes(t *testing.T) {
	t.Parallel()
	x := New(Options{})
	empty := x.MemoryBytes()
	for _, d := range corpus {
		x.Add(d.id, d.text, d.lang)
	}
	if x.MemoryBytes() <= empty {
		t.Errorf("MemoryBytes did not grow: %d → %d", empty, x.MemoryBytes())
	}
}
