package cluster

import (
	"testing"
)

// BenchmarkLloyd20 times 20 Lloyd iterations of k = 256 on 20,000 x 128
// points from spread-out training points (make bench-cluster compares with sklearn).
func BenchmarkLloyd20(b *testing.B) {
	x, _ := blobs(1, 256, 80, 128, 3)
	idx := make([]int, 256)
	for i := range idx {
		idx[i] = i * 79
	}
	init := rowsOf(x, idx)
	b.ResetTimer()
	for range b.N {
		if _, err := FitKMeans(x, KMeansOptions{K: 256, Init: init, MaxIter: 20, Tol: -1}); err != nil {
			b.Fatal(err)
		}
	}
}
