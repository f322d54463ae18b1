package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/progress"
)

// Projection is a fixed random D x d matrix P mapping a d-dimensional
// coordinate z to a parameter offset P z, with unit-norm columns (Li et
// al. 2018). It is dense Gaussian (O(D d) memory and time per product) or
// sparse (O(nnz) = O(D d density)).
type Projection struct {
	rows, cols int
	dense      *mat.Dense // D x d, or nil
	// sparse, row-compressed: row r has entries idx[ptr[r]:ptr[r+1]]
	ptr []int
	idx []int32
	val []float64
}

// NewDenseProjection draws a D x d matrix of independent N(0,1) entries and
// scales every column to unit length. O(D d) time and memory.
func NewDenseProjection(D, d int, seed uint64) (*Projection, error) {
	if D < 1 || d < 1 {
		return nil, fmt.Errorf("nn: projection %d x %d: dimensions must be >= 1", D, d)
	}
	if int64(D)*int64(d) > 1<<28 {
		return nil, fmt.Errorf("nn: dense projection %d x %d needs %d MB; use NewSparseProjection", D, d, int64(D)*int64(d)*8>>20)
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e0))
	p := mat.NewDense(D, d, nil)
	raw := p.RawMatrix().Data
	for i := range raw {
		raw[i] = rng.NormFloat64()
	}
	norms := make([]float64, d)
	for r := 0; r < D; r++ {
		for c, v := range raw[r*d : (r+1)*d] {
			norms[c] += v * v
		}
	}
	for c := range norms {
		norms[c] = 1 / math.Sqrt(norms[c])
	}
	for r := 0; r < D; r++ {
		row := raw[r*d : (r+1)*d]
		for c := range row {
			row[c] *= norms[c]
		}
	}
	return &Projection{rows: D, cols: d, dense: p}, nil
}

// NewSparseProjection draws a D x d matrix whose entries are non-zero with
// probability density (0 = 1/sqrt(D), the "very sparse" choice of Li,
// Hastie and Church 2006), with random signs, and scales every column to
// unit length (a column left empty gets one random entry). Expected
// O(D d density) time and memory.
func NewSparseProjection(D, d int, density float64, seed uint64) (*Projection, error) {
	if D < 1 || d < 1 {
		return nil, fmt.Errorf("nn: projection %d x %d: dimensions must be >= 1", D, d)
	}
	if density == 0 {
		density = 1 / math.Sqrt(float64(D))
	}
	if !(density > 0 && density <= 1) {
		return nil, fmt.Errorf("nn: density = %v, want 0 < density <= 1", density)
	}
	rng := rand.New(rand.NewPCG(seed, 0x5a7))
	type entry struct {
		r, c int
		v    float64
	}
	var es []entry
	count := make([]int, d)
	// Walk the D*d cells in row-major order with geometric skips.
	total := int64(D) * int64(d)
	logq := math.Log1p(-density)
	pos := int64(-1)
	for {
		if density == 1 {
			pos++
		} else {
			pos += 1 + int64(math.Floor(math.Log(1-rng.Float64())/logq))
		}
		if pos >= total || pos < 0 {
			break
		}
		r, c := int(pos/int64(d)), int(pos%int64(d))
		v := 1.0
		if rng.IntN(2) == 0 {
			v = -1
		}
		es = append(es, entry{r, c, v})
		count[c]++
	}
	for c, k := range count {
		if k == 0 {
			es = append(es, entry{rng.IntN(D), c, 1})
			count[c] = 1
		}
	}
	sort.Slice(es, func(i, j int) bool {
		if es[i].r != es[j].r {
			return es[i].r < es[j].r
		}
		return es[i].c < es[j].c
	})
	p := &Projection{rows: D, cols: d, ptr: make([]int, D+1)}
	p.idx = make([]int32, len(es))
	p.val = make([]float64, len(es))
	for k, e := range es {
		p.ptr[e.r+1]++
		p.idx[k] = int32(e.c)
		p.val[k] = e.v / math.Sqrt(float64(count[e.c]))
	}
	for r := 0; r < D; r++ {
		p.ptr[r+1] += p.ptr[r]
	}
	return p, nil
}

// Dims returns D (parameters) and d (subspace dimension).
func (p *Projection) Dims() (int, int) { return p.rows, p.cols }

// Sparse reports whether the projection is stored sparse.
func (p *Projection) Sparse() bool { return p.dense == nil }

// NonZeros returns the number of stored entries.
func (p *Projection) NonZeros() int {
	if p.dense != nil {
		return p.rows * p.cols
	}
	return len(p.val)
}

// Apply sets out (length D) to P z (z of length d).
func (p *Projection) Apply(z, out []float64) error {
	if len(z) != p.cols || len(out) != p.rows {
		return fmt.Errorf("nn: projection %dx%d applied to %d -> %d", p.rows, p.cols, len(z), len(out))
	}
	if p.dense != nil {
		mat.NewVecDense(p.rows, out).MulVec(p.dense, mat.NewVecDense(p.cols, z))
		return nil
	}
	for r := 0; r < p.rows; r++ {
		s := 0.0
		for k := p.ptr[r]; k < p.ptr[r+1]; k++ {
			s += p.val[k] * z[p.idx[k]]
		}
		out[r] = s
	}
	return nil
}

// ApplyT sets out (length d) to P^T g (g of length D).
func (p *Projection) ApplyT(g, out []float64) error {
	if len(g) != p.rows || len(out) != p.cols {
		return fmt.Errorf("nn: projection %dx%d transposed, applied to %d -> %d", p.rows, p.cols, len(g), len(out))
	}
	if p.dense != nil {
		mat.NewVecDense(p.cols, out).MulVec(p.dense.T(), mat.NewVecDense(p.rows, g))
		return nil
	}
	for i := range out {
		out[i] = 0
	}
	for r := 0; r < p.rows; r++ {
		gr := g[r]
		for k := p.ptr[r]; k < p.ptr[r+1]; k++ {
			out[p.idx[k]] += p.val[k] * gr
		}
	}
	return nil
}

// TrainSubspace trains only in the random subspace theta = theta0 + P z:
// theta0 is the network's current parameters, z starts at 0, and the
// optimizer updates z with the gradient P^T grad(theta). On return the
// network holds theta0 + P z; the z reached is returned. Each step costs a
// normal gradient plus two products with P.
func (m *MLP) TrainSubspace(x *mat.Dense, y []int, p *Projection, cfg TrainConfig) ([]float64, *History, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, nil, err
	}
	if err := m.checkData(x, y); err != nil {
		return nil, nil, err
	}
	if p == nil || p.rows != len(m.params) {
		return nil, nil, fmt.Errorf("nn: projection has %d rows, the network %d parameters", p.rowsOr0(), len(m.params))
	}
	theta0 := append([]float64(nil), m.params...)
	z := make([]float64, p.cols)
	gz := make([]float64, p.cols)
	off := make([]float64, p.rows)
	opt := newOptimizer(cfg, p.cols)
	setTheta := func() {
		p.Apply(z, off)
		for i := range off {
			m.params[i] = theta0[i] + off[i]
		}
	}
	h, err := m.epochs(x, y, cfg, func(xb *mat.Dense, yb []int) float64 {
		setTheta()
		loss := m.gradient(xb, yb)
		p.ApplyT(m.grad, gz)
		opt.step(z, gz)
		return loss
	})
	setTheta()
	return z, h, err
}

func (p *Projection) rowsOr0() int {
	if p == nil {
		return 0
	}
	return p.rows
}

// SweepConfig sets up an intrinsic-dimension sweep.
type SweepConfig struct {
	// Sizes and Activation describe the network (see NewMLP).
	Sizes      []int
	Activation string
	// Seed fixes the initial parameters theta0 (shared by every run) and,
	// plus the index of d, each projection.
	Seed uint64
	// Dims lists the subspace dimensions to try, in increasing order.
	Dims []int
	// Sparse selects NewSparseProjection (with Density) over dense.
	Sparse  bool
	Density float64
	// Full trains the full-parameter baseline; Subspace trains each z.
	Full, Subspace TrainConfig
	// Fraction of the baseline accuracy to reach (default 0.9: d_int90).
	Fraction float64
	// Progress is called after every run with (runs done, len(Dims)+1).
	Progress progress.Func
}

// SweepResult is an intrinsic-dimension curve.
type SweepResult struct {
	// NumParams is D, the number of parameters.
	NumParams int
	// FullAccuracy is the test accuracy of full-parameter training.
	FullAccuracy float64
	// Threshold is Fraction * FullAccuracy.
	Threshold float64
	// Dims and Accuracy are the curve: test accuracy after training in a
	// random subspace of each dimension.
	Dims     []int
	Accuracy []float64
	// DInt is the smallest d in Dims whose accuracy reaches Threshold
	// (d_int90 with the default Fraction), or 0 when none does.
	DInt int
}

// IntrinsicDimension measures the intrinsic dimension of the objective
// landscape (Li et al. 2018): it trains the full network once for the
// baseline test accuracy, then trains in a random subspace of each
// dimension in cfg.Dims from the same initialisation, and reports the
// curve and the smallest d reaching cfg.Fraction of the baseline. Costs one
// full training plus one subspace training per dimension.
func IntrinsicDimension(xTrain *mat.Dense, yTrain []int, xTest *mat.Dense, yTest []int, cfg SweepConfig) (*SweepResult, error) {
	if len(cfg.Dims) == 0 {
		return nil, fmt.Errorf("nn: no subspace dimensions to sweep")
	}
	for i, d := range cfg.Dims {
		if d < 1 || (i > 0 && d <= cfg.Dims[i-1]) {
			return nil, fmt.Errorf("nn: Dims %v must be positive and increasing", cfg.Dims)
		}
	}
	if cfg.Fraction == 0 {
		cfg.Fraction = 0.9
	}
	if !(cfg.Fraction > 0 && cfg.Fraction <= 1) {
		return nil, fmt.Errorf("nn: Fraction = %v, want 0 < f <= 1", cfg.Fraction)
	}
	base, err := NewMLP(cfg.Sizes, cfg.Activation, cfg.Seed)
	if err != nil {
		return nil, err
	}
	total := len(cfg.Dims) + 1
	full := base.Clone()
	if _, err := full.Train(xTrain, yTrain, cfg.Full); err != nil {
		return nil, fmt.Errorf("nn: full training: %w", err)
	}
	res := &SweepResult{NumParams: base.NumParams()}
	if res.FullAccuracy, err = full.Accuracy(xTest, yTest); err != nil {
		return nil, err
	}
	res.Threshold = cfg.Fraction * res.FullAccuracy
	if err := progress.Report(cfg.Progress, 1, total); err != nil {
		return nil, err
	}
	for i, d := range cfg.Dims {
		var p *Projection
		if cfg.Sparse {
			p, err = NewSparseProjection(base.NumParams(), d, cfg.Density, cfg.Seed+uint64(i)+1)
		} else {
			p, err = NewDenseProjection(base.NumParams(), d, cfg.Seed+uint64(i)+1)
		}
		if err != nil {
			return nil, err
		}
		net := base.Clone()
		if _, _, err := net.TrainSubspace(xTrain, yTrain, p, cfg.Subspace); err != nil {
			return nil, fmt.Errorf("nn: subspace d = %d: %w", d, err)
		}
		acc, err := net.Accuracy(xTest, yTest)
		if err != nil {
			return nil, err
		}
		res.Dims = append(res.Dims, d)
		res.Accuracy = append(res.Accuracy, acc)
		if res.DInt == 0 && acc >= res.Threshold {
			res.DInt = d
		}
		if err := progress.Report(cfg.Progress, i+2, total); err != nil {
			return nil, err
		}
	}
	return res, nil
}
