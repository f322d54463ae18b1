// Command latent-bench times native/latent against the Python references
// run in the same job on the same data: orthogonal Procrustes on paired
// points against scipy.linalg.orthogonal_procrustes, and cosine relative
// representations (points against anchors) against
// sklearn normalize(X) @ normalize(A).T in float64 and float32. It checks
// that the results agree and prints times and ratios (reference / ours,
// > 1 means subspace is faster).
//
// Usage: latent-bench [-pn 10000] [-pd 768] [-rn 100000] [-rd 768] [-anchors 1000] [-reps 3] [-dir build/bench/latent]
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

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/bench/internal/timing"
	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/latent"
	"github.com/subspace-kernel/subspace/native/mat32"
)

//go:embed reference.py
var referenceScript string

func main() {
	pn := flag.Int("pn", 10000, "Procrustes pairs")
	pd := flag.Int("pd", 768, "Procrustes dimension")
	rn := flag.Int("rn", 100000, "points of the relative representation")
	rd := flag.Int("rd", 768, "their dimension")
	na := flag.Int("anchors", 1000, "anchors")
	reps := flag.Int("reps", 3, "repetitions (best time kept)")
	dir := flag.String("dir", "build/bench/latent", "folder for the data files")
	py := flag.String("python", "/usr/bin/python3", "python with numpy, scipy and scikit-learn")
	flag.Parse()
	if err := run(*pn, *pd, *rn, *rd, *na, *reps, *dir, *py); err != nil {
		fmt.Fprintln(os.Stderr, "latent-bench:", err)
		os.Exit(1)
	}
}

// gaussian returns an n x d standard normal matrix from seed.
func gaussian(seed uint64, n, d int) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 3))
	x := mat.NewDense(n, d, nil)
	raw := x.RawMatrix().Data
	for i := range raw {
		raw[i] = rng.NormFloat64()
	}
	return x
}

type reference struct {
	Procrustes float64 `json:"procrustes"`
	Rel64      float64 `json:"rel64"`
	Rel32      float64 `json:"rel32"`
	Scipy      string  `json:"scipy"`
	Threads    any     `json:"threads"`
}

func run(pn, pd, rn, rd, na, reps int, dir, python string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Paired points: y = x Q + noise for a random rotation-like map.
	px := gaussian(1, pn, pd)
	py := mat.NewDense(pn, pd, nil)
	py.Mul(px, gaussian(2, pd, pd))
	py.Add(py, gaussian(3, pn, pd))
	rx, ra := gaussian(4, rn, rd), gaussian(5, na, rd)
	for name, m := range map[string]*mat.Dense{"px": px, "py": py, "rx": rx, "ra": ra} {
		if err := dataset.WriteNPYDense(filepath.Join(dir, name+".npy"), m); err != nil {
			return err
		}
	}
	// Ours runs before and after the reference and keeps its best time, so
	// that a change of machine load during the run does not favour either.
	ours := newTimings(reps)
	if err := ours.measure(px, py, rx, ra); err != nil {
		return err
	}
	var out bytes.Buffer
	cmd := exec.Command(python, "-c", referenceScript, dir, fmt.Sprint(reps))
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("reference: %v", err)
	}
	var ref reference
	if err := json.Unmarshal(out.Bytes(), &ref); err != nil {
		return fmt.Errorf("reference output %q: %v", out.String(), err)
	}
	if err := ours.measure(px, py, rx, ra); err != nil {
		return err
	}
	rot, err := dataset.ReadNPYDense(filepath.Join(dir, "rotation.npy"))
	if err != nil {
		return err
	}
	fmt.Printf("orthogonal Procrustes fit, %d x %d pairs (scipy %s, threads %v)\n", pn, pd, ref.Scipy, ref.Threads)
	report("subspace", ours.procrustes, ref.Procrustes, "scipy orthogonal_procrustes", maxDiff(ours.tr.Rotation, rot))
	fmt.Printf("cosine relative representation, %d x %d points to %d anchors\n", rn, rd, na)
	head, err := dataset.ReadNPYDense(filepath.Join(dir, "rel64_head.npy"))
	if err != nil {
		return err
	}
	report("float64", ours.rel64, ref.Rel64, "normalize(X) @ normalize(A).T", maxDiff(ours.head64, head))
	head32, err := dataset.ReadNPYDense(filepath.Join(dir, "rel32_head.npy"))
	if err != nil {
		return err
	}
	report("float32", ours.rel32, ref.Rel32, "normalize(X) @ normalize(A).T", maxDiff(ours.head32, head32))
	return nil
}

// timings keeps our best times and the results to compare.
type timings struct {
	reps                     int
	procrustes, rel64, rel32 float64
	tr                       *latent.Translator
	head64, head32           *mat.Dense // first 100 rows of the relative representations
}

func newTimings(reps int) *timings {
	return &timings{reps: reps, procrustes: math.Inf(1), rel64: math.Inf(1), rel32: math.Inf(1)}
}

// measure runs every benchmark reps times and keeps the best times.
func (o *timings) measure(px, py, rx, ra *mat.Dense) error {
	t, err := timing.Best(o.reps, func() (err error) { o.tr, err = latent.FitTranslator(px, py, latent.TranslateOptions{}); return err })
	if err != nil {
		return err
	}
	o.procrustes = min(o.procrustes, t)
	na, _ := ra.Dims()
	var rel *mat.Dense
	t, err = timing.Best(o.reps, func() (err error) {
		rel = nil // let the previous result go before the next is made
		rel, err = latent.RelativeRepresentation(rx, ra, latent.RelativeOptions{})
		return err
	})
	if err != nil {
		return err
	}
	o.head64 = mat.DenseCopyOf(rel.Slice(0, 100, 0, na))
	rel = nil
	o.rel64 = min(o.rel64, t)
	x32, a32 := mat32.FromDense(rx), mat32.FromDense(ra)
	var rel32 *mat32.Dense
	t, err = timing.Best(o.reps, func() (err error) {
		rel32 = nil
		rel32, err = latent.RelativeRepresentation32(x32, a32, latent.RelativeOptions{})
		return err
	})
	if err != nil {
		return err
	}
	o.head32 = mat.NewDense(100, na, nil)
	for i := 0; i < 100; i++ {
		for j, v := range rel32.Row(i) {
			o.head32.Set(i, j, float64(v))
		}
	}
	o.rel32 = min(o.rel32, t)
	return nil
}

func report(what string, ours, theirs float64, refName string, diff float64) {
	fmt.Printf("  %-9s %8.3f s   %s %8.3f s   speed-up %.2fx   max |difference| %.1e\n", what, ours, refName, theirs, theirs/ours, diff)
}

func maxDiff(a, b mat.Matrix) float64 {
	r, c := a.Dims()
	var m float64
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			m = math.Max(m, math.Abs(a.At(i, j)-b.At(i, j)))
		}
	}
	return m
}
