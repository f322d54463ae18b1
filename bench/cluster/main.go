// Command cluster-bench times k-means (native/cluster, Lloyd iterations
// from given centres) against scikit-learn's KMeans(algorithm="lloyd") run
// in the same job on the same data and the same initial centres, and
// prints both times, the ratio and both inertias.
//
// Usage: cluster-bench [-n 100000] [-d 128] [-k 256] [-iter 20] [-reps 3] [-dir build/bench/cluster]
package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/cluster"
	"github.com/subspace-kernel/subspace/native/dataset"
)

//go:embed reference.py
var referenceScript string

func main() {
	n := flag.Int("n", 100000, "points")
	d := flag.Int("d", 128, "dimension")
	k := flag.Int("k", 256, "clusters")
	iter := flag.Int("iter", 20, "Lloyd iterations (tolerance 0)")
	reps := flag.Int("reps", 3, "repetitions (best time kept)")
	dir := flag.String("dir", "build/bench/cluster", "folder for the data files")
	py := flag.String("python", "/usr/bin/python3", "python with scikit-learn")
	flag.Parse()
	if err := run(*n, *d, *k, *iter, *reps, *dir, *py); err != nil {
		fmt.Fprintln(os.Stderr, "cluster-bench:", err)
		os.Exit(1)
	}
}

// mixture draws n points around k random centres (spread 3) in d dimensions.
func mixture(n, d, k int) *mat.Dense {
	rng := rand.New(rand.NewPCG(1, 2))
	centres := make([]float64, k*d)
	for i := range centres {
		centres[i] = 3 * rng.NormFloat64()
	}
	x := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		c := centres[rng.IntN(k)*d:]
		for j, row := 0, x.RawRowView(i); j < d; j++ {
			row[j] = c[j] + rng.NormFloat64()
		}
	}
	return x
}

type reference struct {
	Seconds float64 `json:"seconds"`
	Inertia float64 `json:"inertia"`
	NIter   int     `json:"n_iter"`
	Sklearn string  `json:"sklearn"`
	Threads any     `json:"threads"`
}

func run(n, d, k, iter, reps int, dir, py string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	x := mixture(n, d, k)
	idx, err := cluster.KMeansPlusPlus(x, k, 7)
	if err != nil {
		return err
	}
	init := mat.NewDense(k, d, nil)
	for i, j := range idx {
		init.SetRow(i, x.RawRowView(j))
	}
	xPath, initPath := filepath.Join(dir, "x.npy"), filepath.Join(dir, "init.npy")
	if err := dataset.WriteNPYDense(xPath, x); err != nil {
		return err
	}
	if err := dataset.WriteNPYDense(initPath, init); err != nil {
		return err
	}
	var out bytes.Buffer
	cmd := exec.Command(py, "-c", referenceScript, xPath, initPath, fmt.Sprint(iter), fmt.Sprint(reps))
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("reference: %v", err)
	}
	var ref reference
	if err := json.Unmarshal(out.Bytes(), &ref); err != nil {
		return fmt.Errorf("reference output %q: %v", out.String(), err)
	}
	best := math.Inf(1)
	var fit *cluster.KMeans
	for range reps {
		t := time.Now()
		if fit, err = cluster.FitKMeans(x, cluster.KMeansOptions{K: k, Init: init, MaxIter: iter, Tol: -1}); err != nil {
			return err
		}
		best = min(best, time.Since(t).Seconds())
	}
	fmt.Printf("k-means n=%d d=%d k=%d, %d Lloyd iterations from the same centres (sklearn %s, threads %v)\n", n, d, k, iter, ref.Sklearn, ref.Threads)
	fmt.Printf("  subspace  %8.3f s  inertia %.10g (%d iterations)\n", best, fit.Inertia, fit.Iter)
	fmt.Printf("  sklearn   %8.3f s  inertia %.10g (%d iterations)\n", ref.Seconds, ref.Inertia, ref.NIter)
	fmt.Printf("  speed-up  %.2fx (sklearn / subspace), inertia rel. diff %.1e\n", ref.Seconds/best, math.Abs(fit.Inertia-ref.Inertia)/ref.Inertia)
	return nil
}
