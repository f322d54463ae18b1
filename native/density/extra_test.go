package density

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/subspace-kernel/subspace/native/internal/sample"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// TestFloat32Variants: float32 inputs give the float64 results of the
// same (rounded) points.
func TestFloat32Variants(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	data := mat32.FromDense(sample.Gaussian(rng, 300, 3))
	q := mat32.FromDense(sample.Gaussian(rng, 40, 3))
	d64, q64 := data.ToDense(), q.ToDense()
	k32, err := NewKDE32(data, KDEOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := k32.LogDensity32(q)
	if err != nil {
		t.Fatal(err)
	}
	k64, _ := NewKDE(d64, KDEOptions{})
	b, _ := k64.LogDensity(q64)
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("KDE query %d: float32 %v, float64 %v", i, a[i], b[i])
		}
	}
	c, err := KNNLogDensity32(data, q, 5, KNNOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := KNNLogDensity(d64, q64, 5, KNNOptions{})
	for i := range c {
		// float32 distances: relative error ~1e-6 on r, times d = 3
		if math.Abs(c[i]-e[i]) > 1e-4 {
			t.Errorf("kNN query %d: float32 %v, float64 %v", i, c[i], e[i])
		}
	}
	s32, err := KNNLogDensitySelf32(data, 5, KNNOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s64, _ := KNNLogDensitySelf(d64, 5, KNNOptions{})
	for i := range s32 {
		if math.Abs(s32[i]-s64[i]) > 1e-4 {
			t.Errorf("kNN self %d: float32 %v, float64 %v", i, s32[i], s64[i])
		}
	}
}

// TestProgressStops: a progress callback returning an error aborts the
// computation with that error; otherwise it ends at (total, total).
func TestProgressStops(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	data := sample.Gaussian(rng, 300, 2)
	q := sample.Gaussian(rng, 2000, 2)
	stop := errors.New("stop")
	calls := 0
	k, _ := NewKDE(data, KDEOptions{Progress: func(done, total int) error {
		calls++
		return stop
	}})
	if _, err := k.LogDensity(q); !errors.Is(err, stop) || calls != 1 {
		t.Errorf("got %v after %d calls, want the callback's error after 1", err, calls)
	}
	last := [2]int{}
	k, _ = NewKDE(data, KDEOptions{Progress: func(done, total int) error { last = [2]int{done, total}; return nil }})
	if _, err := k.LogDensity(q); err != nil || last != [2]int{2000, 2000} {
		t.Errorf("got %v, last report %v, want (2000, 2000)", err, last)
	}
}
