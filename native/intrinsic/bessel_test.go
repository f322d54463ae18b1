package intrinsic

import (
	"math"
	"testing"

	"github.com/subspace-kernel/subspace/internal/pyref"
)

// TestBesselAgainstScipy compares I0, I1 (power series and asymptotic
// branches, and overflow to +Inf) with scipy.special run in the test, and
// checks DANCo's two divergences (scipy digamma for the MiND one, 0 for
// identical von Mises distributions).
func TestBesselAgainstScipy(t *testing.T) {
	xs := []float64{0, 0.3, 1, 5, 10, 29.9, 30.1, 50, 200, 700, 800}
	script := `import json, sys, math
from scipy.special import i0, i1
xs = json.load(sys.stdin)
from scipy.special import digamma, comb
f = lambda v: None if math.isinf(v) else v
k, q = 10, 3.7 / 2.9
kl = sum(1 / i for i in range(1, k + 1)) * q - math.log(q) - (k - 1) * sum(
    (-1) ** i * comb(k, i, exact=True) * digamma(1 + i / q) for i in range(k + 1))
print(json.dumps([[f(float(i0(x))) for x in xs], [f(float(i1(x))) for x in xs], [kl]]))`
	var want [3][]*float64
	pyref.JSON(t, script, xs, &want)
	for nu := range 2 {
		for i, x := range xs {
			got := besselI(nu, x)
			if want[nu][i] == nil {
				if !math.IsInf(got, 1) {
					t.Errorf("I%d(%v) = %v, scipy inf", nu, x, got)
				}
				continue
			}
			w := *want[nu][i]
			if math.Abs(got-w) > 1e-12*math.Abs(w) {
				t.Errorf("I%d(%v) = %.17g, scipy %.17g", nu, x, got, w)
			}
		}
	}
	// skdim's MiND divergence (Ceruti et al. eq. for KL(g_dhat, g_dcal)
	// up to a constant) with scipy's digamma and binomials.
	if v, w := dancoKLd(10, 2.9, 3.7), *want[2][0]; math.Abs(v-w) > 1e-12*math.Abs(w) {
		t.Errorf("MiND divergence %.17g, scipy %.17g", v, w)
	}
	if v := dancoKLnutau(0.3, 0.3, 4, 4); math.Abs(v) > 1e-12 {
		t.Errorf("KL of identical von Mises = %v", v)
	}
}

// TestDigamma checks psi(1) = -Euler's constant, psi(1/2) = -gamma - 2 ln 2
// and the recurrence psi(x+1) = psi(x) + 1/x across the branch at 10.
func TestDigamma(t *testing.T) {
	const euler = 0.57721566490153286061
	if v := digamma(1); math.Abs(v+euler) > 1e-15 {
		t.Errorf("psi(1) = %.17g", v)
	}
	if v := digamma(0.5); math.Abs(v-(-euler-2*math.Ln2)) > 1e-14 {
		t.Errorf("psi(1/2) = %.17g", v)
	}
	for _, x := range []float64{0.1, 3.3, 9.5, 9.99, 25} {
		if d := digamma(x+1) - digamma(x) - 1/x; math.Abs(d) > 1e-14*math.Max(1, 1/x) {
			t.Errorf("recurrence at %v off by %g", x, d)
		}
	}
}
