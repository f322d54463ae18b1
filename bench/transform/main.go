// Command transform-bench times native/transform against scikit-learn on
// the same data in the same run: the Yeo-Johnson PowerTransformer fit
// (lambdas by maximum likelihood) and the quantile transform (fit and
// transform, 1000 landmarks) on n x d skewed columns, plus our KDE
// integral transform next to the quantile transform it generalises. It
// prints times, ratios (reference / ours, > 1 = we are faster) and the
// largest differences of the results.
//
// Usage: transform-bench [-n 100000] [-d 64] [-reps 1] [-rounds 2] [-dir build/bench/transform]
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
	"runtime"

	"codeberg.org/sbinet/npyio"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/bench/internal/timing"
	"github.com/subspace-kernel/subspace/native/transform"
)

//go:embed reference.py
var referenceScript string

func main() {
	n := flag.Int("n", 100000, "rows")
	d := flag.Int("d", 64, "columns")
	reps := flag.Int("reps", 1, "repetitions a round (best time kept)")
	rounds := flag.Int("rounds", 2, "interleaved rounds of Go and Python timings (best kept), so that load from other processes hits both alike")
	dir := flag.String("dir", "build/bench/transform", "folder for the data file")
	py := flag.String("python", "/usr/bin/python3", "python with scikit-learn")
	flag.Parse()
	if err := run(*n, *d, *reps, *rounds, *dir, *py); err != nil {
		fmt.Fprintln(os.Stderr, "transform-bench:", err)
		os.Exit(1)
	}
}

// data returns n x d columns of several shapes: log-normal, exponential,
// Gaussian, shifted negative log-normal, uniform.
func data(n, d int) *mat.Dense {
	rng := rand.New(rand.NewPCG(21, 64))
	x := mat.NewDense(n, d, nil)
	for i := range n {
		row := x.RawRowView(i)
		for j := range row {
			switch j % 5 {
			case 0:
				row[j] = math.Exp(rng.NormFloat64())
			case 1:
				row[j] = rng.ExpFloat64() * 3
			case 2:
				row[j] = rng.NormFloat64()*2 + 1
			case 3:
				row[j] = 2 - math.Exp(0.7*rng.NormFloat64())
			default:
				row[j] = rng.Float64() * 10
			}
		}
	}
	return x
}

func save(path string, x *mat.Dense) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := npyio.Write(f, x); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func runReference(py, script, path string, reps int) (*reference, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(py, script, path, fmt.Sprint(reps))
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("reference script: %v\n%s", err, stderr.String())
	}
	var ref reference
	if err := json.Unmarshal(stdout.Bytes(), &ref); err != nil {
		return nil, fmt.Errorf("reference output: %v\n%s", err, stdout.String())
	}
	return &ref, nil
}

type reference struct {
	PowerS          float64   `json:"power_s"`
	Lambdas         []float64 `json:"lambdas"`
	QuantileS       float64   `json:"quantile_s"`
	QuantileFirst   []float64 `json:"quantile_first"`
	QuantileDefault float64   `json:"quantile_default_s"`
}

func run(n, d, reps, rounds int, dir, py string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	x := data(n, d)
	path := filepath.Join(dir, "x.npy")
	if err := save(path, x); err != nil {
		return err
	}
	script := filepath.Join(dir, "reference.py")
	if err := os.WriteFile(script, []byte(referenceScript), 0o644); err != nil {
		return err
	}
	fmt.Printf("native/transform vs scikit-learn, %d x %d, GOMAXPROCS %d, %d rounds of %d\n", n, d, runtime.GOMAXPROCS(0), rounds, reps)
	var pw *transform.Power
	var zq *mat.Dense
	tPow, tQ, tK := math.Inf(1), math.Inf(1), math.Inf(1)
	ref := reference{PowerS: math.Inf(1), QuantileS: math.Inf(1), QuantileDefault: math.Inf(1)}
	for range rounds {
		t, err := timing.Best(reps, func() (err error) { pw, err = transform.FitPower(x, transform.PowerOptions{}); return })
		if err != nil {
			return err
		}
		tPow = min(tPow, t)
		t, err = timing.Best(reps, func() (err error) { zq, err = transform.QuantileTransform(x, transform.QuantileOptions{}); return })
		if err != nil {
			return err
		}
		tQ = min(tQ, t)
		t, err = timing.Best(reps, func() error { _, err := transform.KDEIntegralTransform(x, transform.KDEIntegralOptions{}); return err })
		if err != nil {
			return err
		}
		tK = min(tK, t)
		r, err := runReference(py, script, path, reps)
		if err != nil {
			return err
		}
		ref.Lambdas, ref.QuantileFirst = r.Lambdas, r.QuantileFirst
		ref.PowerS, ref.QuantileS, ref.QuantileDefault = min(ref.PowerS, r.PowerS), min(ref.QuantileS, r.QuantileS), min(ref.QuantileDefault, r.QuantileDefault)
	}
	var dl, dq float64
	for j, l := range ref.Lambdas {
		dl = math.Max(dl, math.Abs(pw.Lambdas[j]-l))
	}
	for j, v := range ref.QuantileFirst {
		dq = math.Max(dq, math.Abs(zq.At(0, j)-v))
	}
	fmt.Printf("%-52s %10s %12s %8s\n", "what", "subspace", "sklearn", "ratio")
	fmt.Printf("%-52s %9.3fs %11.3fs %7.2fx   (max |lambda diff| %.2g)\n", "PowerTransformer fit (Yeo-Johnson)", tPow, ref.PowerS, ref.PowerS/tPow, dl)
	fmt.Printf("%-52s %9.3fs %11.3fs %7.2fx   (max |diff| row 0 %.2g)\n", "quantile fit+transform, 1000 landmarks, all rows", tQ, ref.QuantileS, ref.QuantileS/tQ, dq)
	fmt.Printf("%-52s %9.3fs %11.3fs %7.2fx\n", "KDE integral fit+transform vs the above sklearn", tK, ref.QuantileS, ref.QuantileS/tK)
	fmt.Printf("%-52s %10s %11.3fs\n", "(sklearn quantile default: 10,000-row subsample)", "", ref.QuantileDefault)
	return nil
}
