package main

import (
	"fmt"
	"math"
	"path/filepath"

	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/mat32"
	"github.com/subspace-kernel/subspace/native/synthetic"
)

type knnRef struct {
	Sklearn        string    `json:"sklearn"`
	Faiss          string    `json:"faiss"`
	FaissThreads   int       `json:"faiss_threads"`
	Threads        any       `json:"threads"`
	SklearnSeconds float64   `json:"sklearn_seconds"`
	SklearnCPU     float64   `json:"sklearn_cpu"`
	SklearnMethod  string    `json:"sklearn_method"`
	FaissSeconds   float64   `json:"faiss_seconds"`
	FaissCPU       float64   `json:"faiss_cpu"`
	Queries        int       `json:"queries"`
	FirstDist      []float64 `json:"first_dist"`
	FaissFirstDist []float64 `json:"faiss_first_dist"`
}

// knnGrid times the self search at every (n, d) of the grid on a mixture
// of 50 Gaussian clusters (the shape of embeddings), ours against sklearn
// (float64) and FAISS (float32), one Python run per cell right after ours.
func knnGrid(c config) error {
	fmt.Printf("\nkNN self search, K = %d, 50 Gaussian clusters (best of %d; 1 at n >= 100,000)\n", c.k, c.reps)
	fmt.Printf("%8s %4s | %10s %-7s %10s %-7s %7s %7s | %10s %10s %7s %7s\n", "n", "d", "ours f64", "alg", "sklearn", "alg", "ratio", "cpu", "ours f32", "FAISS", "ratio", "cpu")
	var worst64, worst32 = math.Inf(1), math.Inf(1)
	for _, n := range c.ns {
		for _, d := range c.ds {
			r, err := knnCell(c, n, d)
			if err != nil {
				return err
			}
			worst64, worst32 = min(worst64, r[0]), min(worst32, r[1])
		}
	}
	fmt.Printf("smallest ratio: %.2fx against sklearn, %.2fx against FAISS\n", worst64, worst32)
	return nil
}

func knnCell(c config, n, d int) ([2]float64, error) {
	x, _, err := synthetic.GaussianMixture(n, 50, d, 1, 3, uint64(n+d))
	if err != nil {
		return [2]float64{}, err
	}
	file := filepath.Join(c.dir, fmt.Sprintf("knn_%d_%d.npy", n, d))
	if err := save(file, x); err != nil {
		return [2]float64{}, err
	}
	reps, cc := c.reps, c
	if n >= 100000 {
		reps = 1
	} else {
		cc.refQueries = 0
	}
	x32 := mat32.FromDense(x)
	opts := knn.Options{K: c.k, ExcludeSelf: true}
	var r64, r32 *knn.Result
	t64, err := best(reps, func() (err error) { r64, err = knn.SearchSelf(x, opts); return })
	if err != nil {
		return [2]float64{}, err
	}
	t32, err := best(reps, func() (err error) { r32, err = knn.SearchSelf32(x32, opts); return })
	if err != nil {
		return [2]float64{}, err
	}
	var ref knnRef
	if err := python(cc, &ref, "knn", file, fmt.Sprint(reps), fmt.Sprint(c.k), fmt.Sprint(cc.refQueries)); err != nil {
		return [2]float64{}, err
	}
	note := ""
	if ref.Queries < n {
		note = fmt.Sprintf("  (references: %d queries, times x %d)", ref.Queries, n/ref.Queries)
	}
	fmt.Printf("%8d %4d | %10s %-7s %10s %-7s %6.2fx %6.2fx | %10s %10s %6.2fx %6.2fx\n", n, d, ms(t64.wall), short(r64.Algorithm), ms(ref.SklearnSeconds),
		ref.SklearnMethod, ref.SklearnSeconds/t64.wall, ref.SklearnCPU/t64.cpu, ms(t32.wall), ms(ref.FaissSeconds), ref.FaissSeconds/t32.wall, ref.FaissCPU/t32.cpu)
	if note != "" {
		fmt.Println(note)
	}
	agree(r64.Distances(0), ref.FirstDist, 1e-9, "float64 vs sklearn")
	agree(r32.Distances(0), ref.FaissFirstDist, 1e-3, "float32 vs FAISS")
	return [2]float64{ref.SklearnSeconds / t64.wall, ref.FaissSeconds / t32.wall}, nil
}

func short(a knn.Algorithm) string {
	if a == knn.KDTree {
		return "kd-tree"
	}
	return a.String()
}

// agree warns when the first row's neighbour distances differ.
func agree(ours, ref []float64, rel float64, what string) {
	for i := range min(len(ours), len(ref)) {
		if math.Abs(ours[i]-ref[i]) > rel*math.Max(1e-12, math.Abs(ref[i])) {
			fmt.Printf("  WARNING %s: row 0 rank %d: %.10g vs %.10g\n", what, i, ours[i], ref[i])
			return
		}
	}
}
