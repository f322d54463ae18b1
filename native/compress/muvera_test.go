package compress

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// tokenSets draws count sets of size vectors of dimension d: unit vectors
// around a few topic directions (so that Chamfer similarities vary).
func tokenSets(rng *rand.Rand, topics [][]float64, count, size, d int) []*mat32.Dense {
	out := make([]*mat32.Dense, count)
	for s := range out {
		m := mat32.Zeros(size, d)
		topic := topics[rng.IntN(len(topics))]
		for i := range size {
			var norm float64
			v := make([]float64, d)
			for j := range v {
				v[j] = topic[j] + 0.8*rng.NormFloat64()
				norm += v[j] * v[j]
			}
			for j := range v {
				m.Set(i, j, float32(v[j]/math.Sqrt(norm)))
			}
		}
		out[s] = m
	}
	return out
}

// fdeErrors returns the correlation between FDE similarities and Chamfer
// similarities over all query-document pairs, and their mean absolute
// difference, for encodings with reps repetitions.
func fdeErrors(t *testing.T, qs, ds []*mat32.Dense, d int, opts FDEOptions) (corr, mae float64) {
	f, err := NewFDE(d, opts)
	if err != nil {
		t.Fatal(err)
	}
	qe, err := f.EncodeAll(qs, false)
	if err != nil {
		t.Fatal(err)
	}
	de, err := f.EncodeAll(ds, true)
	if err != nil {
		t.Fatal(err)
	}
	var est, exact []float64
	for i, q := range qs {
		for j, doc := range ds {
			e, err := f.Similarity(qe.Row(i), de.Row(j))
			if err != nil {
				t.Fatal(err)
			}
			c, err := Chamfer(q, doc)
			if err != nil {
				t.Fatal(err)
			}
			est, exact = append(est, e), append(exact, c)
			mae += math.Abs(e - c)
		}
	}
	return stat.Correlation(est, exact, nil), mae / float64(len(est))
}

// TestFDEApproximatesChamfer checks that FDE similarities correlate with
// exact Chamfer similarity over query-document pairs, with an error
// 1 - correlation that shrinks as the repetitions grow (averaged over
// seeds), with and without the inner projection; and that the bias of the
// estimate (mean |FDE - Chamfer|: partition means stand in for the
// nearest document vector) shrinks as finer partitions (more SimHash bits)
// isolate the nearest vectors.
func TestFDEApproximatesChamfer(t *testing.T) {
	const d = 32
	rng := rand.New(rand.NewPCG(1, 2))
	topics := make([][]float64, 5)
	for i := range topics {
		topics[i] = make([]float64, d)
		for j := range topics[i] {
			topics[i][j] = rng.NormFloat64() / math.Sqrt(d) * 3
		}
	}
	qs := tokenSets(rng, topics, 12, 6, d)
	ds := tokenSets(rng, topics, 30, 20, d)
	for _, c := range []struct {
		proj    int
		minCorr float64
	}{{0, 0.95}, {16, 0.9}} {
		prev := math.Inf(1)
		for _, reps := range []int{1, 4, 32} {
			var corr float64
			for seed := range uint64(4) {
				r, _ := fdeErrors(t, qs, ds, d, FDEOptions{SimHashBits: 4, Reps: reps, ProjDim: c.proj, Seed: seed})
				corr += r / 4
			}
			t.Logf("ProjDim %d, reps %2d: correlation with Chamfer %.3f", c.proj, reps, corr)
			if 1-corr >= prev {
				t.Errorf("ProjDim %d: 1 - correlation %.4f with %d repetitions does not shrink from %.4f", c.proj, 1-corr, reps, prev)
			}
			prev = 1 - corr
			if reps == 32 && corr < c.minCorr {
				t.Errorf("ProjDim %d, 32 repetitions: correlation %.3f with Chamfer, want >= %v", c.proj, corr, c.minCorr)
			}
		}
	}
	prev := math.Inf(1)
	for _, bits := range []int{1, 3, 5, 7} {
		_, mae := fdeErrors(t, qs, ds, d, FDEOptions{SimHashBits: bits, Reps: 16, Seed: 1})
		t.Logf("SimHashBits %d: mean |FDE - Chamfer| %.3f", bits, mae)
		if mae >= prev {
			t.Errorf("SimHashBits %d: bias %.4f does not shrink from %.4f", bits, mae, prev)
		}
		prev = mae
	}
}

// TestFDEExactCases checks the encoding on cases with known values: a
// document whose vectors share one partition is encoded as their mean in
// that partition and, filled, as its first vector in every other (all at
// Hamming distance >= 1, the first wins); a single-vector query and
// document give the exact inner product (Chamfer of singletons) without
// projection.
func TestFDEExactCases(t *testing.T) {
	f, err := NewFDE(3, FDEOptions{SimHashBits: 2, Reps: 3, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	// Parallel vectors always share a partition (signs of h.x do not
	// change with a positive scale).
	doc, _ := mat32.New(2, 3, []float32{1, 2, 3, 2, 4, 6})
	e, err := f.EncodeDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	if f.OutDim() != 3*4*3 || len(e) != f.OutDim() {
		t.Fatalf("OutDim %d, encoding length %d, want 36", f.OutDim(), len(e))
	}
	for r := range 3 {
		p0 := int(f.simHash(r, doc.Row(0)))
		for p := range 4 {
			want := []float32{1, 2, 3} // filled from the first nearest vector
			if p == p0 {
				want = []float32{1.5, 3, 4.5} // the mean of the partition
			}
			b := e[(r*4+p)*3 : (r*4+p+1)*3]
			for j := range 3 {
				if math.Abs(float64(b[j]-want[j])) > 1e-6 {
					t.Fatalf("repetition %d partition %d = %v, want %v", r, p, b, want)
				}
			}
		}
	}
	q, _ := mat32.New(1, 3, []float32{0.5, -1, 2})
	one, _ := mat32.New(1, 3, []float32{-0.3, 0.2, 1})
	qe, _ := f.EncodeQuery(q)
	de, _ := f.EncodeDocument(one)
	got, _ := f.Similarity(qe, de)
	want, _ := Chamfer(q, one)
	if math.Abs(got-want) > 1e-6 {
		t.Errorf("singletons: FDE similarity %v, Chamfer %v", got, want)
	}
	nf, _ := NewFDE(3, FDEOptions{SimHashBits: 2, Reps: 3, Seed: 9, NoFill: true})
	e2, _ := nf.EncodeDocument(doc)
	zero := 0
	for _, v := range e2 {
		if v == 0 {
			zero++
		}
	}
	if zero != 3*3*3 {
		t.Errorf("NoFill: %d zero coordinates, want the 27 of the 9 empty partitions", zero)
	}
}

// TestFDESearchRecall checks multi-vector retrieval: the exact Chamfer
// ranking of ChamferSearch, and FDE search as a first stage whose top 15
// holds most of the Chamfer top 5 when the repetitions are many, more than
// with one repetition.
func TestFDESearchRecall(t *testing.T) {
	const d = 32
	rng := rand.New(rand.NewPCG(3, 4))
	topics := make([][]float64, 8)
	for i := range topics {
		topics[i] = make([]float64, d)
		for j := range topics[i] {
			topics[i][j] = rng.NormFloat64() / math.Sqrt(d) * 3
		}
	}
	qs := tokenSets(rng, topics, 20, 5, d)
	ds := tokenSets(rng, topics, 200, 12, d)
	truth, err := ChamferSearch(qs, ds, 5)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		c, _ := Chamfer(qs[i], ds[truth.Neighbors(i)[0]])
		if math.Abs(-truth.Distances(i)[0]-c) > 1e-9 || truth.Distances(i)[0] > truth.Distances(i)[4] {
			t.Fatalf("query %d: best Chamfer %v, distances %v", i, c, truth.Distances(i))
		}
	}
	// FDE retrieval is a first stage: the Chamfer top 5 among the FDE top 15.
	var recalls []float64
	for _, reps := range []int{1, 40} {
		f, _ := NewFDE(d, FDEOptions{SimHashBits: 4, Reps: reps, Seed: 2})
		got, _, err := f.FDESearch(qs, ds, 15)
		if err != nil {
			t.Fatal(err)
		}
		r, err := RecallWithin(truth, got, 5, 15)
		if err != nil {
			t.Fatal(err)
		}
		recalls = append(recalls, r)
	}
	t.Logf("Chamfer top 5 within the FDE top 15 of 200 documents: %.3f with 1 repetition, %.3f with 40", recalls[0], recalls[1])
	if recalls[1] < 0.8 || recalls[1] <= recalls[0] {
		t.Errorf("FDE candidate recall %.3f (1 rep) and %.3f (40 reps)", recalls[0], recalls[1])
	}
}
