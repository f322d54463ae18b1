package linalg

// SqDist returns the squared Euclidean distance ||a - b||^2 of two
// vectors of the same length, summed in index order (so results are
// reproducible bit for bit wherever it is used). O(len(a)).
func SqDist(a, b []float64) float64 {
	var s float64
	for j, v := range a {
		e := v - b[j]
		s += e * e
	}
	return s
}
