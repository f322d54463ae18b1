// Package convergent asks whether the individual units (neurons) of two
// networks' layers correspond, as in "Convergent learning: do different
// neural networks learn the same representations?" (Li, Yosinski, Clune,
// Lipson and Hopcroft, ICLR 2016): the correlation of every unit of one
// layer with every unit of the other over the same inputs, the one-to-one
// matching that maximises the summed correlation (Hungarian algorithm,
// package assign), the many-to-one semi-matching (each unit to its most
// correlated partner), a random one-to-one matching as the baseline, and
// sparse many-to-one mappings by L1-regularised linear regression.
//
// Layers are n x d activation matrices over the same n inputs (rows),
// one column a unit. All entry points are non-generic float64.
package convergent

import (
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/assign"
	_ "github.com/subspace-kernel/subspace/native/blas" // OpenBLAS under -tags openblas
	"github.com/subspace-kernel/subspace/native/internal/check"
)

// chk words convergent's argument errors ("convergent: A is nil (nil matrix)").
var chk = check.New("convergent")

// Units is the unit-correlation matrix of two layers.
type Units struct {
	// Corr is the dA x dB matrix of Pearson correlations between unit i
	// of A and unit j of B over the samples. The row of a unit of A with
	// zero variance (a dead unit) and the column of such a unit of B are 0.
	Corr *mat.Dense
	// DeadA and DeadB list the units of zero variance.
	DeadA, DeadB []int
}

// UnitCorrelation returns the correlations between the units (columns) of
// a (n x dA) and of b (n x dB) over the same n samples, n >= 2. Cost
// O(n dA dB) (one GEMM of the standardised columns), O(n (dA + dB))
// memory.
func UnitCorrelation(a, b *mat.Dense) (*Units, error) {
	za, deadA, zb, deadB, err := standardisePair(a, b)
	if err != nil {
		return nil, err
	}
	n, _ := za.Dims()
	var c mat.Dense
	c.Mul(za.T(), zb)
	c.Scale(1/float64(n), &c)
	return &Units{Corr: &c, DeadA: deadA, DeadB: deadB}, nil
}

// standardisePair validates two layers over the same n >= 2 samples and
// returns their standardised columns and dead units.
func standardisePair(a, b *mat.Dense) (za *mat.Dense, deadA []int, zb *mat.Dense, deadB []int, err error) {
	n, _, err := chk.Dense("A", a)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	nb, _, err := chk.Dense("B", b)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if err := chk.SameRows("A", n, "B", nb, "rows must be the same inputs"); err != nil {
		return nil, nil, nil, nil, err
	}
	if n < 2 {
		return nil, nil, nil, nil, chk.Errorf("A and B have 1 row: correlations need at least 2 samples")
	}
	za, deadA = standardise(a)
	zb, deadB = standardise(b)
	return za, deadA, zb, deadB, nil
}

// standardise returns the columns of m centred and scaled to unit
// population variance, zero for the columns of zero variance (listed).
func standardise(m *mat.Dense) (*mat.Dense, []int) {
	n, d := m.Dims()
	z := mat.DenseCopyOf(m)
	mean, ss := make([]float64, d), make([]float64, d)
	for i := 0; i < n; i++ {
		for j, v := range z.RawRowView(i) {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	for i := 0; i < n; i++ {
		row := z.RawRowView(i)
		for j := range row {
			row[j] -= mean[j]
			ss[j] += row[j] * row[j]
		}
	}
	var dead []int
	scale := make([]float64, d)
	for j := range scale {
		sd := math.Sqrt(ss[j] / float64(n))
		if sd <= 1e-12*math.Max(1, math.Abs(mean[j])) {
			dead = append(dead, j) // the column becomes 0
			continue
		}
		scale[j] = 1 / sd
	}
	for i := 0; i < n; i++ {
		row := z.RawRowView(i)
		for j := range row {
			row[j] *= scale[j]
		}
	}
	return z, dead
}

// Matching pairs units of A with units of B.
type Matching struct {
	// A[k] is matched with B[k], at correlation Corr[k]; pairs are in
	// increasing order of A.
	A, B []int
	Corr []float64
	// Mean and Median summarise Corr.
	Mean, Median float64
}

func newMatching(a, b []int, corr *mat.Dense) *Matching {
	m := &Matching{A: a, B: b, Corr: make([]float64, len(a))}
	for k := range a {
		m.Corr[k] = corr.At(a[k], b[k])
	}
	for _, c := range m.Corr {
		m.Mean += c
	}
	m.Mean /= float64(len(m.Corr))
	s := append([]float64(nil), m.Corr...)
	sort.Float64s(s)
	if h := len(s) / 2; len(s)%2 == 1 {
		m.Median = s[h]
	} else {
		m.Median = (s[h-1] + s[h]) / 2
	}
	return m
}

func checkCorr(corr *mat.Dense) (int, int, error) {
	return chk.Dense("corr", corr)
}

// MatchOneToOne returns the one-to-one matching of min(dA, dB) pairs with
// the largest total correlation (Li et al.'s bipartite matching), by the
// Hungarian algorithm (assign.LinearSum, maximising). Cost O(d^3) for
// d = max(dA, dB) in the worst case.
func MatchOneToOne(corr *mat.Dense) (*Matching, error) {
	if _, _, err := checkCorr(corr); err != nil {
		return nil, err
	}
	res, err := assign.LinearSum(corr, assign.Options{Maximize: true})
	if err != nil {
		return nil, chk.Errorf("matching: %w", err)
	}
	return newMatching(res.Rows, res.Cols, corr), nil
}

// MatchSemi returns the semi-matching of Li et al.: every unit of A with
// its most correlated unit of B (ties to the lower index), so several
// units of A may share a partner. Cost O(dA dB).
func MatchSemi(corr *mat.Dense) (*Matching, error) {
	da, db, err := checkCorr(corr)
	if err != nil {
		return nil, err
	}
	a, b := make([]int, da), make([]int, da)
	for i := range a {
		a[i] = i
		row := corr.RawRowView(i)
		for j := 1; j < db; j++ {
			if row[j] > row[b[i]] {
				b[i] = j
			}
		}
	}
	return newMatching(a, b, corr), nil
}

// MatchRandom returns a random one-to-one matching of min(dA, dB) pairs
// drawn from seed: the baseline the other matchings are compared with.
// O(dA + dB).
func MatchRandom(corr *mat.Dense, seed uint64) (*Matching, error) {
	da, db, err := checkCorr(corr)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0xc0))
	k := min(da, db)
	rows, cols := rng.Perm(da)[:k], rng.Perm(db)[:k]
	sort.Ints(rows)
	return newMatching(rows, cols, corr), nil
}

// Comparison summarises how the units of two layers correspond.
type Comparison struct {
	Units *Units
	// OneToOne, Semi and Random are the three matchings.
	OneToOne, Semi, Random *Matching
}

// CompareLayers computes the unit correlations of a and b and their
// one-to-one, semi and random (from seed) matchings. Cost: UnitCorrelation
// plus MatchOneToOne.
func CompareLayers(a, b *mat.Dense, seed uint64) (*Comparison, error) {
	u, err := UnitCorrelation(a, b)
	if err != nil {
		return nil, err
	}
	c := &Comparison{Units: u}
	if c.OneToOne, err = MatchOneToOne(u.Corr); err != nil {
		return nil, err
	}
	if c.Semi, err = MatchSemi(u.Corr); err != nil {
		return nil, err
	}
	if c.Random, err = MatchRandom(u.Corr, seed); err != nil {
		return nil, err
	}
	return c, nil
}
