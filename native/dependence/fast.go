package dependence

import "sort"

// fastSums computes the pair sums for 1-D x and y with exponent 1 in
// O(n log n) (Huo & Székely 2016): row sums of |x_i - x_j| from sorted
// prefix sums, and sum_ij |x_i-x_j||y_i-y_j| by visiting points in x order
// and querying a Fenwick tree over y ranks for the sums of 1, x, y, x y of
// the points already visited below and above y_i.
func fastSums(xv, yv []float64) (xy, xx, yy sums) {
	n := len(xv)
	x := centred(xv)
	y := centred(yv)
	ra := rowSums1D(x)
	rb := rowSums1D(y)

	// y ranks (ties share a rank).
	ys := append([]float64(nil), y...)
	sort.Float64s(ys)
	uniq := ys[:0]
	for i, v := range ys {
		if i == 0 || v != uniq[len(uniq)-1] {
			uniq = append(uniq, v)
		}
	}
	rank := make([]int, n)
	for i, v := range y {
		rank[i] = sort.SearchFloat64s(uniq, v)
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return x[order[a]] < x[order[b]] })

	f := newFenwick(len(uniq))
	var tot [4]float64 // count, sum x, sum y, sum xy of visited points
	var s1, comp float64
	for _, i := range order {
		xi, yi, r := x[i], y[i], rank[i]
		lo := f.prefix(r)     // ranks < r
		le := f.prefix(r + 1) // ranks <= r
		var hi [4]float64     // ranks > r
		for k := range hi {
			hi[k] = tot[k] - le[k]
		}
		// sum over visited j of (x_i - x_j) |y_i - y_j|, x_i >= x_j:
		// sign(y_i - y_j) (x_i y_i - x_i y_j - x_j y_i + x_j y_j).
		c := (lo[0]-hi[0])*xi*yi - xi*(lo[2]-hi[2]) - yi*(lo[1]-hi[1]) + (lo[3] - hi[3])
		yk := c - comp
		t := s1 + yk
		comp = (t - s1) - yk
		s1 = t
		v := [4]float64{1, xi, yi, xi * yi}
		f.add(r, v)
		for k := range tot {
			tot[k] += v[k]
		}
	}
	s1 *= 2

	// sum_ij (x_i - x_j)^2 = 2 n sum x^2 - 2 (sum x)^2.
	sq := func(v []float64) float64 {
		var s, s2 float64
		for _, t := range v {
			s += t
			s2 += t * t
		}
		return 2*float64(n)*s2 - 2*s*s
	}
	return fromRowSums(ra[:n], rb[:n], s1, sq(x), sq(y))
}

// fromRowSums completes the sums of the pairs (a, b), (a, a) and (b, b)
// from the row sums ra = a_i. and rb = b_i. and the given s1 terms:
// s2 = sum_i of the row-sum products, s3 = the product of the totals. O(n).
func fromRowSums(ra, rb []float64, s1ab, s1aa, s1bb float64) (xy, xx, yy sums) {
	var ta, tb, s2ab, s2aa, s2bb float64
	for i := range ra {
		ta += ra[i]
		tb += rb[i]
		s2ab += ra[i] * rb[i]
		s2aa += ra[i] * ra[i]
		s2bb += rb[i] * rb[i]
	}
	return sums{s1: s1ab, s2: s2ab, s3: ta * tb}, sums{s1: s1aa, s2: s2aa, s3: ta * ta}, sums{s1: s1bb, s2: s2bb, s3: tb * tb}
}

func centred(v []float64) []float64 {
	var m float64
	for _, t := range v {
		m += t
	}
	m /= float64(len(v))
	out := make([]float64, len(v))
	for i, t := range v {
		out[i] = t - m
	}
	return out
}

// rowSums1D returns sum_j |x_i - x_j| for each i in O(n log n).
func rowSums1D(x []float64) []float64 {
	n := len(x)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return x[order[a]] < x[order[b]] })
	var total float64
	for _, v := range x {
		total += v
	}
	out := make([]float64, n)
	var below float64 // sum of the k smallest
	for k, i := range order {
		v := x[i]
		above := total - below - v
		out[i] = v*float64(k) - below + above - v*float64(n-1-k)
		below += v
	}
	return out
}

// fenwick is a binary indexed tree of 4-vectors.
type fenwick struct{ t [][4]float64 }

func newFenwick(n int) *fenwick { return &fenwick{t: make([][4]float64, n+1)} }

// add adds v at position i (0-based).
func (f *fenwick) add(i int, v [4]float64) {
	for i++; i < len(f.t); i += i & -i {
		for k := range v {
			f.t[i][k] += v[k]
		}
	}
}

// prefix returns the sum over positions < i.
func (f *fenwick) prefix(i int) [4]float64 {
	var s [4]float64
	for ; i > 0; i -= i & -i {
		for k := range s {
			s[k] += f.t[i][k]
		}
	}
	return s
}
