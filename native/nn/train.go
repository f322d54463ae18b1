package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/progress"
)

// Optimizer names.
const (
	Adam = "adam"
	SGD  = "sgd"
)

// TrainConfig sets up a training run. Zero fields take the defaults noted.
type TrainConfig struct {
	// Epochs is the number of passes over the data (default 30).
	Epochs int
	// BatchSize is the minibatch size (default 32); the last batch of an
	// epoch may be smaller.
	BatchSize int
	// Optimizer is Adam (default) or SGD.
	Optimizer string
	// LearningRate defaults to 1e-3 for Adam and 0.05 for SGD.
	LearningRate float64
	// Momentum is SGD's heavy-ball momentum (0 = plain SGD).
	Momentum float64
	// Beta1, Beta2, Epsilon are Adam's (defaults 0.9, 0.999, 1e-8).
	Beta1, Beta2, Epsilon float64
	// WeightDecay adds WeightDecay * theta to the gradient (L2).
	WeightDecay float64
	// Seed seeds the minibatch shuffling.
	Seed uint64
	// ValX and ValY, when set, are scored after every epoch.
	ValX *mat.Dense
	ValY []int
	// Progress is called after every epoch with (epoch, Epochs); a non-nil
	// return (or the cell's cancellation) stops training with that error.
	Progress progress.Func
}

func (c TrainConfig) withDefaults() (TrainConfig, error) {
	if c.Epochs == 0 {
		c.Epochs = 30
	}
	if c.BatchSize == 0 {
		c.BatchSize = 32
	}
	if c.Optimizer == "" {
		c.Optimizer = Adam
	}
	if c.LearningRate == 0 {
		c.LearningRate = map[string]float64{Adam: 1e-3, SGD: 0.05}[c.Optimizer]
	}
	if c.Beta1 == 0 {
		c.Beta1 = 0.9
	}
	if c.Beta2 == 0 {
		c.Beta2 = 0.999
	}
	if c.Epsilon == 0 {
		c.Epsilon = 1e-8
	}
	switch {
	case c.Optimizer != Adam && c.Optimizer != SGD:
		return c, fmt.Errorf("nn: unknown optimizer %q (want adam or sgd)", c.Optimizer)
	case c.Epochs < 0 || c.BatchSize < 1:
		return c, fmt.Errorf("nn: Epochs = %d, BatchSize = %d: want >= 0 and >= 1", c.Epochs, c.BatchSize)
	case !(c.LearningRate > 0) || math.IsInf(c.LearningRate, 0):
		return c, fmt.Errorf("nn: LearningRate = %v, want > 0", c.LearningRate)
	case c.Momentum < 0 || c.Momentum >= 1:
		return c, fmt.Errorf("nn: Momentum = %v, want 0 <= m < 1", c.Momentum)
	}
	return c, nil
}

// History records a training run, one entry per epoch.
type History struct {
	// Loss is the mean minibatch loss of each epoch.
	Loss []float64
	// ValAccuracy is the accuracy on ValX after each epoch (when given).
	ValAccuracy []float64
	// Samples is the number of training samples processed.
	Samples int
}

// optimizer updates a parameter vector from its gradient.
type optimizer struct {
	cfg  TrainConfig
	m, v []float64
	t    int
}

func newOptimizer(cfg TrainConfig, n int) *optimizer {
	o := &optimizer{cfg: cfg, m: make([]float64, n)}
	if cfg.Optimizer == Adam {
		o.v = make([]float64, n)
	}
	return o
}

func (o *optimizer) step(theta, g []float64) {
	c := o.cfg
	if c.WeightDecay != 0 {
		for i := range g {
			g[i] += c.WeightDecay * theta[i]
		}
	}
	o.t++
	if c.Optimizer == SGD {
		for i := range g {
			o.m[i] = c.Momentum*o.m[i] + g[i]
			theta[i] -= c.LearningRate * o.m[i]
		}
		return
	}
	b1, b2 := c.Beta1, c.Beta2
	lr := c.LearningRate * math.Sqrt(1-math.Pow(b2, float64(o.t))) / (1 - math.Pow(b1, float64(o.t)))
	for i, gi := range g {
		o.m[i] = b1*o.m[i] + (1-b1)*gi
		o.v[i] = b2*o.v[i] + (1-b2)*gi*gi
		theta[i] -= lr * o.m[i] / (math.Sqrt(o.v[i]) + c.Epsilon)
	}
}

// checkData validates a training set for the network.
func (m *MLP) checkData(x *mat.Dense, y []int) error {
	if x == nil {
		return fmt.Errorf("nn: nil training data")
	}
	if err := m.checkInput(x); err != nil {
		return err
	}
	if err := m.checkLabels(x, y); err != nil {
		return err
	}
	raw := x.RawMatrix()
	n, d := x.Dims()
	for i := 0; i < n; i++ {
		for j, v := range raw.Data[i*raw.Stride : i*raw.Stride+d] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("nn: input (%d, %d) is %v", i, j, v)
			}
		}
	}
	return nil
}

// epochs runs the minibatch loop; step receives each batch and returns its
// loss.
func (m *MLP) epochs(x *mat.Dense, y []int, cfg TrainConfig, step func(xb *mat.Dense, yb []int) float64) (*History, error) {
	n, d := x.Dims()
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x7a1e))
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	h := &History{}
	xb := mat.NewDense(min(cfg.BatchSize, n), d, nil)
	yb := make([]int, min(cfg.BatchSize, n))
	for e := 0; e < cfg.Epochs; e++ {
		rng.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		sum, cnt := 0.0, 0
		for s := 0; s < n; s += cfg.BatchSize {
			k := min(cfg.BatchSize, n-s)
			xk := xb.Slice(0, k, 0, d).(*mat.Dense)
			for r := 0; r < k; r++ {
				copy(xk.RawRowView(r), x.RawRowView(perm[s+r]))
				yb[r] = y[perm[s+r]]
			}
			loss := step(xk, yb[:k])
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				return h, fmt.Errorf("nn: loss became %v in epoch %d (learning rate too high?)", loss, e)
			}
			sum += loss * float64(k)
			cnt += k
		}
		h.Loss = append(h.Loss, sum/float64(cnt))
		h.Samples += n
		if cfg.ValX != nil {
			acc, err := m.Accuracy(cfg.ValX, cfg.ValY)
			if err != nil {
				return h, fmt.Errorf("nn: validation: %w", err)
			}
			h.ValAccuracy = append(h.ValAccuracy, acc)
		}
		if err := progress.Report(cfg.Progress, e+1, cfg.Epochs); err != nil {
			return h, err
		}
	}
	return h, nil
}

// Train fits the network to (x, y) by minibatch gradient descent on the
// softmax cross-entropy. Each epoch costs O(n * NumParams) flops (about 6
// per parameter and sample), through BLAS matrix products.
func (m *MLP) Train(x *mat.Dense, y []int, cfg TrainConfig) (*History, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := m.checkData(x, y); err != nil {
		return nil, err
	}
	opt := newOptimizer(cfg, len(m.params))
	return m.epochs(x, y, cfg, func(xb *mat.Dense, yb []int) float64 {
		loss := m.gradient(xb, yb)
		opt.step(m.params, m.grad)
		return loss
	})
}
