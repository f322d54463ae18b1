// Command density benchmarks native/density's Gaussian KDE log-density
// against scikit-learn's KernelDensity.score_samples (and scipy's
// gaussian_kde.logpdf for the covariance mode) on the same data, measured
// in the same run, and prints the time ratios and the largest difference
// of the results.
//
//	go run -tags openblas ./bench/density [-n 5000] [-m 2000] [-d 16] [-h 1.0] [-reps 3] [-rounds 3]
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/blas"
	"github.com/subspace-kernel/subspace/native/density"
)

const pyScript = `
import json, sys, time
import numpy as np
from sklearn.neighbors import KernelDensity
from scipy.stats import gaussian_kde
a = json.loads(sys.argv[1])
X = np.fromfile(a["train"], dtype="<f8").reshape(a["n"], a["d"])
Q = np.fromfile(a["queries"], dtype="<f8").reshape(a["m"], a["d"])
def best(f, reps):
    t = float("inf")
    for _ in range(reps):
        s = time.perf_counter(); r = f(); t = min(t, time.perf_counter() - s)
    return t, r
kd = KernelDensity(kernel="gaussian", bandwidth=a["h"]).fit(X)
t_sk, v_sk = best(lambda: kd.score_samples(Q), a["reps"])
kde = gaussian_kde(X.T)
t_sp, v_sp = best(lambda: kde.logpdf(Q.T), a["reps"])
print(json.dumps({"sklearn_s": t_sk, "sklearn": v_sk.tolist(), "scipy_s": t_sp, "scipy": v_sp.tolist()}))
`

func main() {
	n := flag.Int("n", 5000, "training points")
	m := flag.Int("m", 2000, "query points")
	d := flag.Int("d", 16, "dimension")
	h := flag.Float64("h", 1.0, "isotropic bandwidth (sklearn bandwidth=h)")
	reps := flag.Int("reps", 3, "repetitions a round (best time kept)")
	rounds := flag.Int("rounds", 3, "interleaved rounds of Go and Python timings")
	flag.Parse()
	if err := run(*n, *m, *d, *h, *reps, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "bench-density:", err)
		os.Exit(1)
	}
}

func run(n, m, d int, h float64, reps, rounds int) error {
	rng := rand.New(rand.NewPCG(1, 2))
	x := mat.NewDense(n, d, nil)
	q := mat.NewDense(m, d, nil)
	// correlated Gaussian data so the covariance mode is non-trivial
	for _, a := range []*mat.Dense{x, q} {
		r, _ := a.Dims()
		for i := 0; i < r; i++ {
			var prev float64
			for j := 0; j < d; j++ {
				v := 0.6*prev + rng.NormFloat64()
				a.Set(i, j, v)
				prev = v
			}
		}
	}
	dir, err := os.MkdirTemp("", "bench-density")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	trainF, queryF := filepath.Join(dir, "train.f64"), filepath.Join(dir, "queries.f64")
	if err := writeRaw(trainF, x); err != nil {
		return err
	}
	if err := writeRaw(queryF, q); err != nil {
		return err
	}

	fmt.Printf("KDE log-density: %d training points, %d queries, d=%d; BLAS %s, GOMAXPROCS %d\n", n, m, d, blas.Backend(), runtime.GOMAXPROCS(0))
	iso, err := density.NewKDE(x, density.KDEOptions{Isotropic: true, Bandwidth: h})
	if err != nil {
		return err
	}
	cov, err := density.NewKDE(x, density.KDEOptions{})
	if err != nil {
		return err
	}
	// Interleaved rounds (Go, then the Python references), keeping the
	// best time of each, so that load from other processes hits both alike.
	tIso, tCov := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
	var vIso, vCov []float64
	var ref struct {
		SklearnS float64   `json:"sklearn_s"`
		Sklearn  []float64 `json:"sklearn"`
		ScipyS   float64   `json:"scipy_s"`
		Scipy    []float64 `json:"scipy"`
	}
	ref.SklearnS, ref.ScipyS = math.Inf(1), math.Inf(1)
	for r := 0; r < rounds; r++ {
		t, v, err := best(reps, func() ([]float64, error) { return iso.LogDensity(q) })
		if err != nil {
			return err
		}
		tIso, vIso = min(tIso, t), v
		t, v, err = best(reps, func() ([]float64, error) { return cov.LogDensity(q) })
		if err != nil {
			return err
		}
		tCov, vCov = min(tCov, t), v

		args, _ := json.Marshal(map[string]any{"train": trainF, "queries": queryF, "n": n, "m": m, "d": d, "h": h, "reps": reps})
		cmd := exec.Command("/usr/bin/python3", "-c", pyScript, string(args))
		var out, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("reference (run `make deps`): %v\n%s", err, stderr.String())
		}
		var rr struct {
			SklearnS float64   `json:"sklearn_s"`
			Sklearn  []float64 `json:"sklearn"`
			ScipyS   float64   `json:"scipy_s"`
			Scipy    []float64 `json:"scipy"`
		}
		if err := json.Unmarshal(out.Bytes(), &rr); err != nil {
			return err
		}
		ref.Sklearn, ref.Scipy = rr.Sklearn, rr.Scipy
		ref.SklearnS, ref.ScipyS = math.Min(ref.SklearnS, rr.SklearnS), math.Min(ref.ScipyS, rr.ScipyS)
	}
	fmt.Printf("  isotropic h=%g:  Go %8.1f ms   sklearn KernelDensity.score_samples %8.1f ms   speed-up x%.1f   max rel diff %.1e\n",
		h, ms(tIso), 1e3*ref.SklearnS, ref.SklearnS/tIso.Seconds(), maxRel(vIso, ref.Sklearn))
	fmt.Printf("  covariance (Scott): Go %8.1f ms   scipy gaussian_kde.logpdf          %8.1f ms   speed-up x%.1f   max rel diff %.1e\n",
		ms(tCov), 1e3*ref.ScipyS, ref.ScipyS/tCov.Seconds(), maxRel(vCov, ref.Scipy))
	return nil
}

func best(reps int, f func() ([]float64, error)) (time.Duration, []float64, error) {
	bt := time.Duration(math.MaxInt64)
	var v []float64
	for r := 0; r < reps; r++ {
		s := time.Now()
		out, err := f()
		if err != nil {
			return 0, nil, err
		}
		if e := time.Since(s); e < bt {
			bt = e
		}
		v = out
	}
	return bt, v, nil
}

func ms(t time.Duration) float64 { return float64(t.Microseconds()) / 1e3 }

func maxRel(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	var w float64
	for i := range a {
		w = math.Max(w, math.Abs(a[i]-b[i])/math.Max(1, math.Abs(b[i])))
	}
	return w
}

func writeRaw(path string, a *mat.Dense) error {
	r, _ := a.Dims()
	var buf bytes.Buffer
	for i := 0; i < r; i++ {
		if err := binary.Write(&buf, binary.LittleEndian, a.RawRowView(i)); err != nil {
			return err
		}
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
