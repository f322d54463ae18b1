package main

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/synthetic"
)

// calibrateChoose times the KD-tree and brute force (self search, both
// with the default workers) over (n, d, K) on i.i.d. Gaussian data (the
// tree's worst case: intrinsic dimension d) and on a 3-dimensional
// manifold embedded in d dimensions, and prints brute / tree.
func calibrateChoose(c config) error {
	fmt.Println("\nKD-tree against brute force, self search (ratio brute / tree: > 1 the tree is faster)")
	fmt.Printf("%8s %4s %4s | %10s %10s %7s %7s | %10s %10s %7s %7s\n", "n", "d", "K", "gauss tree", "brute", "ratio", "cpu", "3-D tree", "brute", "ratio", "cpu")
	for _, n := range c.ns {
		for _, d := range c.ds {
			for _, k := range []int{2, 20, 100} {
				if err := calibrateCell(c, n, d, k); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func calibrateCell(c config, n, d, k int) error {
	rng := rand.New(rand.NewPCG(uint64(n), uint64(d)))
	g := mat.NewDense(n, d, nil)
	for i := range n {
		for j := range d {
			g.Set(i, j, rng.NormFloat64())
		}
	}
	m, err := synthetic.Cube(n, min(3, d), synthetic.Embed{Ambient: d, Rotate: true, Seed: uint64(d)})
	if err != nil {
		return err
	}
	reps := c.reps
	if n >= 100000 {
		reps = 1
	}
	var t [4]timing
	for i, x := range []*mat.Dense{g, m} {
		for j, alg := range []knn.Algorithm{knn.KDTree, knn.Brute} {
			t[2*i+j], err = best(reps, func() error {
				_, err := knn.SearchSelf(x, knn.Options{K: k, ExcludeSelf: true, Algorithm: alg})
				return err
			})
			if err != nil {
				return err
			}
		}
	}
	fmt.Printf("%8d %4d %4d | %10s %10s %6.2fx %6.2fx | %10s %10s %6.2fx %6.2fx\n", n, d, k, ms(t[0].wall), ms(t[1].wall), t[1].wall/t[0].wall, t[1].cpu/t[0].cpu,
		ms(t[2].wall), ms(t[3].wall), t[3].wall/t[2].wall, t[3].cpu/t[2].cpu)
	return nil
}
