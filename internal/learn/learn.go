// Package learn turns a customer's feedback into better answers at once,
// without a GPU: thumbs on answers move the chunks those answers cited up
// or down for similar questions (a reranking layer over search), and a
// corrected answer is reused for near-identical questions.
//
// Feedback is noisy: each user's votes on a chunk count as at most one
// vote whatever their number, votes are weighted by how similar the
// question that earned them is to the new one, and the sum is shrunk
// towards zero by a prior, so that one user cannot bury a chunk and a
// single thumb moves it only a little.
package learn

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Vote is one piece of feedback on an answer, attributed to a chunk the
// answer cited.
type Vote struct {
	ChunkID  string
	UserID   string
	Question string
	Rating   int // +1 or -1
	// Weight is the chunk's share of the answer's judgement, in (0, 1]
	// (0 means 1): the first source an answer cites carries it most.
	Weight float64
}

// Correction is a user's corrected answer to a question.
type Correction struct {
	Question  string
	Answer    string
	MessageID string // the answer it corrects
	UserID    string
}

// Options tune a Model.
type Options struct {
	// Prior is how many neutral votes every chunk starts with (default
	// 2): the adjustment is votes / (voters + Prior).
	Prior float64
	// Strength scales the adjustment into a score factor: a chunk's score
	// is multiplied by 1 + Strength*adjustment (default 0.5), so a
	// fully endorsed chunk gains at most half its score.
	Strength float64
	// MinSimilarity is how similar (Jaccard over content terms) a
	// question must be to a vote's question for the vote to count
	// (default 0.2), and ReuseSimilarity to reuse a correction (default
	// 0.8).
	MinSimilarity, ReuseSimilarity float64
}

// Model is one customer's learned state.
type Model struct {
	opts        Options
	votes       map[string][]vote // chunk id → votes
	corrections []correction
}

type vote struct {
	user   string
	terms  map[string]bool
	rating float64
}

type correction struct {
	Correction
	terms map[string]bool
}

// Build makes the model of a customer's votes and corrections.
func Build(votes []Vote, corrections []Correction, opts Options) *Model {
	if opts.Prior <= 0 {
		opts.Prior = 2
	}
	if opts.Strength <= 0 {
		opts.Strength = 0.5
	}
	if opts.MinSimilarity <= 0 {
		opts.MinSimilarity = 0.2
	}
	if opts.ReuseSimilarity <= 0 {
		opts.ReuseSimilarity = 0.8
	}
	m := &Model{opts: opts, votes: map[string][]vote{}}
	for _, v := range votes {
		if v.ChunkID == "" || v.Rating == 0 {
			continue
		}
		r := math.Copysign(1, float64(v.Rating))
		if v.Weight > 0 && v.Weight < 1 {
			r *= v.Weight
		}
		m.votes[v.ChunkID] = append(m.votes[v.ChunkID], vote{user: v.UserID, terms: Terms(v.Question), rating: r})
	}
	for _, c := range corrections {
		if strings.TrimSpace(c.Answer) == "" {
			continue
		}
		m.corrections = append(m.corrections, correction{Correction: c, terms: Terms(c.Question)})
	}
	return m
}

// Empty reports whether the model has nothing to change.
func (m *Model) Empty() bool { return m == nil || len(m.votes) == 0 && len(m.corrections) == 0 }

// Adjustment is the learned adjustment of a chunk for a question, in
// [-1, 1]: the similarity-weighted votes, each user's capped at one,
// shrunk by the prior.
func (m *Model) Adjustment(question, chunkID string) float64 {
	if m == nil {
		return 0
	}
	vs := m.votes[chunkID]
	if len(vs) == 0 {
		return 0
	}
	q := Terms(question)
	perUser := map[string]float64{}
	for _, v := range vs {
		sim := jaccard(q, v.terms)
		if sim < m.opts.MinSimilarity {
			continue
		}
		perUser[v.user] += v.rating * sim
	}
	var sum float64
	for _, s := range perUser {
		sum += max(-1, min(1, s)) // a user's votes count at most as one
	}
	return sum / (float64(len(perUser)) + m.opts.Prior)
}

// Scored is anything with a chunk id and a score that Rerank reorders.
type Scored interface {
	Chunk() string
	Value() float64
	SetValue(float64)
}

// Factor is the multiplier of a chunk's score for a question.
func (m *Model) Factor(question, chunkID string) float64 {
	return 1 + m.opts.Strength*m.Adjustment(question, chunkID)
}

// Rerank multiplies each hit's score by its factor and sorts by the new
// score (stable for ties); hits without votes keep their score.
func Rerank[T Scored](m *Model, question string, hits []T) {
	if m.Empty() {
		return
	}
	for _, h := range hits {
		if f := m.Factor(question, h.Chunk()); f != 1 {
			h.SetValue(h.Value() * f)
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Value() > hits[j].Value() })
}

// Reuse returns the correction of the most similar earlier question when
// it is near-identical (ReuseSimilarity), with that similarity.
func (m *Model) Reuse(question string) (Correction, float64, bool) {
	if m == nil || len(m.corrections) == 0 {
		return Correction{}, 0, false
	}
	q := Terms(question)
	best, bestSim := -1, 0.0
	for i, c := range m.corrections {
		if s := jaccard(q, c.terms); s > bestSim || s == bestSim && best >= 0 && i > best {
			best, bestSim = i, s
		}
	}
	if best < 0 || bestSim < m.opts.ReuseSimilarity {
		return Correction{}, bestSim, false
	}
	return m.corrections[best].Correction, bestSim, true
}

// Terms are the content words of a text: lowercased, umlauts folded,
// stop words and one-letter words dropped, a plural or case ending
// trimmed.
func Terms(s string) map[string]bool {
	out := map[string]bool{}
	s = norm.NFC.String(strings.ToLower(s))
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		w = fold(w)
		if len([]rune(w)) < 2 || stop[w] {
			continue
		}
		out[stem(w)] = true
	}
	return out
}

func fold(w string) string {
	return strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss").Replace(w)
}

// stem trims common German and English inflection endings from longer
// words; good enough to match "Steuern" with "Steuer" and "rates" with
// "rate".
func stem(w string) string {
	if len(w) <= 4 {
		return w
	}
	for _, suf := range []string{"en", "es", "e", "s", "n"} {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 4 {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for t := range a {
		if b[t] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

var stop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`der die das den dem des ein eine einer eines einem einen und oder aber ist sind war
		wird werden wie was wer wo wann warum welche welcher welches mit von zu zum zur fuer auf aus bei nach vor im in an
		am es sie er ich wir ihr mir mich uns man nicht kein keine auch noch nur so als ob dass hat haben hoch
		the a an and or but is are was were be been how what who where when why which with of to for on at by from in
		it its this that these those do does did not no can could should would will my our your their i we you`) {
		m[w] = true
	}
	return m
}()
