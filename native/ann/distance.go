package ann

import "github.com/viterin/vek/vek32"

// dot returns x.y in float32 (AVX2 when available). O(len(x)).
func dot(x, y []float32) float32 { return vek32.Dot(x, y) }

// sqNorm returns ||x||^2 in float32. O(len(x)).
func sqNorm(x []float32) float32 { return vek32.Dot(x, x) }

// euclid64 returns ||x - y|| accumulated in float64. O(len(x)).
func euclid64(x, y []float32) float64 {
	var s float64
	for j, v := range x {
		e := float64(v) - float64(y[j])
		s += e * e
	}
	return sqrt(s)
}
