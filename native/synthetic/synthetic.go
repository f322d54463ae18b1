// Package synthetic generates point clouds of known intrinsic dimension for
// testing and benchmarking: uniform samples on spheres, balls, cubes and
// linear subspaces embedded in a larger space (with optional rotation and
// Gaussian noise), the swiss roll and S-curve, Gaussian mixtures with
// labels, and scikit-dimension's benchmark manifolds.
//
// Every generator is deterministic given its seed (a PCG stream from
// math/rand/v2); the random numbers differ from numpy's, so samples follow
// the same distributions as their Python counterparts without being equal
// to them. Every function returns an error for bad arguments and costs
// O(n D) time and memory for n points in D dimensions (plus O(D^3) for a
// random rotation).
package synthetic

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/sample"
)

// Embed says how a d-dimensional sample is placed in the ambient space.
type Embed struct {
	// Ambient is the number of columns of the result (0 = the natural
	// dimension of the shape: d+1 for a sphere, d otherwise). Extra columns
	// are zero before rotation.
	Ambient int
	// Rotate applies a uniformly random orthogonal matrix (Haar measure,
	// from the QR decomposition of a Gaussian matrix with sign correction).
	Rotate bool
	// Noise is the standard deviation of isotropic Gaussian noise added in
	// the ambient space after rotation (0 = none).
	Noise float64
	// Seed seeds the generator.
	Seed uint64
}

// NewRand returns the PCG generator used for a seed.
func NewRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed5eed)) }

func checkN(n, d int) error {
	if n < 1 {
		return fmt.Errorf("synthetic: n = %d points, want >= 1", n)
	}
	if d < 1 {
		return fmt.Errorf("synthetic: dimension d = %d, want >= 1", d)
	}
	return nil
}

// embed places the n x k matrix x (k natural coordinates) into o.Ambient
// columns, rotates and adds noise.
func embed(x *mat.Dense, o Embed, rng *rand.Rand) (*mat.Dense, error) {
	n, k := x.Dims()
	D := o.Ambient
	if D == 0 {
		D = k
	}
	if D < k {
		return nil, fmt.Errorf("synthetic: Ambient = %d is less than the shape's %d coordinates", D, k)
	}
	if o.Noise < 0 || math.IsNaN(o.Noise) {
		return nil, fmt.Errorf("synthetic: Noise = %v, want >= 0", o.Noise)
	}
	out := x
	if D > k {
		out = mat.NewDense(n, D, nil)
		out.Slice(0, n, 0, k).(*mat.Dense).Copy(x)
	}
	if o.Rotate {
		q := RandomRotation(D, rng)
		var r mat.Dense
		r.Mul(out, q)
		out = &r
	}
	if o.Noise > 0 {
		raw := out.RawMatrix()
		for i := range n {
			row := raw.Data[i*raw.Stride : i*raw.Stride+D]
			for j := range row {
				row[j] += o.Noise * rng.NormFloat64()
			}
		}
	}
	return out, nil
}

// RandomRotation returns a D x D orthogonal matrix drawn from the Haar
// measure: Q of the QR decomposition of a standard Gaussian matrix with the
// signs of R's diagonal moved into Q. O(D^3).
func RandomRotation(D int, rng *rand.Rand) *mat.Dense {
	g := sample.Gaussian(rng, D, D)
	var qr mat.QR
	qr.Factorize(g)
	var q, r mat.Dense
	qr.QTo(&q)
	qr.RTo(&r)
	for j := range D {
		if r.At(j, j) < 0 {
			for i := range D {
				q.Set(i, j, -q.At(i, j))
			}
		}
	}
	return &q
}

// Sphere returns n points uniform on the unit d-sphere S^d (intrinsic
// dimension d, natural coordinates d+1: normalised Gaussian vectors),
// embedded as o says. Note that skdim's hyperSphere(n, D) is S^{D-1}.
func Sphere(n, d int, o Embed) (*mat.Dense, error) {
	if err := checkN(n, d); err != nil {
		return nil, err
	}
	rng := NewRand(o.Seed)
	x := sample.Gaussian(rng, n, d+1)
	for i := range n {
		row := x.RawRowView(i)
		for {
			s := mat.Norm(mat.NewVecDense(d+1, row), 2)
			if s > 0 {
				for j := range row {
					row[j] /= s
				}
				break
			}
			for j := range row {
				row[j] = rng.NormFloat64()
			}
		}
	}
	return embed(x, o, rng)
}

// Ball returns n points uniform in the unit d-ball (a uniform direction,
// a normalised Gaussian vector, scaled by U^(1/d)), embedded as o says.
func Ball(n, d int, o Embed) (*mat.Dense, error) {
	if err := checkN(n, d); err != nil {
		return nil, err
	}
	rng := NewRand(o.Seed)
	return embed(sample.UnitBall(rng, n, d), o, rng)
}

// Cube returns n points uniform in [0, 1]^d, embedded as o says.
func Cube(n, d int, o Embed) (*mat.Dense, error) {
	if err := checkN(n, d); err != nil {
		return nil, err
	}
	rng := NewRand(o.Seed)
	x := mat.NewDense(n, d, nil)
	for i := range n {
		for j, row := 0, x.RawRowView(i); j < d; j++ {
			row[j] = rng.Float64()
		}
	}
	return embed(x, o, rng)
}

// Subspace returns n standard Gaussian points of a d-dimensional linear
// subspace (the first d coordinates; use Rotate for a random subspace),
// embedded as o says.
func Subspace(n, d int, o Embed) (*mat.Dense, error) {
	if err := checkN(n, d); err != nil {
		return nil, err
	}
	rng := NewRand(o.Seed)
	return embed(sample.Gaussian(rng, n, d), o, rng)
}

// SwissRoll returns sklearn's make_swiss_roll construction: t = 1.5 pi (1 +
// 2u), points (t cos t, 21 v, t sin t) plus Gaussian noise of standard
// deviation noise, and the roll parameter t of each point (intrinsic
// dimension 2).
func SwissRoll(n int, noise float64, seed uint64) (*mat.Dense, []float64, error) {
	if err := checkN(n, 1); err != nil {
		return nil, nil, err
	}
	if noise < 0 || math.IsNaN(noise) {
		return nil, nil, fmt.Errorf("synthetic: noise = %v, want >= 0", noise)
	}
	rng := NewRand(seed)
	x := mat.NewDense(n, 3, nil)
	t := make([]float64, n)
	for i := range n {
		t[i] = 1.5 * math.Pi * (1 + 2*rng.Float64())
		x.SetRow(i, []float64{t[i] * math.Cos(t[i]), 21 * rng.Float64(), t[i] * math.Sin(t[i])})
	}
	addNoise(x, noise, rng)
	return x, t, nil
}

// SCurve returns sklearn's make_s_curve construction: t = 3 pi (u - 1/2),
// points (sin t, 2 v, sign(t) (cos t - 1)) plus Gaussian noise, and t.
func SCurve(n int, noise float64, seed uint64) (*mat.Dense, []float64, error) {
	if err := checkN(n, 1); err != nil {
		return nil, nil, err
	}
	if noise < 0 || math.IsNaN(noise) {
		return nil, nil, fmt.Errorf("synthetic: noise = %v, want >= 0", noise)
	}
	rng := NewRand(seed)
	x := mat.NewDense(n, 3, nil)
	t := make([]float64, n)
	for i := range n {
		t[i] = 3 * math.Pi * (rng.Float64() - 0.5)
		x.SetRow(i, []float64{math.Sin(t[i]), 2 * rng.Float64(), sign(t[i]) * (math.Cos(t[i]) - 1)})
	}
	addNoise(x, noise, rng)
	return x, t, nil
}

func sign(v float64) float64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

func addNoise(x *mat.Dense, s float64, rng *rand.Rand) {
	if s == 0 {
		return
	}
	n, c := x.Dims()
	for i := range n {
		row := x.RawRowView(i)
		for j := range c {
			row[j] += s * rng.NormFloat64()
		}
	}
}

// GaussianMixture returns n points from k isotropic Gaussian clusters in D
// dimensions (standard deviation std each; centres uniform in
// [-spread, spread]^D as sklearn's make_blobs box) and the cluster label of
// each point; points are assigned to clusters as evenly as possible
// (cluster i gets n/k points, the first n%k one more), in label order.
func GaussianMixture(n, k, D int, std, spread float64, seed uint64) (*mat.Dense, []int, error) {
	if err := checkN(n, D); err != nil {
		return nil, nil, err
	}
	if k < 1 || k > n {
		return nil, nil, fmt.Errorf("synthetic: %d clusters for %d points, want 1 <= k <= n", k, n)
	}
	if !(std >= 0) || !(spread >= 0) {
		return nil, nil, fmt.Errorf("synthetic: std = %v, spread = %v, want both >= 0", std, spread)
	}
	rng := NewRand(seed)
	centres := mat.NewDense(k, D, nil)
	for c := range k {
		for j := range D {
			centres.Set(c, j, spread*(2*rng.Float64()-1))
		}
	}
	x := mat.NewDense(n, D, nil)
	labels := make([]int, n)
	i := 0
	for c := range k {
		m := n / k
		if c < n%k {
			m++
		}
		for range m {
			labels[i] = c
			row := x.RawRowView(i)
			for j := range D {
				row[j] = centres.At(c, j) + std*rng.NormFloat64()
			}
			i++
		}
	}
	return x, labels, nil
}
