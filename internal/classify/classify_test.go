package classify

import (
	"archive/zip"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/zero711/brain/internal/corpustest"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		title, text string
		want        string
	}{
		{"Umsatzsteuervoranmeldung März", "Die Umsatzsteuer-Vorauszahlung ist bis zum 10. April an das Finanzamt zu entrichten. Die abziehbare Vorsteuer nach § 15 UStG mindert die Zahllast.", Tax},
		{"", "Der Bescheid des Finanzamts über die Körperschaftsteuer 2022 berücksichtigt die Betriebsprüfung und die verdeckte Gewinnausschüttung nach § 8 Abs. 3 KStG.", Tax},
		{"VAT return", "The VAT return for the quarter is due; input tax on supplies is deductible and the tax authority may audit the taxable turnover.", Tax},
		{"Mietvertrag", "Der Vermieter haftet nicht für Schäden. Die Kündigung des Vertrages bedarf der Schriftform (§ 568 BGB). Gerichtsstand ist München.", Law},
		{"Master services agreement", "This Agreement is governed by the laws of England. Neither party shall be liable for indirect damages; liability is capped. Any dispute shall be settled by arbitration.", Law},
		{"Datenschutzerklärung", "Wir verarbeiten personenbezogene Daten nach Art. 6 Abs. 1 DSGVO. Sie haben das Recht auf Auskunft und Löschung.", Law},
		{"Bekanntmachung", "Öffentliche Ausschreibung nach UVgO: Die Vergabestelle vergibt Bauleistungen in 3 Losen. Angebotsfrist: 15.03.2024. Zuschlagskriterien: Preis 60 %, Qualität 40 %. CPV 45000000-7.", Tender},
		{"Contract notice", "The contracting authority invites tenders for the supply of laptops (CPV 30213100-6), divided into two lots. Tender submission deadline 1 March 2024. Award criteria: price.", Tender},
		{"Produktdatenblatt", "ETIM-Klasse EC000001 Sammelschienenklemme. Merkmale: EF000001 Nennstrom 16 A, EF000002 Nennspannung 400 V, Schutzart IP20. EAN 4006381333931", ETIM},
		{"", "Product data: ETIM class EC002714 LED lamp; features EF000007 colour white, EF009346 lumen 800, rated voltage 230 V.", ETIM},
		{"Rezept", "Die Eier mit dem Zucker schaumig schlagen, dann Mehl und Butter unterheben und 30 Minuten backen.", General},
		{"Super Bowl 50", "The game was played on February 7, 2016, at Levi's Stadium in the San Francisco Bay Area at Santa Clara, California.", General},
		{"", "", General},
	}
	for _, tt := range tests {
		r := Classify(tt.title, tt.text)
		if r.Domain != tt.want {
			t.Errorf("Classify(%q, %.40q…) = %s %v, want %s", tt.title, tt.text, r.Domain, r.Scores, tt.want)
		}
		if r.Confidence < 0 || r.Confidence > 1 {
			t.Errorf("Classify(%q) confidence %v out of [0,1]", tt.title, r.Confidence)
		}
	}
}

func TestOverride(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   []string
		want string
		ok   bool
	}{
		{[]string{"ctax"}, Tax, true},
		{[]string{"CTAX"}, Tax, true},
		{[]string{"law"}, Law, true},
		{[]string{"Tender"}, Tender, true},
		{[]string{"etim"}, ETIM, true},
		{[]string{"mcp-etim"}, ETIM, true},
		{[]string{"unknown", "law"}, Law, true},
		{[]string{"unknown"}, "", false},
		{nil, "", false},
	}
	for _, tt := range tests {
		got, ok := Override(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Override(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCPVAndETIMCodes(t *testing.T) {
	t.Parallel()
	for tok, want := range map[string]bool{"45000000": true, "45233120-6": true, "30213100-6": true, "12345678": false, "20240101": false, "45233120": false} {
		if got := isCPV(tok); got != want {
			t.Errorf("isCPV(%q) = %v", tok, got)
		}
	}
	for tok, want := range map[string]bool{"ec000001": true, "ef123456": true, "ex000001": false, "ec00001": false} {
		if got := isETIMCode(tok); got != want {
			t.Errorf("isETIMCode(%q) = %v", tok, got)
		}
	}
}

// sample is one labelled document of the corpus; any of want is right.
type labelled struct {
	name, title, text string
	want              []string
}

// TestClassifyCorpus measures accuracy per domain on the shared corpus:
// German laws (tax laws → CTAX, the FGO → CTAX or LAW, procurement laws
// → TENDER or LAW, the others → LAW) as whole documents and as § sections, eForms tender
// notices → TENDER, product data sheets rendered from the ETIM 6.0
// model → ETIM, and SQuAD paragraphs → GENERAL.
func TestClassifyCorpus(t *testing.T) {
	t.Parallel()
	laws := corpustest.Dir(t, "laws")
	tenders := corpustest.Dir(t, "tenders/eforms-sdk-examples")
	etim := corpustest.Dir(t, "classification")
	squad := corpustest.Dir(t, "qa/squad-v1.1")

	lawDocs, lawSections := lawSamples(t, laws)
	sets := []struct {
		name  string
		docs  []labelled
		floor float64
	}{
		{"laws (documents)", lawDocs, 0.95},
		{"laws (§ sections)", lawSections, 0.80},
		{"tender notices", tenderSamples(t, tenders), 0.95},
		{"ETIM data sheets", etimSamples(t, filepath.Join(etim, "etim-6.0-ixf.zip")), 0.95},
		{"SQuAD paragraphs", squadSamples(t, filepath.Join(squad, "dev-v1.1.json")), 0.95},
	}
	for _, set := range sets {
		perDomain := map[string][2]int{}
		confusion := map[string]int{}
		var misses []string
		for _, d := range set.docs {
			r := Classify(d.title, d.text)
			ok := false
			for _, w := range d.want {
				ok = ok || r.Domain == w
			}
			c := perDomain[d.want[0]]
			c[1]++
			if ok {
				c[0]++
			} else {
				confusion[d.want[0]+"→"+r.Domain]++
				if len(misses) < 4 {
					misses = append(misses, fmt.Sprintf("%s→%s %v", d.name, r.Domain, r.Scores))
				}
			}
			perDomain[d.want[0]] = c
		}
		total, right := 0, 0
		var parts []string
		for _, dom := range sortedKeys(perDomain) {
			c := perDomain[dom]
			right += c[0]
			total += c[1]
			parts = append(parts, fmt.Sprintf("%s %d/%d", dom, c[0], c[1]))
		}
		acc := float64(right) / float64(max(total, 1))
		t.Logf("%s: %.3f (%s) errors %v", set.name, acc, strings.Join(parts, ", "), confusion)
		if acc < set.floor {
			t.Errorf("%s accuracy %.3f below %.2f; e.g. %q", set.name, acc, set.floor, misses)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// lawLabels gives the expected domains of each law by file name prefix.
func lawLabels(file string) []string {
	name := strings.TrimSuffix(filepath.Base(file), ".md")
	name = strings.Split(name, "_")[0]
	switch name {
	case "kstg", "estg", "gewstg", "ustg", "ao", "astg", "erbstg", "estdv", "gewstdv", "invstg", "kstdv",
		"solzg", "umwstg", "ustdv":
		return []string{Tax}
	case "fgo": // the tax courts' procedure: tax and court law alike
		return []string{Tax, Law}
	case "vgv", "sektvo", "konzvgv", "vsvgv", "gwb":
		return []string{Tender, Law}
	}
	return []string{Law}
}

// lawSamples returns each law as a document (with its title) and up to
// 20 of its sections of 400 bytes or more, cut to 8 kB, without title.
func lawSamples(t *testing.T, dir string) (docs, sections []labelled) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	if len(files) == 0 {
		t.Fatalf("no laws in %s", dir)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		title := ""
		if i := strings.Index(text, "Title: "); i >= 0 {
			title = strings.TrimSpace(strings.SplitN(text[i+len("Title: "):], "\n", 2)[0])
		}
		want := lawLabels(f)
		docs = append(docs, labelled{filepath.Base(f), title, text, want})
		var secs []string
		for _, s := range strings.Split(text, "\n### ")[1:] {
			if len(s) >= 400 {
				secs = append(secs, s)
			}
		}
		step := max(1, len(secs)/20)
		for i := 0; i < len(secs); i += step {
			name := filepath.Base(f) + " " + strings.SplitN(secs[i], "\n", 2)[0]
			sec := secs[i][:min(len(secs[i]), 8<<10)] // a chunk, not a whole part of the law
			sections = append(sections, labelled{name, "", sec, want})
		}
	}
	return docs, sections
}

// tenderSamples returns the character data of each eForms notice, as an
// XML extractor would give it.
func tenderSamples(t *testing.T, dir string) []labelled {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	var out []labelled
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		text := xmlText(t, fh)
		fh.Close()
		out = append(out, labelled{filepath.Base(f), "", text, []string{Tender}})
	}
	return out
}

func xmlText(t *testing.T, r io.Reader) string {
	t.Helper()
	var b strings.Builder
	dec := xml.NewDecoder(r)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return b.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		if cd, ok := tok.(xml.CharData); ok {
			if s := strings.TrimSpace(string(cd)); s != "" {
				b.WriteString(s)
				b.WriteByte('\n')
			}
		}
	}
}

// etimSamples renders product data sheets from the first classes of the
// ETIM model: class code and name, then feature codes, names and a value,
// alternating German and English.
func etimSamples(t *testing.T, path string) []labelled {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) == 0 {
		t.Fatal("empty ETIM zip")
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	m := parseETIM(t, rc, 60)
	var out []labelled
	for n, c := range m.classes {
		lang := "de-DE"
		if n%2 == 1 {
			lang = "en-GB"
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s\n", c.code, c.names[lang])
		for i, f := range c.features {
			if i >= 12 {
				break
			}
			fmt.Fprintf(&b, "%s | %s | %d\n", f, m.features[f][lang], i+1)
		}
		out = append(out, labelled{c.code, c.names[lang], b.String(), []string{ETIM}})
	}
	return out
}

type etimClass struct {
	code     string
	names    map[string]string
	features []string
}

type etimModel struct {
	features map[string]map[string]string // code → language → description
	classes  []etimClass
}

// parseETIM streams the IXF export: all features, then the first n
// classes.
func parseETIM(t *testing.T, r io.Reader, n int) etimModel {
	t.Helper()
	m := etimModel{features: map[string]map[string]string{}}
	dec := xml.NewDecoder(r)
	var path []string
	var code, lang string
	var cur *etimClass
	for len(m.classes) < n {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			path = append(path, tk.Name.Local)
			if tk.Name.Local == "Translation" {
				for _, a := range tk.Attr {
					if a.Name.Local == "language" {
						lang = a.Value
					}
				}
			}
			if strings.Join(path, "/") == "IXF/Classes/Class" {
				cur = &etimClass{names: map[string]string{}}
			}
		case xml.EndElement:
			if strings.Join(path, "/") == "IXF/Classes/Class" && cur != nil {
				m.classes = append(m.classes, *cur)
				cur = nil
			}
			path = path[:len(path)-1]
		case xml.CharData:
			s := strings.TrimSpace(string(tk))
			switch strings.Join(path, "/") {
			case "IXF/Features/Feature/Code":
				code = s
			case "IXF/Features/Feature/Translations/Translation/Description":
				if m.features[code] == nil {
					m.features[code] = map[string]string{}
				}
				m.features[code][lang] = s
			case "IXF/Classes/Class/Code":
				cur.code = s
			case "IXF/Classes/Class/Translations/Translation/Description":
				cur.names[lang] = s
			case "IXF/Classes/Class/Features/Feature/FeatureCode":
				cur.features = append(cur.features, s)
			}
		}
	}
	return m
}

// squadSamples returns the SQuAD dev paragraphs with their article titles;
// the articles on EU law and civil disobedience may also be LAW, the one
// on construction (contracts, bids) LAW or TENDER.
func squadSamples(t *testing.T, path string) []labelled {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ds struct {
		Data []struct {
			Title      string `json:"title"`
			Paragraphs []struct {
				Context string `json:"context"`
			} `json:"paragraphs"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &ds); err != nil {
		t.Fatal(err)
	}
	var out []labelled
	for _, a := range ds.Data {
		want := []string{General}
		switch a.Title {
		case "European_Union_law", "Civil_disobedience":
			want = append(want, Law) // articles about law
		case "Construction":
			want = append(want, Law, Tender) // construction contracts and bidding
		}
		title := strings.ReplaceAll(a.Title, "_", " ")
		for i, p := range a.Paragraphs {
			out = append(out, labelled{fmt.Sprintf("%s#%d", a.Title, i), title, p.Context, want})
		}
	}
	return out
}
