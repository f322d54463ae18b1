package compress

import (
	"math"
	"testing"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/knn"
)

// TestPQAgainstFAISS trains PQ with the same parameters as FAISS IndexPQ on
// the same data, in the same run: recall@10 against exact search within 3
// points of FAISS's (or better) and a reconstruction error within 5%.
func TestPQAgainstFAISS(t *testing.T) {
	x, q := clustered(t, 8000, 200, 64, 21)
	truth, err := ExactNeighbors(x, q, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ m, bits int }{{8, 8}, {16, 6}} {
		var ref struct {
			Index [][]int `json:"index"`
			MSE   float64 `json:"mse"`
		}
		pyref.JSON(t, "testdata/pq_ref.py", map[string]any{"x": npy(t, x), "q": npy(t, q), "m": c.m, "bits": c.bits, "k": 10}, &ref)
		fr := &knn.Result{N: 200, K: 10}
		for _, row := range ref.Index {
			fr.Index = append(fr.Index, row...)
		}
		theirs, err := RecallAtK(truth, fr, 10)
		if err != nil {
			t.Fatal(err)
		}
		ix, err := NewPQIndex(x, PQOptions{M: c.m, Bits: c.bits, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		res, err := ix.Search(q, 10)
		if err != nil {
			t.Fatal(err)
		}
		ours, _ := RecallAtK(truth, res, 10)
		mse, err := ix.Quantizer().ReconstructionError(x)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("PQ %dx%d: recall@10 ours %.3f, FAISS %.3f; reconstruction MSE ours %.4f, FAISS %.4f", c.m, c.bits, ours, theirs, mse, ref.MSE)
		if ours < theirs-0.03 {
			t.Errorf("PQ %dx%d: recall@10 %.3f, FAISS %.3f", c.m, c.bits, ours, theirs)
		}
		if mse > 1.05*ref.MSE {
			t.Errorf("PQ %dx%d: reconstruction MSE %.4f, FAISS %.4f", c.m, c.bits, mse, ref.MSE)
		}
	}
}

// TestPQProperties checks that the reconstruction error decreases as the
// centroids grow (1 to 8 bits).
func TestPQProperties(t *testing.T) {
	x, _ := clustered(t, 3000, 1, 32, 4)
	prev := math.Inf(1)
	for _, b := range []int{1, 2, 4, 6, 8} {
		pq, err := TrainPQ(x, PQOptions{M: 4, Bits: b, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		mse, err := pq.ReconstructionError(x)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("PQ 4x%d: MSE %.4f", b, mse)
		if mse >= prev {
			t.Errorf("%d bits: MSE %v does not decrease from %v", b, mse, prev)
		}
		prev = mse
	}
}

// TestPQSearchOnDecoded checks, for sub-vector counts that exercise every
// path of the scan (groups of four plus 0 to 3 more), that the returned
// distances are the exact distances to the decoded rows (asymmetric
// distance computation) and that the search ranks by them.
func TestPQSearchOnDecoded(t *testing.T) {
	x, q := clustered(t, 2000, 30, 30, 4)
	for _, m := range []int{10, 6, 5, 3, 1} {
		ix, err := NewPQIndex(x, PQOptions{M: m, Bits: 5, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		dec, err := ix.Quantizer().Decode(ix.Codes())
		if err != nil {
			t.Fatal(err)
		}
		res, err := ix.Search(q, 5)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := ExactNeighbors(dec, q, 5)
		for i := range 30 {
			for r := range 5 {
				j := res.Neighbors(i)[r]
				if d := euclid64(q.Row(i), dec.Row(j)); math.Abs(d-res.Distances(i)[r]) > 1e-4*d {
					t.Fatalf("M=%d query %d rank %d: distance %v, ||q - decoded row %d|| = %v", m, i, r, res.Distances(i)[r], j, d)
				}
				if math.Abs(res.Distances(i)[r]-want.Distances(i)[r]) > 1e-4*want.Distances(i)[r] {
					t.Fatalf("M=%d query %d rank %d: distance %v, exact on decoded rows %v", m, i, r, res.Distances(i)[r], want.Distances(i)[r])
				}
			}
		}
	}
}

// TestLowRankPQ checks that projecting to the leading axes before PQ keeps
// recall with the same code bytes when the data has low-rank structure,
// and that the memory reported is the code bytes.
func TestLowRankPQ(t *testing.T) {
	x, q := lowRank(t, 4000, 100, 64, 16, 0.3, 8)
	truth, _ := ExactNeighbors(x, q, 10)
	lr, err := NewLowRankPQIndex(x, 16, PQOptions{M: 8, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	pq, err := NewPQIndex(x, PQOptions{M: 8, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	r1, err := lr.Search(q, 10)
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := pq.Search(q, 10)
	a, _ := RecallAtK(truth, r1, 10)
	b, _ := RecallAtK(truth, r2, 10)
	t.Logf("recall@10 with 8 bytes a vector: %s %.3f, %s %.3f", lr.Name(), a, pq.Name(), b)
	if lr.BytesPerVector() != 8 || pq.BytesPerVector() != 8 || a <= b {
		t.Errorf("%s: %v bytes, recall %.3f; %s: %v bytes, recall %.3f", lr.Name(), lr.BytesPerVector(), a, pq.Name(), pq.BytesPerVector(), b)
	}
}
