package vector

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// Synthetic embeddings. Uniform random vectors are unrealistically hard
// for any ANN index (every point is about equally far from every other),
// and isotropic Gaussian clusters are the same inside each cluster; real
// embeddings have low intrinsic dimension. Both generators here have it.

// dataset is n vectors in one slab plus queries drawn from the same
// distribution but not in the data.
type dataset struct {
	dim     int
	vecs    [][]float32
	queries [][]float32
}

// gen fills n vectors of dim components in parallel; f draws one vector
// into v using r, which is private to the goroutine.
func gen(n, dim int, seed uint64, f func(r *rand.Rand, i int, v []float32)) [][]float32 {
	slab := make([]float32, n*dim)
	out := make([][]float32, n)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(seed, uint64(w)+1))
			for i := w; i < n; i += workers {
				v := slab[i*dim : (i+1)*dim : (i+1)*dim]
				f(r, i, v)
				normalize(v)
				out[i] = v
			}
		})
	}
	wg.Wait()
	return out
}

func normalize(v []float32) {
	var s float64
	for _, f := range v {
		s += float64(f) * float64(f)
	}
	if s == 0 {
		v[0] = 1
		return
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= inv
	}
}

func randomUnit(r *rand.Rand, dim int) []float32 {
	v := make([]float32, dim)
	for i := range v {
		v[i] = float32(r.NormFloat64())
	}
	normalize(v)
	return v
}

// addNoise adds isotropic Gaussian noise of expected norm eta.
func addNoise(r *rand.Rand, v []float32, eta float64) {
	sd := eta / math.Sqrt(float64(len(v)))
	for i := range v {
		v[i] += float32(r.NormFloat64() * sd)
	}
}

func axpy(a float32, x, y []float32) {
	y = y[:len(x)]
	for i := range x {
		y[i] += a * x[i]
	}
}

// clustered is a mixture of Gaussians with low-rank covariance (a mixture
// of probabilistic PCA): clusters around random centroids, each spread
// over its own 16-dimensional subspace, plus a little isotropic noise.
func clustered(n, nq, dim int, seed uint64) dataset {
	const clusters, rank = 256, 16
	r := rand.New(rand.NewPCG(seed, 0))
	centroids := make([][]float32, clusters)
	bases := make([][][]float32, clusters)
	for c := range centroids {
		centroids[c] = randomUnit(r, dim)
		bases[c] = make([][]float32, rank)
		for j := range bases[c] {
			bases[c][j] = randomUnit(r, dim)
		}
	}
	draw := func(r *rand.Rand, _ int, v []float32) {
		c := r.IntN(clusters)
		copy(v, centroids[c])
		for _, b := range bases[c] {
			axpy(float32(r.NormFloat64()*0.25), b, v)
		}
		addNoise(r, v, 0.2)
	}
	return dataset{dim: dim, vecs: gen(n, dim, seed+1, draw), queries: gen(nq, dim, seed+2, draw)}
}

// shape parameterises textLike.
type shape struct {
	global       int     // global directions with a power-law spectrum
	decay, scale float64 // sigma_j = scale / j^decay
	docNoise     float64 // isotropic noise norm of a document
	chunk, query [2]float64
	perDoc       int // chunks per document, on average
}

var (
	// textShape gives unrelated texts cosines about 0.1, a query's best
	// chunk about 0.65 and its tenth best about 0.42, close to what small
	// sentence-embedding models show on passage collections.
	textShape = shape{128, 0.3, 0.2, 0.35, [2]float64{0.4, 0.8}, [2]float64{0.8, 1.2}, 8}
	// hardShape lowers that contrast (best 0.58, tenth 0.30 against 0.09
	// at random): a pessimistic stand-in for noisy chunks and models.
	hardShape = shape{256, 0.25, 0.15, 0.5, [2]float64{0.5, 0.9}, [2]float64{0.9, 1.3}, 4}
)

// textLike imitates chunk embeddings of a document collection: a shared
// mean direction (embedding models are anisotropic), a power-law spectrum
// of global directions, Zipf-distributed topics with subtopics, documents
// within subtopics and chunks within documents. Queries are noisier than
// chunks, like short questions about a document.
func textLike(n, nq, dim int, seed uint64, sh shape) dataset {
	const topics, subs = 64, 16
	r := rand.New(rand.NewPCG(seed, 0))
	mean := randomUnit(r, dim)
	topic := make([][]float32, topics)
	sub := make([][]float32, topics*subs)
	for t := range topic {
		topic[t] = randomUnit(r, dim)
		for s := range subs {
			sub[t*subs+s] = randomUnit(r, dim)
		}
	}
	basis := make([][]float32, sh.global)
	sigma := make([]float32, sh.global)
	for j := range basis {
		basis[j] = randomUnit(r, dim)
		sigma[j] = float32(sh.scale / math.Pow(float64(j+1), sh.decay))
	}
	zipf := rand.NewZipf(r, 1.1, 4, topics-1)
	docs := max(n/sh.perDoc, 1)
	docVecs := make([][]float32, docs)
	for d := range docVecs {
		v := make([]float32, dim)
		t := int(zipf.Uint64())
		axpy(0.5, mean, v)
		axpy(0.45, topic[t], v)
		axpy(0.4, sub[t*subs+r.IntN(subs)], v)
		for j, b := range basis {
			axpy(float32(r.NormFloat64())*sigma[j], b, v)
		}
		addNoise(r, v, sh.docNoise)
		normalize(v)
		docVecs[d] = v
	}
	chunk := func(eta [2]float64) func(r *rand.Rand, i int, v []float32) {
		return func(r *rand.Rand, _ int, v []float32) {
			copy(v, docVecs[r.IntN(docs)])
			addNoise(r, v, eta[0]+(eta[1]-eta[0])*r.Float64())
		}
	}
	return dataset{dim: dim, vecs: gen(n, dim, seed+1, chunk(sh.chunk)), queries: gen(nq, dim, seed+2, chunk(sh.query))}
}

// recallAt returns the share of want's ids that got contains.
func recallAt(got, want []Hit) float64 {
	if len(want) == 0 {
		return 1
	}
	in := make(map[uint64]bool, len(got))
	for _, h := range got {
		in[h.ID] = true
	}
	var n int
	for _, h := range want {
		if in[h.ID] {
			n++
		}
	}
	return float64(n) / float64(len(want))
}
