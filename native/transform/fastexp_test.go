package transform

import (
	"math"
	"math/rand/v2"
	"testing"
)

func ulps(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / (math.Nextafter(math.Abs(b), math.Inf(1)) - math.Abs(b))
}

// TestFastExp bounds fexp and fexpm1 against math.Exp and math.Expm1 in
// ulps, over random arguments in every range they handle differently.
func TestFastExp(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	worstExp, worstExpm1 := 0.0, 0.0
	for _, r := range [][2]float64{{-745, 710}, {-1, 1}, {-0.7, 0.7}, {-1e-6, 1e-6}, {-40, -0.69}, {0.69, 5}} {
		for range 200000 {
			x := r[0] + (r[1]-r[0])*rng.Float64()
			worstExp = math.Max(worstExp, ulps(fexp(x), math.Exp(x)))
			want := math.Expm1(x)
			if x > 700 { // math.Expm1 overflows before e^x - 1 does
				want = math.Exp(x) - 1
			}
			worstExpm1 = math.Max(worstExpm1, ulps(fexpm1(x), want))
		}
	}
	for _, x := range []float64{0, math.Inf(1), math.Inf(-1), -800, 800, math.NaN()} {
		if fexp(x) != math.Exp(x) && !math.IsNaN(x) || fexpm1(x) != math.Expm1(x) && !math.IsNaN(fexpm1(x)) {
			t.Errorf("x = %v: fexp %v, fexpm1 %v", x, fexp(x), fexpm1(x))
		}
	}
	if worstExp > 2 || worstExpm1 > 3 {
		t.Errorf("largest error: fexp %.2f ulp, fexpm1 %.2f ulp (want <= 2 and 3)", worstExp, worstExpm1)
	}
	t.Logf("largest error: fexp %.2f ulp, fexpm1 %.2f ulp", worstExp, worstExpm1)
}

func BenchmarkExp(b *testing.B) {
	for _, f := range []struct {
		name string
		f    func(float64) float64
	}{{"math.Exp", math.Exp}, {"fexp", fexp}, {"math.Expm1", math.Expm1}, {"fexpm1", fexpm1}} {
		b.Run(f.name, func(b *testing.B) {
			var s float64
			for i := 0; i < b.N; i++ {
				s += f.f(float64(i&1023)*0.002 - 1)
			}
			_ = s
		})
	}
}
