package latent

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
)

// TestEvaluateMatchesNumpy compares the measures of a noisy translation
// with numpy's (full argsort ranks, so MRR@depth and every rank are
// checked) and scikit-learn's neighbourhoods, computed in the same run.
func TestEvaluateMatchesNumpy(t *testing.T) {
	const n, d, k, depth, jk = 300, 10, 5, 40, 10
	y := gauss(200, n, d)
	p := gauss(201, n, d)
	p.Scale(0.6, p)
	p.Add(p, y) // a noisy translation: most but not all retrieve their target
	type scores struct {
		Top1 float64 `json:"top1"`
		TopK float64 `json:"topk"`
		MRR  float64 `json:"mrr"`
		Rank []int   `json:"rank"`
	}
	var ref struct {
		Cosine  float64 `json:"cosine"`
		MSE     float64 `json:"mse"`
		Cos     scores  `json:"cos"`
		Euc     scores  `json:"euc"`
		Jaccard float64 `json:"jaccard"`
	}
	pyref.JSON(t, "testdata/evaluate_ref.py", map[string]any{
		"pred": pyref.WriteNPY(t, p), "target": pyref.WriteNPY(t, y), "k": k, "depth": depth, "jk": jk}, &ref)
	ev, err := Evaluate(p, y, RetrievalOptions{K: k, Depth: depth})
	if err != nil {
		t.Fatal(err)
	}
	close := func(name string, got, want float64) {
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("%s = %v, reference %v", name, got, want)
		}
	}
	close("cosine", ev.Cosine, ref.Cosine)
	close("mse", ev.MSE, ref.MSE)
	close("jaccard", ev.Jaccard, ref.Jaccard)
	for _, c := range []struct {
		name string
		sim  Similarity
		want scores
	}{{"cosine", Cosine, ref.Cos}, {"euclidean", Euclidean, ref.Euc}} {
		r, err := Retrieve(p, y, RetrievalOptions{K: k, Depth: depth, Similarity: c.sim})
		if err != nil {
			t.Fatal(err)
		}
		close(c.name+" top1", r.Top1, c.want.Top1)
		close(c.name+" topk", r.TopK, c.want.TopK)
		close(c.name+" mrr", r.MRR, c.want.MRR)
		for i := range r.Rank {
			if r.Rank[i] != c.want.Rank[i] {
				t.Fatalf("%s: rank of query %d is %d, numpy %d", c.name, i, r.Rank[i], c.want.Rank[i])
			}
		}
		if c.want.Top1 < 0.2 || c.want.Top1 > 0.95 {
			t.Errorf("%s top-1 %v: the noise level makes the test uninformative", c.name, c.want.Top1)
		}
	}
}

// TestEvaluateErrors: shapes and zero rows are errors naming the argument;
// a perfect translation scores 1, 1, 0.
func TestEvaluateErrors(t *testing.T) {
	y := gauss(1, 6, 3)
	ev, err := Evaluate(y, y, RetrievalOptions{})
	if err != nil || ev.Retrieval.Top1 != 1 || ev.Retrieval.MRR != 1 || math.Abs(ev.Cosine-1) > 1e-15 || ev.MSE != 0 || ev.Jaccard != 1 {
		t.Errorf("identity: %+v %+v, %v", ev, ev.Retrieval, err)
	}
	_, err = MSE(y, gauss(1, 6, 4))
	wantErr(t, "cols", err, "latent: pred has 3 columns but target has 4")
	_, err = MeanCosine(y, gauss(1, 5, 3))
	wantErr(t, "rows", err, "latent: pred has 6 rows but target has 5: row i of both must be the same point")
	z := mat.DenseCopyOf(y)
	z.SetRow(4, []float64{0, 0, 0})
	_, err = MeanCosine(y, z)
	wantErr(t, "zero", err, "latent: target row 4 has zero norm: its cosine is undefined")
	_, err = Retrieve(y, y, RetrievalOptions{Similarity: L1})
	wantErr(t, "metric", err, "latent: retrieval ranks by Cosine or Euclidean, not l1")
	_, err = Retrieve(y.Slice(0, 1, 0, 3), y.Slice(0, 1, 0, 3), RetrievalOptions{})
	wantErr(t, "one row", err, "latent: retrieval needs at least 2 targets, pred and target have 1 rows")
}
