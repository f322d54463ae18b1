package geometry

import (
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// CollapseOptions adds what neural collapse needs beyond features and
// labels. The zero value measures NC1 and NC2 only.
type CollapseOptions struct {
	// Classifier, when set, is the K x d weight matrix W of the linear
	// classifier reading the features (one row a class, PyTorch's
	// nn.Linear layout): it enables NC3, and NC4 through the predictions
	// argmax_c (W h + b)_c.
	Classifier *mat.Dense
	// Bias is the classifier's bias (K values; nil = 0).
	Bias []float64
	// Predictions, when set, are the network's predicted classes (one a
	// sample) for NC4, instead of the classifier's.
	Predictions []int
}

// Collapse holds the neural collapse measures of one layer (Papyan, Han
// and Donoho 2020). Each is 0 at perfect collapse onto a simplex ETF; the
// measures that need the classifier or the predictions are NaN without
// them.
type Collapse struct {
	// Classes, Samples and Dim are K, n and d.
	Classes, Samples, Dim int
	// NC1 is the within-class variability relative to the between-class
	// one, tr(S_W S_B^+) / K, with S_W the within-class covariance
	// (averaged over all samples) and S_B = M^T M / K the covariance of
	// the centred class means M (pseudo-inverse on the top K-1 directions,
	// as Papyan et al.). +Inf when all class means coincide.
	NC1 float64
	// EquinormCV is the coefficient of variation (std / mean) of the norms
	// of the centred class means (NC2, equal lengths).
	EquinormCV float64
	// Equiangularity is the standard deviation of the cosines between
	// distinct centred class means; CosineDeviation is the mean of
	// |cos + 1/(K-1)| over them (NC2, "max-equiangularity").
	Equiangularity, CosineDeviation float64
	// ETFDistance is || M M^T / ||M M^T||_F - (I - 11^T/K) / sqrt(K-1) ||_F,
	// the distance of the normalised Gram of the centred class means to
	// the simplex ETF's (Zhu et al. 2021).
	ETFDistance float64
	// OrthoCosine is the mean |cos| between distinct uncentred class
	// means: 0 when they form an orthogonal frame, the geometry that
	// replaces the simplex ETF under class imbalance (Dang et al. 2023);
	// compare it with CosineDeviation.
	OrthoCosine float64
	// NC3 is || W / ||W||_F - M / ||M||_F ||_F^2, the self-duality of the
	// classifier rows and the centred class means; ClassifierEquinormCV
	// and ClassifierCosineDeviation are NC2's measures on the rows of W.
	NC3, ClassifierEquinormCV, ClassifierCosineDeviation float64
	// NC4 is the fraction of samples whose predicted class differs from
	// the nearest class mean's (Euclidean).
	NC4 float64
	// NCCAccuracy is the accuracy of the nearest class mean classifier.
	NCCAccuracy float64
}

// NeuralCollapse returns the neural collapse measures of features (n x d)
// with labels in [0, K), K >= 2, every class present. Cost: O(n d r) with
// r = min(K-1, d), plus O(n d K) for the nearest class means and the
// classifier's predictions, and an SVD of the K x d class means; memory
// O(n d).
func NeuralCollapse(features *mat.Dense, labels []int, opts CollapseOptions) (*Collapse, error) {
	n, d, err := chk.Dense("features", features)
	if err != nil {
		return nil, err
	}
	k, counts, err := classes(labels, n, true)
	if err != nil {
		return nil, err
	}
	if k < 2 {
		return nil, chk.Errorf("neural collapse needs at least 2 classes, labels have %d", k)
	}
	means, global := classMeans(features, labels, k, counts)
	centred := mat.DenseCopyOf(means)
	for c := 0; c < k; c++ {
		row := centred.RawRowView(c)
		for j := range row {
			row[j] -= global[j]
		}
	}
	res := &Collapse{Classes: k, Samples: n, Dim: d, NC3: math.NaN(), ClassifierEquinormCV: math.NaN(),
		ClassifierCosineDeviation: math.NaN(), NC4: math.NaN()}
	if res.NC1, err = nc1(features, labels, means, centred); err != nil {
		return nil, err
	}
	res.EquinormCV, res.Equiangularity, res.CosineDeviation = frameShape(centred)
	res.ETFDistance = etfDistance(centred)
	res.OrthoCosine = meanAbs(offDiagonal(cosines(means)))
	ncc := nearestMeans(features, means)
	correct := 0
	for i, c := range ncc {
		if c == labels[i] {
			correct++
		}
	}
	res.NCCAccuracy = float64(correct) / float64(n)
	if err := res.withClassifier(features, centred, ncc, opts); err != nil {
		return nil, err
	}
	return res, nil
}

// withClassifier fills NC3 and NC4 from the options.
func (res *Collapse) withClassifier(features, centred *mat.Dense, ncc []int, opts CollapseOptions) error {
	k, d, n := res.Classes, res.Dim, res.Samples
	pred := opts.Predictions
	if w := opts.Classifier; w != nil {
		r, c, err := chk.Dense("Classifier", w)
		if err != nil {
			return err
		}
		if r != k || c != d {
			return chk.Errorf("Classifier is %d x %d, want classes x features = %d x %d", r, c, k, d)
		}
		if opts.Bias != nil && len(opts.Bias) != k {
			return chk.Errorf("Bias has %d values for %d classes", len(opts.Bias), k)
		}
		res.NC3 = selfDuality(w, centred)
		res.ClassifierEquinormCV, _, res.ClassifierCosineDeviation = frameShape(w)
		if pred == nil {
			pred = argmaxLogits(features, w, opts.Bias)
		}
	}
	if pred == nil {
		return nil
	}
	if len(pred) != n {
		return chk.Errorf("Predictions has %d entries for %d samples", len(pred), n)
	}
	miss := 0
	for i, p := range pred {
		if p != ncc[i] {
			miss++
		}
	}
	res.NC4 = float64(miss) / float64(n)
	return nil
}

// nc1 returns tr(S_W S_B^+) / K = sum over the top r right singular
// vectors v_k of the centred means (singular values s_k) of
// ||H_c v_k||^2 / (n s_k^2), H_c the features minus their class means.
func nc1(x *mat.Dense, labels []int, means, centred *mat.Dense) (float64, error) {
	n, d := x.Dims()
	k, _ := centred.Dims()
	var svd mat.SVD
	if !svd.Factorize(centred, mat.SVDThinV) {
		return 0, chk.Errorf("SVD of the %d x %d class means did not converge", k, d)
	}
	s := svd.Values(nil)
	r := 0
	for r < min(k-1, d) && s[r] > s[0]*float64(max(k, d))*2.220446049250313e-16 {
		r++
	}
	if r == 0 {
		return math.Inf(1), nil
	}
	var v mat.Dense
	svd.VTo(&v)
	within := mat.DenseCopyOf(x)
	for i := 0; i < n; i++ {
		row, m := within.RawRowView(i), means.RawRowView(labels[i])
		for j := range row {
			row[j] -= m[j]
		}
	}
	var proj mat.Dense
	proj.Mul(within, v.Slice(0, d, 0, r))
	var total float64
	for c := 0; c < r; c++ {
		col := mat.Col(nil, c, &proj)
		total += floats.Dot(col, col) / (float64(n) * s[c] * s[c])
	}
	return total, nil
}

// cosines returns the K x K cosines between the rows of m; a zero row
// gives NaN cosines.
func cosines(m *mat.Dense) *mat.Dense {
	k, _ := m.Dims()
	norms := make([]float64, k)
	for c := range norms {
		row := m.RawRowView(c)
		norms[c] = math.Sqrt(floats.Dot(row, row))
	}
	var g mat.Dense
	g.Mul(m, m.T())
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			g.Set(i, j, g.At(i, j)/(norms[i]*norms[j]))
		}
	}
	return &g
}

// frameShape returns NC2's measures of the rows of m: the coefficient of
// variation of their norms, the std of their pairwise cosines and the mean
// |cos + 1/(K-1)|.
func frameShape(m *mat.Dense) (normCV, cosStd, cosDev float64) {
	k, _ := m.Dims()
	norms := make([]float64, k)
	for c := range norms {
		row := m.RawRowView(c)
		norms[c] = math.Sqrt(floats.Dot(row, row))
	}
	mean, std := meanStd(norms)
	off := offDiagonal(cosines(m))
	_, cosStd = meanStd(off)
	for _, c := range off {
		cosDev += math.Abs(c + 1/float64(k-1))
	}
	return std / mean, cosStd, cosDev / float64(len(off))
}

func meanAbs(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += math.Abs(x)
	}
	return s / float64(len(v))
}

// etfDistance returns the Frobenius distance between the normalised Gram
// of the rows of m and the simplex ETF's.
func etfDistance(m *mat.Dense) float64 {
	k, _ := m.Dims()
	var g mat.Dense
	g.Mul(m, m.T())
	norm := mat.Norm(&g, 2)
	var s float64
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			want := -1 / float64(k)
			if i == j {
				want += 1
			}
			diff := g.At(i, j)/norm - want/math.Sqrt(float64(k-1))
			s += diff * diff
		}
	}
	return math.Sqrt(s)
}

// selfDuality returns || W/||W||_F - M/||M||_F ||_F^2.
func selfDuality(w, m *mat.Dense) float64 {
	nw, nm := mat.Norm(w, 2), mat.Norm(m, 2)
	var diff mat.Dense
	diff.Scale(1/nw, w)
	var ms mat.Dense
	ms.Scale(1/nm, m)
	diff.Sub(&diff, &ms)
	f := mat.Norm(&diff, 2)
	return f * f
}

// nearestMeans returns the index of the nearest row of means (Euclidean)
// for every row of x, ties to the lower index: the argmax over c of
// 2 h.mu_c - ||mu_c||^2.
func nearestMeans(x, means *mat.Dense) []int {
	k, _ := means.Dims()
	bias := make([]float64, k)
	for c := range bias {
		row := means.RawRowView(c)
		bias[c] = -floats.Dot(row, row)
	}
	var twice mat.Dense
	twice.Scale(2, means)
	return argmaxLogits(x, &twice, bias)
}

// argmaxLogits returns argmax_c (x W^T + b)_c for every row of x.
func argmaxLogits(x, w *mat.Dense, b []float64) []int {
	var z mat.Dense
	z.Mul(x, w.T())
	n, _ := x.Dims()
	out := make([]int, n)
	for i := range out {
		row := z.RawRowView(i)
		best := math.Inf(-1)
		for c, v := range row {
			if b != nil {
				v += b[c]
			}
			if v > best {
				best, out[i] = v, c
			}
		}
	}
	return out
}
