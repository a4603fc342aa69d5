// Package classify assigns a document to the expert domain that should
// answer questions about it: tax (CTAX), law and contracts (LAW), public
// procurement (TENDER), product classification (ETIM) or none of them
// (GENERAL). It is a weighted lexicon of German and English terms plus
// signals from entities (§ references to tax or other laws, ETIM codes,
// GTINs) and CPV codes; scores are normalised by length, so a short
// memo and a long statute are judged alike.
package classify

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zero711/brain/internal/entity"
)

// Domains, spelled as the lakehouse stores them.
const (
	Tax     = "CTAX"
	Law     = "LAW"
	Tender  = "TENDER"
	ETIM    = "ETIM"
	General = "GENERAL"
)

// domains are the expert domains in a fixed order (ties go to the first).
var domains = []string{Tax, Law, Tender, ETIM}

// Tuning constants, chosen on the shared corpus (see classify_test.go).
const (
	threshold   = 1.5      // best score below which a document is GENERAL
	smoothing   = 40       // tokens added to the length so short texts don't score extremes
	titleWeight = 3        // a title token counts this many times
	sliceSize   = 16 << 10 // bytes per sampled slice of a long text
	slices      = 4        // slices sampled from a long text
)

// Result is the domain of a document. Scores holds each domain's score
// (weighted evidence per 100 tokens); Confidence is in [0,1].
type Result struct {
	Domain     string
	Confidence float64
	Scores     map[string]float64
}

// Classify returns the expert domain of a document from its title and
// text. Long texts are sampled (four 16 kB slices spread over the text).
func Classify(title, text string) Result {
	raw := map[string]float64{}
	text = sample(text)
	n := addTokens(raw, text, 1)
	n += addTokens(raw, title, titleWeight) / titleWeight
	addEntities(raw, title+"\n"+text)

	scores := make(map[string]float64, len(domains))
	for _, d := range domains {
		scores[d] = round(100 * raw[d] / float64(n+smoothing))
	}
	return decide(scores)
}

// decide picks the best domain and calibrates the confidence from the
// margin to the runner-up and the distance to the threshold.
func decide(scores map[string]float64) Result {
	best, second := "", 0.0
	for _, d := range domains {
		switch {
		case best == "" || scores[d] > scores[best]:
			if best != "" {
				second = scores[best]
			}
			best = d
		case scores[d] > second:
			second = scores[d]
		}
	}
	b := scores[best]
	if b < threshold {
		return Result{Domain: General, Confidence: round(1 - b/(2*threshold)), Scores: scores}
	}
	margin := (b - second) / b
	strength := 1 - math.Exp(-b/threshold)
	conf := 0.5*margin + 0.5*margin*strength
	return Result{Domain: best, Confidence: round(math.Max(0, math.Min(1, conf))), Scores: scores}
}

// addTokens adds the lexicon weights of the tokens of text, times mul,
// to raw and returns the number of tokens, times mul.
func addTokens(raw map[string]float64, text string, mul float64) int {
	n := 0
	prev := ""
	forTokens(text, func(tok string) {
		n++
		var best [4]float64
		if (prev == "los" || prev == "lot") && len(tok) <= 3 && isNumber(tok) {
			best[2] = 1.5 // Los 1, Lot 2: not "Los Angeles", "a lot of"
		}
		prev = tok
		for _, t := range exactTerms[tok] {
			i := domainIndex(t.domain)
			best[i] = max(best[i], t.weight)
		}
		for at := 0; at+2 <= len(tok); at++ {
			for _, t := range partTerms[tok[at:at+2]] {
				if (t.how == infix || at == 0) && strings.HasPrefix(tok[at:], t.s) {
					i := domainIndex(t.domain)
					best[i] = max(best[i], t.weight)
				}
			}
		}
		if strings.Contains(tok, "steuerung") {
			best[0] = 0 // Steuerung is control, not tax
		}
		if isEFormsID(tok) {
			best[2] = max(best[2], 1.5)
		}
		if isCPV(tok) {
			best[2] = max(best[2], 1.5)
		}
		if isETIMCode(tok) {
			best[3] = max(best[3], 3)
		}
		for i, w := range best {
			raw[domains[i]] += w * mul
		}
	})
	return n * int(mul)
}

func domainIndex(d string) int {
	for i, x := range domains {
		if x == d {
			return i
		}
	}
	return 0
}

// forTokens calls fn with each lower-cased token of text: letters and
// digits, with inner hyphens (lot-0001, ust-idnr).
func forTokens(text string, fn func(string)) {
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			fn(strings.TrimRight(b.String(), "-"))
			b.Reset()
		}
	}
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case r == '-' && b.Len() > 0:
			b.WriteByte('-')
		default:
			flush()
		}
	}
	flush()
}

// isCPV reports whether tok looks like a Common Procurement Vocabulary
// code: eight digits in a CPV division, with its check digit
// (45233120-6) or ending in "00" as division and group codes do.
func isCPV(tok string) bool {
	if len(tok) != 8 && !(len(tok) == 10 && tok[8] == '-') {
		return false
	}
	for i := 0; i < 8; i++ {
		if tok[i] < '0' || tok[i] > '9' {
			return false
		}
	}
	if len(tok) == 10 && (tok[9] < '0' || tok[9] > '9') {
		return false
	}
	if !cpvDivisions[tok[:2]] {
		return false
	}
	return len(tok) == 10 || tok[6:8] == "00"
}

// cpvDivisions are the two-digit divisions of CPV 2008.
var cpvDivisions = map[string]bool{
	"03": true, "09": true, "14": true, "15": true, "16": true, "18": true, "19": true, "22": true, "24": true,
	"30": true, "31": true, "32": true, "33": true, "34": true, "35": true, "37": true, "38": true, "39": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "48": true, "50": true, "51": true, "55": true,
	"60": true, "63": true, "64": true, "65": true, "66": true, "70": true, "71": true, "72": true, "73": true,
	"75": true, "76": true, "77": true, "79": true, "80": true, "85": true, "90": true, "92": true, "98": true,
}

// isEFormsID reports whether tok is an eForms identifier: ORG-0001,
// LOT-0002, TEN-0001 …
func isEFormsID(tok string) bool {
	if len(tok) != 8 || tok[3] != '-' || !isNumber(tok[4:]) {
		return false
	}
	switch tok[:3] {
	case "org", "tpo", "lot", "glo", "res", "ten", "con", "tpa", "ubo", "par":
		return true
	}
	return false
}

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// isETIMCode reports whether tok is an ETIM class, feature, value, group
// or unit code (ec000001, ef000001, ev…, eg…, eu…).
func isETIMCode(tok string) bool {
	if len(tok) != 8 || tok[0] != 'e' || strings.IndexByte("cfvgu", tok[1]) < 0 {
		return false
	}
	for i := 2; i < 8; i++ {
		if tok[i] < '0' || tok[i] > '9' {
			return false
		}
	}
	return true
}

// addEntities adds the evidence of entities: § references by the law
// they cite, GTINs and product numbers.
func addEntities(raw map[string]float64, text string) {
	for _, e := range entity.Extract(text) {
		switch e.Type {
		case entity.TypeLawRef:
			law := e.Value[strings.LastIndexByte(e.Value, ' ')+1:]
			switch {
			case taxLaws[law]:
				raw[Tax] += 3
			case procurementLaws[law]:
				raw[Tender] += 3
			case law != "" && law[0] >= 'A' && law[0] <= 'Z':
				raw[Law] += 2
			default:
				raw[Law] += 0.2 // a § without its law: legal prose of any kind
			}
		case entity.TypeProduct:
			raw[ETIM] += 1
		case entity.TypeVATID, entity.TypeTaxNumber:
			raw[Tax] += 1
		}
	}
}

// sample returns text, or for a long text slices spread over it.
func sample(text string) string {
	if len(text) <= slices*sliceSize {
		return text
	}
	var b strings.Builder
	step := (len(text) - sliceSize) / (slices - 1)
	for i := 0; i < slices; i++ {
		start := runeStart(text, i*step)
		end := runeStart(text, min(len(text), start+sliceSize))
		b.WriteString(text[start:end])
		b.WriteByte('\n')
	}
	return b.String()
}

func runeStart(s string, i int) int {
	for i < len(s) && i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

func round(v float64) float64 { return math.Round(v*1000) / 1000 }

// Override maps the expert servers selected at upload ("ctax", "law",
// "tender", "etim", any case, optionally with a prefix like "mcp-ctax")
// to a domain; ok is false when none of them names one.
func Override(selected []string) (string, bool) {
	for _, s := range selected {
		for _, part := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !unicode.IsLetter(r)
		}) {
			if d, ok := overrides[part]; ok {
				return d, true
			}
		}
	}
	return "", false
}

// overrides maps selected_mcps values to domains.
var overrides = map[string]string{
	"ctax": Tax, "tax": Tax, "steuer": Tax, "steuern": Tax,
	"law": Law, "legal": Law, "recht": Law,
	"tender": Tender, "tenders": Tender, "procurement": Tender, "vergabe": Tender,
	"etim": ETIM, "product": ETIM, "products": ETIM,
	"general": General,
}
