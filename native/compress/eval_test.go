package compress

import (
	"math"
	"testing"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// TestRecallAtK checks recall on hand-made results: partial overlaps, order
// not mattering, repeated indices counted once, and k below the lists' K.
func TestRecallAtK(t *testing.T) {
	truth := &knn.Result{N: 3, K: 3, Index: []int{1, 2, 3, 4, 5, 6, 7, 8, 9}}
	got := &knn.Result{N: 3, K: 3, Index: []int{3, 2, 1, 6, 0, 0, 7, 7, 7}}
	per, err := RecallPerQuery(truth, got, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1, 1.0 / 3, 1.0 / 3}
	for i := range want {
		if math.Abs(per[i]-want[i]) > 1e-15 {
			t.Errorf("query %d: recall %v, want %v", i, per[i], want[i])
		}
	}
	r, _ := RecallAtK(truth, got, 3)
	if math.Abs(r-5.0/9) > 1e-15 {
		t.Errorf("RecallAtK %v, want 5/9", r)
	}
	r2, _ := RecallAtK(truth, got, 2) // {1,2} vs {3,2}; {4,5} vs {6,0}; {7,8} vs {7,7}
	if math.Abs(r2-(0.5+0+0.5)/3) > 1e-15 {
		t.Errorf("recall@2 %v, want 1/3", r2)
	}
	for _, c := range []struct {
		got  *knn.Result
		k    int
		want string
	}{
		{got, 4, "k = 4 must be in [1, 3]"},
		{&knn.Result{N: 2, K: 3, Index: make([]int, 6)}, 1, "truth has 3 queries but got has 2"},
		{nil, 1, "must not be nil"},
	} {
		if _, err := RecallAtK(truth, c.got, c.k); err == nil || !contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
}

// TestEvaluateTable runs Evaluate with an exact method (recall 1), a
// Matryoshka truncation and a PQ index, checking the table's columns.
func TestEvaluateTable(t *testing.T) {
	x, q := clustered(t, 2000, 50, 32, 2)
	table, err := Evaluate(x, q, 10, []Method{
		{Name: "exact again", Build: func(d *mat32.Dense) (Searcher, error) { return NewExactIndex(d) }},
		{Build: func(d *mat32.Dense) (Searcher, error) {
			m, err := NewMatryoshka(32, 16)
			if err != nil {
				return nil, err
			}
			return NewTransformedIndex(m, d)
		}},
		{Name: "PQ", Build: func(d *mat32.Dense) (Searcher, error) { return NewPQIndex(d, PQOptions{M: 8, Bits: 4}) }},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(table) != 4 || table[0].Method != "exact float32" || table[1].Method != "exact again" || table[2].Method != "Matryoshka 32->16" {
		t.Fatalf("rows %+v", table)
	}
	for _, r := range table[:2] {
		if r.Recall != 1 || r.BytesPerVector != 128 || r.Compression != 1 || r.QPS <= 0 {
			t.Errorf("%+v: want recall 1, 128 bytes, compression 1, QPS > 0", r)
		}
	}
	if table[3].BytesPerVector != 8 || table[3].Compression != 16 || table[3].BuildSeconds <= 0 || table[3].Recall >= 1 {
		t.Errorf("PQ row %+v", table[3])
	}
	pts, qps := Points(table, false), Points(table, true)
	if pts[2][0] != 64 || pts[2][1] != table[2].Recall || qps[3][0] != table[3].QPS || len(table[3].PerQuery()) != 50 {
		t.Errorf("points %v, %v", pts, qps)
	}
}

// TestPointwiseLID compares the pointwise MLE with the Levina-Bickel formula
// computed by numpy in the same run on the same neighbour distances, and
// checks RecallByLID's bins on data mixing a 2-dimensional and a
// 12-dimensional region: the low bins hold the plane's points.
func TestPointwiseLID(t *testing.T) {
	const n, k = 600, 10
	x := mat32.Zeros(n, 12)
	ball := gaussian32(4, n/2, 12)
	plane := gaussian32(5, n/2, 2)
	for i := range n / 2 {
		copy(x.Row(i), ball.Row(i))
		x.Set(n/2+i, 0, 20+plane.At(i, 0)) // a plane far from the ball
		x.Set(n/2+i, 1, plane.At(i, 1))
	}
	nn, err := knn.SearchSelf32(x, knn.Options{K: k, ExcludeSelf: true})
	if err != nil {
		t.Fatal(err)
	}
	lid, err := PointwiseLID(nn, k)
	if err != nil {
		t.Fatal(err)
	}
	var want []float64
	pyref.JSON(t, `import json,sys,numpy as np
D=np.array(json.load(sys.stdin)); k=D.shape[1]
print(json.dumps(((k-1)/np.log(D[:,-1:]/D).sum(axis=1)).tolist()))`, rows(nn), &want)
	for i := range n {
		if !near(lid[i], want[i], 1e-9) {
			t.Fatalf("point %d: LID %v, numpy %v", i, lid[i], want[i])
		}
	}
	recall := make([]float64, n)
	for i := range n / 2 {
		recall[i] = 0.5 // pretend the high-dimensional region is searched worse
		recall[n/2+i] = 1
	}
	bins, err := RecallByLID(recall, lid, 4)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for b, bin := range bins {
		total += bin.Count
		if bin.Lo > bin.Hi || (b > 0 && bin.Lo < bins[b-1].Hi) {
			t.Errorf("bin %d [%v, %v] overlaps or is reversed", b, bin.Lo, bin.Hi)
		}
	}
	t.Logf("LID bins: %+v", bins)
	if total != n || bins[0].Count != n/4 || bins[0].Recall != 1 || bins[3].Recall != 0.5 || bins[0].MeanLID > 3 || bins[3].MeanLID < 8 {
		t.Errorf("bins %+v: want the plane (LID ~2, recall 1) low and the ball (LID ~12, recall 0.5) high", bins)
	}
	if _, err := RecallByLID(recall[:5], lid, 2); err == nil {
		t.Error("mismatched lengths accepted")
	}
}

// rows returns the neighbour distances as rows, for JSON.
func rows(nn *knn.Result) [][]float64 {
	out := make([][]float64, nn.N)
	for i := range out {
		out[i] = nn.Distances(i)
	}
	return out
}

// TestRecallWithin checks the candidate recall on a hand-made case and its
// bounds.
func TestRecallWithin(t *testing.T) {
	truth := &knn.Result{N: 2, K: 2, Index: []int{1, 2, 3, 4}}
	got := &knn.Result{N: 2, K: 4, Index: []int{9, 1, 8, 2, 3, 9, 9, 9}}
	r, err := RecallWithin(truth, got, 2, 4)
	if err != nil || r != 0.75 {
		t.Errorf("RecallWithin = %v, %v; want 0.75", r, err)
	}
	if r, _ := RecallWithin(truth, got, 2, 2); r != 0.5 {
		t.Errorf("RecallWithin(2, 2) = %v, want 0.5 (recall@2)", r)
	}
	if _, err := RecallWithin(truth, got, 2, 5); err == nil || !contains(err.Error(), "candidates = 5") {
		t.Errorf("candidates beyond got.K: %v", err)
	}
}
