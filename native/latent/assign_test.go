package latent

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
)

// TestGraphMatch: the swap gain equals the change of the objective; a
// planted permutation of a centre-similarity matrix (with small noise) is
// recovered; on unplanted problems the objective reaches scipy's FAQ.
func TestGraphMatch(t *testing.T) {
	c := gauss(80, 20, 10)
	a, _ := RelativeRepresentation(c, c, RelativeOptions{})
	perm := newRand(3).Perm(20)
	b := mat.NewDense(20, 20, nil) // b[perm[i], perm[j]] = a[i, j] + noise
	noise := gauss(81, 20, 20)
	for i := 0; i < 20; i++ {
		for j := 0; j < 20; j++ {
			e := 1e-3 * (noise.At(i, j) + noise.At(j, i))
			b.Set(perm[i], perm[j], a.At(i, j)+e)
		}
	}
	p := []int{3, 1, 0, 2, 5, 4, 6, 7, 9, 8, 10, 11, 12, 13, 14, 15, 16, 17, 19, 18}
	for i := 0; i < 20; i++ {
		for j := i + 1; j < 20; j++ {
			q := append([]int(nil), p...)
			q[i], q[j] = q[j], q[i]
			if g, want := swapGain(a, b, p, i, j), qapObjective(a, b, q)-qapObjective(a, b, p); math.Abs(g-want) > 1e-10 {
				t.Fatalf("swap (%d, %d): gain %v, objective change %v", i, j, g, want)
			}
		}
	}
	got, err := GraphMatch(a, b, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if got[i] != perm[i] {
			t.Fatalf("planted permutation not recovered:\n got %v\nwant %v", got, perm)
		}
	}
	// On random problems without a planted answer the heuristic is at
	// least as good as scipy's FAQ (9 starts), computed in the same run.
	var cases []map[string]any
	var pairs [][2]*mat.Dense
	for seed := uint64(0); seed < 4; seed++ {
		s1, s2 := gauss(90+seed, 15, 4), gauss(95+seed, 15, 4)
		var a1, b1 mat.Dense
		a1.Mul(s1, s1.T())
		b1.Mul(s2, s2.T())
		pairs = append(pairs, [2]*mat.Dense{&a1, &b1})
		cases = append(cases, map[string]any{"a": pyref.Rows(&a1), "b": pyref.Rows(&b1)})
	}
	var faq []float64
	pyref.JSON(t, "testdata/qap_ref.py", cases, &faq)
	for i, pr := range pairs {
		got, err := GraphMatch(pr[0], pr[1], 16, uint64(i))
		if err != nil {
			t.Fatal(err)
		}
		if obj := qapObjective(pr[0], pr[1], got); obj < faq[i]-1e-9*math.Abs(faq[i]) {
			t.Errorf("problem %d: objective %v, scipy FAQ %v", i, obj, faq[i])
		} else {
			t.Logf("problem %d: objective %.6g, scipy FAQ %.6g", i, obj, faq[i])
		}
	}
	asym := mat.NewDense(2, 2, []float64{1, 2, 3, 1})
	_, err = GraphMatch(asym, asym, 0, 0)
	wantErr(t, "asymmetric", err, "latent: A is not symmetric: (0, 1) = 2 but (1, 0) = 3")
	_, err = GraphMatch(a, asym, 0, 0)
	wantErr(t, "sizes", err, "latent: A is 20 x 20 and B is 2 x 2: both must be square, of one size")
}
