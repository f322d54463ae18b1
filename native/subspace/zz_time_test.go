package subspace

import (
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/sample"
)

func TestZZGemm(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	a := sample.Gaussian(rng, 4096, 4096)
	om := sample.Gaussian(rng, 4096, 26)
	omT := mat.DenseCopyOf(om.T())
	y := mat.NewDense(4096, 26, nil)
	yt := mat.NewDense(26, 4096, nil)
	for rep := 0; rep < 6; rep++ {
		t0 := time.Now()
		y.Mul(a, om) // A om
		t1 := time.Now()
		yt.Mul(omT, a.T()) // (A om)^T = om^T A^T
		t2 := time.Now()
		y.Mul(a.T(), om) // A^T om
		t3 := time.Now()
		yt.Mul(omT, a) // (A^T om)^T = om^T A
		t4 := time.Now()
		t.Logf("A*om %v | om^T*A^T %v || A^T*om %v | om^T*A %v", t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), t4.Sub(t3))
	}
}
